"""The agenda's menu item (plug-in of the home engine, ``duaal.homes``): shown to people for
whom some app may have events (``agenda.registry.audiences``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agenda.registry import has_agenda
from duaal.homes import NavItem, Viewer, register_nav


@register_nav
class AgendaNav(NavItem):
    key = "agenda.calendar"
    order = 30
    testid = "nav-agenda"

    def applies(self, viewer: Viewer) -> bool:
        return has_agenda(viewer)

    def label(self, viewer: Viewer) -> str | Promise:
        return _("Agenda")

    def url(self, viewer: Viewer) -> str:
        return reverse("agenda:calendar")
