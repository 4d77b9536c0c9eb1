"""Evaluation in the menu and on the home (plug-in of ``duaal.homes``), for the team and the
family:

* the menu item "Evaluaties" (the team's overview, ``evaluation:review_overview``) for team
  members who see other people's trajects;
* "Mijn vorderingen" — the student's or the parent's menu item to the progress page (with
  several trajects, e.g. a parent of two: the list of their trajects).

Both reuse the viewer's memos of ``partnerships.homes`` (no query of their own).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duaal.homes import NavItem, Viewer, register_nav
from partnerships.homes import family_links, sees_others_trajects


@register_nav
class EvaluationsNav(NavItem):
    key = "evaluation.review"
    order = 12
    testid = "nav-evaluations"

    def applies(self, viewer: Viewer) -> bool:
        return sees_others_trajects(viewer)

    def label(self, viewer: Viewer) -> str | Promise:
        return _("Evaluations")

    def url(self, viewer: Viewer) -> str:
        return reverse("evaluation:review_overview")


@register_nav
class ProgressNav(NavItem):
    key = "evaluation.progress"
    order = 13
    testid = "nav-progress"

    def applies(self, viewer: Viewer) -> bool:
        return bool(family_links(viewer))

    def label(self, viewer: Viewer) -> str | Promise:
        links = family_links(viewer)
        if all(own for _id, _name, own in links):
            return _("My progress")
        if len(links) == 1:
            return gettext("%(name)s's progress") % {"name": links[0][1]}
        return _("Progress over time")

    def url(self, viewer: Viewer) -> str:
        links = family_links(viewer)
        if len(links) == 1:
            return reverse("evaluation:progress", args=[links[0][0]])
        return reverse("partnerships:traject_list")
