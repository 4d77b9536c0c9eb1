"""The recognition part of the role homes and of the main menu (plug-in of ``duaal.homes``).

Sector consultant's side:

* ``recognition.consultant`` — for a member of a sector body: how many decisions on
  recognition requests are due within 14 days and how many are overdue, one tap to the inbox
  (``recognition:consultant_inbox``);
* menu item ``recognition.inbox`` ("Erkenningen") for the same people.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from duaal.homes import NavItem, Panel, Viewer, register_nav, register_panel
from partnerships import permissions
from recognition.selectors import inbox_counts


def _consultant(viewer: Viewer) -> bool:
    return viewer.remember(
        "recognition.consultant",
        lambda: permissions.may_use_recognition_inbox(user=viewer.user),
    )


@register_panel
class ConsultantPanel(Panel):
    key = "recognition.consultant"
    order = 27  # beside the coordinators' work lists
    template_name = "recognition/consultant/home_panel.html"

    def applies(self, viewer: Viewer) -> bool:
        return _consultant(viewer)

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        mine = permissions.recognition_inbox_of(user=viewer.user)
        return inbox_counts(mine, today=viewer.today)


@register_nav
class InboxNav(NavItem):
    key = "recognition.inbox"
    order = 22  # after partnerships, before the catalogue
    testid = "nav-recognitions"

    def applies(self, viewer: Viewer) -> bool:
        return _consultant(viewer)

    def label(self, viewer: Viewer) -> str | Promise:
        return gettext_lazy("Recognitions")

    def url(self, viewer: Viewer) -> str:
        return reverse("recognition:consultant_inbox")
