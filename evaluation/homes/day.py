"""The student's day on the home (plug-in of ``duaal.homes``): for a student with a traject,
"Vandaag · bedrijf" — today's leerfiche from the opleidingsplan and today's place, its
criteria to tap V or O, a note and "Bewaren" (``evaluation.views.day``). Parents see their
child's traject in the family panel; they do not rate, so this panel is the student's only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duaal.homes import Panel, Viewer, register_panel
from evaluation.models import Evaluator
from partnerships import permissions
from partnerships.homes import family_links, family_trajects


def _own_trajects(viewer: Viewer) -> list[str]:
    return [public_id for public_id, _name, own in family_links(viewer) if own]


@register_panel
class StudentDayPanel(Panel):
    key = "evaluation.day"
    order = 12  # just after the student's traject (partnerships.family, 10)
    template_name = "evaluation/home_day.html"

    def applies(self, viewer: Viewer) -> bool:
        return bool(_own_trajects(viewer))

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        from evaluation.selectors.day import todays_leerfiches
        from evaluation.views.day import day_card

        # The newest school year's traject first; a student has one running traject. It
        # comes from the family panel's read (``trajects_visible_to``, placements prefetched):
        # no second read of the traject, its grants or its placements.
        own = [item.traject for item in family_trajects(viewer) if item.is_own][:1]
        cards = []
        for traject in own:
            day = todays_leerfiches(
                traject, viewer.today, placements=list(traject.placements.all())
            )
            cards.append(
                day_card(
                    traject=traject,
                    on=viewer.today,
                    today=viewer.today,
                    day=day,
                    can_write=Evaluator.SELF
                    in permissions.evaluator_roles(user=viewer.user, traject=traject),
                    next_url="/",
                )
            )
        return {"cards": cards}
