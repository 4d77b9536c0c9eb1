"""Triangulation: the latest LL / M / LK marks side by side per criterion, with divergence
told apart (student higher, student lower, the team split) — on hand-built cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from evaluation.models import Evaluator, Rating
from evaluation.selectors.triangulation import (
    Divergence,
    mark_divergence,
    rating_divergence,
    soft_skills,
    triangulation,
)
from tests.evaluation.marking import TODAY, criterion_keys, first_period, mark, rate_skills
from tests.evaluation.support import traject_of

LL, M, LK, OC = (
    Evaluator.SELF,
    Evaluator.MENTOR,
    Evaluator.TEACHER,
    Evaluator.TRAINING_CENTRE,
)


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ({}, None),
        ({LL: "V"}, None),  # nobody to compare with
        ({M: "O"}, None),
        ({LL: "V", M: "V"}, None),
        ({LL: "O", M: "O", LK: "O"}, None),
        ({LL: "V", M: "O"}, Divergence.SELF_HIGHER),  # student says V, mentor O
        ({LL: "V", M: "O", LK: "O"}, Divergence.SELF_HIGHER),
        ({LL: "O", M: "V"}, Divergence.SELF_LOWER),  # the reverse
        ({LL: "O", LK: "V"}, Divergence.SELF_LOWER),
        ({M: "V", LK: "O"}, Divergence.TEAM_SPLIT),
        ({LL: "V", M: "V", LK: "O"}, Divergence.TEAM_SPLIT),
        ({LL: "O", M: "O", OC: "V"}, Divergence.TEAM_SPLIT),
        ({LL: "V", OC: "O"}, Divergence.SELF_HIGHER),
    ],
)
def test_mark_divergence(marks, expected):
    assert mark_divergence(marks) == expected


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ({LL: Rating.MEETS, M: Rating.ABOVE, LK: Rating.MEETS}, None),  # voldoet vs boven: agree
        ({LL: Rating.MEETS, M: Rating.NOT_YET}, Divergence.SELF_HIGHER),
        ({LL: Rating.ABOVE, M: Rating.NOT_YET, LK: Rating.NOT_YET}, Divergence.SELF_HIGHER),
        ({LL: Rating.NOT_YET, M: Rating.MEETS}, Divergence.SELF_LOWER),
        ({LL: Rating.MEETS, M: Rating.MEETS, LK: Rating.NOT_YET}, Divergence.TEAM_SPLIT),
        ({LL: Rating.NOT_YET}, None),
        ({LL: Rating.NOT_YET, M: Rating.NOT_YET, LK: Rating.NOT_YET}, None),
    ],
)
def test_rating_divergence(ratings, expected):
    assert rating_divergence(ratings) == expected


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


def test_latest_marks_side_by_side_with_each_divergence(demo_cast, lotte):
    c = criterion_keys(lotte)
    earlier = TODAY - dt.timedelta(days=7)
    # Earlier session: the mentor says O on c0 and c3; later she changes c0 to V.
    mark(demo_cast, lotte, M, {c[0]: "O", c[3]: "O"}, on=earlier)
    mark(demo_cast, lotte, LL, {c[0]: "V", c[1]: "V", c[2]: "O", c[3]: "V"}, on=earlier)
    mark(demo_cast, lotte, LL, {c[0]: "V", c[1]: "V", c[2]: "O"})
    mark(demo_cast, lotte, M, {c[0]: "V", c[1]: "O", c[2]: "V"})
    mark(demo_cast, lotte, LK, {c[1]: "O", c[2]: "O"})

    with translation.override("en"):
        tri = triangulation(traject_id=lotte.pk)
    assert tri.columns == (LL, M, LK)  # no OC column: the training centre gave no mark
    (block,) = tri.leerfiches
    assert block.key == "geintegreerde-lasopdracht" and block.sessions == 2
    rows = {row.key: row for row in block.rows}

    def values(key):
        return [cell.value for cell in rows[key].cells]

    # c0: the mentor's latest mark (V, today) replaced her O of last week: everybody agrees.
    assert values(c[0]) == ["V", "V", ""] and rows[c[0]].divergence is None
    assert rows[c[0]].sessions == 2
    # c1: the student says V, mentor and leerkracht O.
    assert values(c[1]) == ["V", "O", "O"]
    assert rows[c[1]].divergence == Divergence.SELF_HIGHER
    assert rows[c[1]].divergence_text == "Student says V, mentor, teacher O"
    # c2: mentor V, leerkracht O: the team is split.
    assert rows[c[2]].divergence == Divergence.TEAM_SPLIT
    # c3: only last week: student V, mentor O.
    assert values(c[3]) == ["V", "O", ""] and rows[c[3]].sessions == 1
    assert rows[c[3]].divergence == Divergence.SELF_HIGHER
    # A criterion nobody marked: no cells, no divergence, no sessions.
    untouched = [row for row in block.rows if row.key not in c[:4]]
    assert all(not any(cell.value for cell in row.cells) for row in untouched)
    assert all(row.sessions == 0 and row.divergence is None for row in untouched)
    assert tri.divergences == 3
    # Reached "by the team": every team mark present is V (c0 only).
    assert tri.reached == 1
    # Status per evaluator: nobody has every criterion on V.
    statuses = dict(block.statuses)
    assert statuses[LL].reached == 3 and statuses[LL].progress == "practising"
    assert statuses[LK].reached == 0


def test_the_student_lower_than_the_mentor_and_the_state_at_a_date(demo_cast, lotte):
    c = criterion_keys(lotte)
    earlier = TODAY - dt.timedelta(days=7)
    mark(demo_cast, lotte, LL, {c[0]: "O"}, on=earlier)
    mark(demo_cast, lotte, M, {c[0]: "V"}, on=earlier)
    mark(demo_cast, lotte, LL, {c[0]: "V"})
    now = triangulation(traject_id=lotte.pk).leerfiches[0].rows[0]
    assert now.divergence is None
    with translation.override("en"):
        then = triangulation(traject_id=lotte.pk, until=earlier).leerfiches[0].rows[0]
    assert then.divergence == Divergence.SELF_LOWER
    assert then.divergence_text == "Student says O, mentor V"


def test_soft_skills_per_period_side_by_side(demo_cast, lotte):
    period = first_period(lotte)
    rate_skills(
        demo_cast,
        lotte,
        period,
        LL,
        {"stiptheid": Rating.MEETS, "voorkomen": Rating.ABOVE, "inzet-tonen": Rating.NOT_YET},
    )
    rate_skills(
        demo_cast,
        lotte,
        period,
        M,
        {"stiptheid": Rating.NOT_YET, "voorkomen": Rating.MEETS, "inzet-tonen": Rating.MEETS},
        strong=("voorkomen",),
    )
    rate_skills(demo_cast, lotte, period, LK, {"stiptheid": Rating.MEETS})
    periods = soft_skills(traject_ids=[lotte.pk], partnership_ids=[lotte.partnership_id])[lotte.pk]
    assert periods[0].period == period and periods[0].rated
    assert not any(p.rated for p in periods[1:])
    rows = {row.skill.key: row for group in periods[0].groups for row in group.rows}
    assert [cell.value for cell in rows["stiptheid"].cells] == ["meets", "not_yet", "meets"]
    assert rows["stiptheid"].divergence == Divergence.TEAM_SPLIT
    assert rows["voorkomen"].divergence is None  # boven vs voldoet: no divergence
    assert rows["voorkomen"].cells[1].strong
    assert rows["inzet-tonen"].divergence == Divergence.SELF_LOWER
    assert rows["veiligheid-milieu"].divergence is None and not rows["veiligheid-milieu"].rated
    assert periods[0].divergences == 2
