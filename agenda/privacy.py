"""What agenda holds about a person (plug-in of ``duaal.privacy``): calendar feeds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agenda.models import CalendarFeed
from duaal.privacy import Person, Provider, Section, register_provider


@register_provider
class CalendarFeedProvider(Provider):
    key = "agenda.feeds"
    order = 90

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        if person.user_id is None:
            return []
        rows = [
            {
                _("created"): feed.created_at,
                _("last used"): feed.last_used_at,
                _("withdrawn"): feed.revoked_at,
            }
            for feed in CalendarFeed.objects.filter(user_id=person.user_id).order_by("created_at")
        ]
        return [Section("calendar_feeds", _("Calendar feeds"), rows)]
