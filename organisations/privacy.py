"""What organisations holds about a person (plug-in of ``duaal.privacy``): memberships."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from duaal.privacy import Person, Provider, Section, register_provider
from organisations.models import Membership


@register_provider
class MembershipProvider(Provider):
    key = "organisations.memberships"
    order = 20

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        if person.user_id is None:
            return []
        rows = [
            {
                _("organisation"): membership.organisation.name,
                _("job title"): membership.job_title,
                _("administrator"): membership.is_admin,
                _("since"): membership.created_at,
            }
            for membership in Membership.objects.filter(user_id=person.user_id)
            .select_related("organisation")
            .order_by("organisation__name")
        ]
        return [Section("memberships", _("Memberships"), rows)]
