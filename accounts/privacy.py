"""What accounts holds about a person (plug-in of ``duaal.privacy``): the account itself."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from duaal.privacy import Person, Provider, Section, register_provider


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
