"""What accounts holds about a person (plug-in of ``duaal.privacy``): the account itself."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from duaal.privacy import Person, Provider, Section, register_provider, retention


@register_provider
class AccountProvider(Provider):
    key = "accounts.account"
    order = 10

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        user = User.objects.filter(pk=person.user_id).first() if person.user_id else None
        if user is None:
            return []
        row = {
            _("e-mail address"): user.email,
            _("name"): user.full_name,
            _("language"): user.get_language_display(),
            _("account created"): user.date_joined,
            _("last login"): user.last_login,
            _("active"): user.is_active,
        }
        return [Section("account", _("Account"), [row])]

    def purge(self, now: dt.datetime, *, apply: bool) -> dict[str, int]:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        before = now - retention("login_attempts")
        rows = [
            AccessAttempt.objects.filter(attempt_time__lt=before),
            AccessFailureLog.objects.filter(attempt_time__lt=before),
            AccessLog.objects.filter(attempt_time__lt=before),
        ]
        count = sum(queryset.count() for queryset in rows)
        if apply:
            for queryset in rows:
                queryset.delete()
        return {"login_attempts": count}

    def erase(self, person: Person) -> int:
        """The account stays (its id is in the history) but names no one and cannot log in."""
        user = User.objects.filter(pk=person.user_id).first() if person.user_id else None
        if user is None:
            return 0
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=user.email).delete()
        user.email = f"verwijderd-{user.pk}@erased.invalid"
        user.full_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "full_name", "is_active", "password"])
        return 1
