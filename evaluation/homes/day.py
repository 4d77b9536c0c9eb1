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
from partnerships.homes import family_links


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
        from evaluation.views.day import day_card

        cards = []
        # The newest school year's traject first; a student has one running traject.
        for public_id in _own_trajects(viewer)[:1]:
            traject = permissions.get_traject_for_evaluation(user=viewer.user, public_id=public_id)
            cards.append(
                day_card(
                    traject=traject,
                    on=viewer.today,
                    today=viewer.today,
                    can_write=Evaluator.SELF in traject.evaluator_roles,
                    next_url="/",
                )
            )
        return {"cards": cards}
