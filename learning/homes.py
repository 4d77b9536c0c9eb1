"""Learning on the home and in the menu (plug-in of the home engine, ``duaal.homes``).

* the menu item "Leerfiches" (the catalogue) for everybody who belongs to an organisation;
* for a student or a parent, beside their traject: what the student learns — the leerfiches,
  the opleidingsplan and the company's bedrijfsfiches of that traject;
* for those who design an opleidingsplan (``design_plan`` R/A): their partnerships' plans,
  with the gaps of the coverage matrix counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from duaal.homes import NavItem, Panel, Viewer, register_nav, register_panel
from learning import access
from partnerships.homes import family_links


@register_nav
class CatalogueNav(NavItem):
    key = "learning.catalogue"
    order = 25
    testid = "nav-leerfiches"

    def applies(self, viewer: Viewer) -> bool:
        return viewer.remember(
            "learning.has_membership", lambda: access.has_membership(user=viewer.user)
        )

    def label(self, viewer: Viewer) -> str | Promise:
        return _("Leerfiches")

    def url(self, viewer: Viewer) -> str:
        return reverse("learning:catalogue_index")


@register_panel
class FamilyLearningPanel(Panel):
    """What the student learns, for each traject the viewer follows as student or parent."""

    key = "learning.family"
    order = 11
    template_name = "learning/home_family_learning.html"

    def applies(self, viewer: Viewer) -> bool:
        return bool(family_links(viewer))

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {
            "trajects": [
                {"public_id": public_id, "first_name": name, "is_own": own}
                for public_id, name, own in family_links(viewer)
            ]
        }
