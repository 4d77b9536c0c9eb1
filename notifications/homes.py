"""The reminders' part of the home (plug-in of the home engine, ``duaal.homes``).

"What waits for you": the person's own reminders whose subject still needs them, each with
the link its rule gives (where to act). Shown to whoever has such a reminder and to everyone
who follows reminders on ``/notifications/reminders/`` (then also when nothing waits).
The dashboards issue turns this list into the full action list.

Engine to engine: no domain app is imported; the rules (plug-ins) describe and link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from duaal.homes import Panel, Viewer, register_panel
from notifications import selectors


def waiting_for(viewer: Viewer) -> list[selectors.OpenReminder]:
    return viewer.remember(
        "notifications.waiting",
        lambda: selectors.open_reminders(user=viewer.user, now=timezone.now()),
    )


def follows_reminders(viewer: Viewer) -> bool:
    return viewer.remember(
        "notifications.follows",
        lambda: selectors.follows_reminders(user=viewer.user),
    )


@register_panel
class WaitingPanel(Panel):
    key = "notifications.waiting"
    order = 5
    template_name = "notifications/home_waiting.html"

    def applies(self, viewer: Viewer) -> bool:
        return bool(waiting_for(viewer)) or follows_reminders(viewer)

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        items = waiting_for(viewer)
        return {
            "items": items[: selectors.OPEN_REMINDERS_SHOWN],
            "more": max(0, len(items) - selectors.OPEN_REMINDERS_SHOWN),
            "follows": follows_reminders(viewer),
        }
