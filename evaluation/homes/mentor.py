"""The weekly check-in beside each student of the mentor's week (slot
``duaal.homes.MENTOR_WEEK_SLOT`` of ``partnerships.homes.MentorWeekPanel``).

Per student whose mentor column (M) the viewer writes: "Weekevaluatie →" (primary) while this
week's check-in is not done, "✓ ingevuld di 24/11" once it is; and the number of the student's
open werkpunten, linking to them on the check-in. One query for all students at once.
The week is the calendar week of today (on a Saturday or Sunday: the week just worked).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from duaal.homes import MENTOR_WEEK_SLOT, Action, Viewer, register_actions
from evaluation.selectors.checkins import mentor_week_states_of
from evaluation.services.checkins import week_start_of
from evaluation.views.checkins import week_url
from partnerships import permissions


@register_actions(MENTOR_WEEK_SLOT, "evaluation.weekly_checkin")
def weekly_checkin(*, viewer: Viewer, subjects: list[Any]) -> Mapping[int, list[Action]]:
    ids = [subject.pk for subject in subjects]
    week_start = week_start_of(viewer.today)
    # The trajects whose M column the viewer writes, with the week's state: one query.
    states = mentor_week_states_of(
        permissions.trajects_evaluable_as_mentor_by(user=viewer.user).filter(pk__in=ids),
        week_start=week_start,
    )
    found: dict[int, list[Action]] = {}
    for traject in subjects:
        state = states.get(traject.pk)
        if state is None:
            continue
        url = week_url(traject, week_start)
        if state.done_at is None:
            action = Action(_("Weekly check-in →"), url, primary=True, testid="checkin-due")
        else:
            day = date_format(timezone.localtime(state.done_at), "D d/m")
            action = Action(_("✓ done %(day)s") % {"day": day}, url, testid="checkin-done")
        found[traject.pk] = [action]
        if state.open_werkpunten:
            found[traject.pk].append(
                Action(
                    ngettext(
                        "%(count)d open werkpunt",
                        "%(count)d open werkpunten",
                        state.open_werkpunten,
                    )
                    % {"count": state.open_werkpunten},
                    f"{url}#werkpunten",
                    testid="checkin-werkpunten",
                )
            )
    return found
