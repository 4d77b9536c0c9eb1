"""Demo contribution: one account, created after the cast's people (and idempotent)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from accounts.models import User
from duaal import demo

EMAIL = "plugin@plugin.invalid"


@demo.register("plugin_app.person", after=["organisations.cast"])
def person(*, password: str) -> demo.DemoReport:
    user, _created = User.objects.update_or_create(
        email=EMAIL, defaults={"full_name": "Plug In", "password": make_password(password)}
    )
    return demo.DemoReport(summary="Plugin demo ready.", accounts=[(user.email, "plugin person")])
