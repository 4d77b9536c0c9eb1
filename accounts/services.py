from __future__ import annotations

from django.conf import settings
from django.db import transaction

from accounts.models import User
from duaal import audit


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    """Store ``language`` (one of settings.LANGUAGES) as the user's preferred language; audited."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit.record(
            action="user.set_language",
            actor=user,
            obj=user,
            changes={"language": (before, language)},
        )
