"""Event provider: one event on the first day of every agenda, for everyone."""

from __future__ import annotations

from datetime import date

from accounts.models import User
from agenda.events import AgendaEvent
from agenda.registry import register_provider


@register_provider("plugin_app.events")
def plugin_events(*, user: User, start: date, end: date) -> list[AgendaEvent]:
    return [
        AgendaEvent(
            uid=f"plugin-{user.pk}-{start:%Y%m%d}@duaal",
            day=start,
            kind="plugin",
            summary="Plugin event",
        )
    ]
