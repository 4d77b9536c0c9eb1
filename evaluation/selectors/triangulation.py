"""Triangulation: the latest marks of the student (LL), the mentor (M), the leerkracht (LK) and
the training centre (OC) side by side, per traject, leerfiche and criterion, and the soft
skills per period — with **divergence**: the marks present disagree.

``divergence`` tells the cases apart, because they ask for a different conversation:

* ``self_higher`` — the student says V (or voldoet), the team says O (voldoet nog niet);
* ``self_lower`` — the student says O, the team says V;
* ``team_split`` — the team's own marks disagree (mentor V, leerkracht O), whatever the student;
* ``None`` — the marks present agree, or there is nothing to compare.

Everything is computed for many trajects at once in a fixed number of queries (the team's
overview asks it for a whole class).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count
from django.utils.translation import gettext

from evaluation.models import (
    EVALUATOR_SHORT,
    CriterionScore,
    Evaluator,
    Mark,
    Rating,
    Session,
    SoftSkillAgreement,
    SoftSkillRating,
)
from evaluation.selectors.marks import Latest, Status, latest_marks, status_of
from evaluation.skills import GROUPS, Skill, SkillGroup
from learning.models import Criterion, Leerfiche, Period, PlaceKind
from partnerships.models import Traject

# The columns in the order of the sheets; OC only shows when the training centre rated.
COLUMNS: tuple[str, ...] = (
    Evaluator.SELF,
    Evaluator.MENTOR,
    Evaluator.TEACHER,
    Evaluator.TRAINING_CENTRE,
)
BASE_COLUMNS: tuple[str, ...] = COLUMNS[:3]
# The soft-skill sheet has LL, M and LK.
SKILL_COLUMNS: tuple[str, ...] = BASE_COLUMNS


def short(evaluator: str) -> str:
    """The column head of an evaluator: LL, M, LK or OC."""
    return EVALUATOR_SHORT[Evaluator(evaluator)]


class Divergence(enum.StrEnum):
    SELF_HIGHER = "self_higher"
    SELF_LOWER = "self_lower"
    TEAM_SPLIT = "team_split"


def divergence(positive: Mapping[str, bool]) -> Divergence | None:
    """The divergence of the latest verdicts present, {evaluator: reached / voldoet?}."""
    team = {
        evaluator: value for evaluator, value in positive.items() if evaluator != Evaluator.SELF
    }
    if len(set(team.values())) > 1:
        return Divergence.TEAM_SPLIT
    if Evaluator.SELF not in positive or not team:
        return None
    team_value = next(iter(team.values()))
    if positive[Evaluator.SELF] == team_value:
        return None
    return Divergence.SELF_HIGHER if positive[Evaluator.SELF] else Divergence.SELF_LOWER


def mark_divergence(marks: Mapping[str, str]) -> Divergence | None:
    """Divergence of V/O marks {evaluator: "V" | "O"}."""
    return divergence({evaluator: mark == Mark.REACHED for evaluator, mark in marks.items()})


def rating_divergence(ratings: Mapping[str, str]) -> Divergence | None:
    """Divergence of soft-skill ratings: "voldoet nog niet" against voldoet / boven."""
    return divergence(
        {evaluator: rating != Rating.NOT_YET for evaluator, rating in ratings.items()}
    )


def _names(evaluators: Iterable[str]) -> str:
    return ", ".join(str(Evaluator(evaluator).label).lower() for evaluator in evaluators)


def describe(kind: Divergence | None, values: Mapping[str, bool], *, yes: str, no: str) -> str:
    """The sentence beside the ▲, read by everyone (and screen readers): who says what."""
    if kind is None:
        return ""
    team_yes = [e for e in COLUMNS if e != Evaluator.SELF and values.get(e) is True]
    team_no = [e for e in COLUMNS if e != Evaluator.SELF and values.get(e) is False]
    if kind == Divergence.SELF_HIGHER:
        return gettext("Student says %(yes)s, %(who)s %(no)s") % {
            "yes": yes,
            "no": no,
            "who": _names(team_no),
        }
    if kind == Divergence.SELF_LOWER:
        return gettext("Student says %(no)s, %(who)s %(yes)s") % {
            "yes": yes,
            "no": no,
            "who": _names(team_yes),
        }
    return gettext("The team disagrees: %(who_yes)s %(yes)s, %(who_no)s %(no)s") % {
        "yes": yes,
        "no": no,
        "who_yes": _names(team_yes),
        "who_no": _names(team_no),
    }


# --- Criteria ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    evaluator: str
    short: str
    value: str  # "V", "O", or a rating; "" when not given
    date: dt.date | None = None
    strong: bool = False

    @property
    def text(self) -> str:
        """What the cell shows: V / O, or the rating's words."""
        if self.value in Rating.values:
            return str(Rating(self.value).label)
        return self.value

    @property
    def label(self) -> str:
        """The column's name, e.g. "Mentor (M)"."""
        return f"{Evaluator(self.evaluator).label} ({self.short})"

    @property
    def positive(self) -> bool:
        return self.value in {Mark.REACHED, Rating.MEETS, Rating.ABOVE}


@dataclass
class CriterionRow:
    key: str
    label: str
    cells: list[Cell]
    sessions: int
    divergence: Divergence | None
    divergence_text: str

    @property
    def reached_by_team(self) -> bool:
        """Every team mark present is V (and there is one)."""
        team = [c.value for c in self.cells if c.evaluator != Evaluator.SELF and c.value]
        return bool(team) and all(value == Mark.REACHED for value in team)


@dataclass
class LeerficheBlock:
    key: str
    title: str
    leerfiche_id: int
    sessions: int
    last_date: dt.date
    rows: list[CriterionRow]
    statuses: list[tuple[str, Status]]  # (evaluator, status) in column order

    @property
    def divergences(self) -> int:
        return sum(1 for row in self.rows if row.divergence)


@dataclass
class Triangulation:
    traject_id: int
    columns: tuple[str, ...]
    leerfiches: list[LeerficheBlock] = field(default_factory=list)

    @cached_property
    def column_heads(self) -> list[tuple[str, str, str]]:
        """(evaluator, short head, full name) per column (computed once: the progress page
        reads it in a loop)."""
        return [
            (evaluator, short(evaluator), str(Evaluator(evaluator).label))
            for evaluator in self.columns
        ]

    @property
    def criteria(self) -> int:
        return sum(len(block.rows) for block in self.leerfiches)

    @property
    def reached(self) -> int:
        return sum(1 for block in self.leerfiches for row in block.rows if row.reached_by_team)

    @property
    def divergences(self) -> int:
        return sum(block.divergences for block in self.leerfiches)


def criterion_label(heading: str, text: str) -> str:
    if heading:
        return heading
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= 120 else first[:117] + "…"


def triangulate(
    *, traject_ids: Iterable[int], until: dt.date | None = None
) -> dict[int, Triangulation]:
    """{traject id: Triangulation} of the leerfiches each traject practised, optionally as it
    stood at the end of the day ``until`` (five queries, whatever the number of trajects,
    sessions or marks)."""
    traject_ids = list(traject_ids)
    if not traject_ids:
        return {}
    sessions_in = Session.objects.filter(traject_id__in=traject_ids)
    scores_in = CriterionScore.objects.filter(evaluation__session__traject_id__in=traject_ids)
    if until is not None:
        sessions_in = sessions_in.filter(date__lte=until)
        scores_in = scores_in.filter(evaluation__session__date__lte=until)
    # Sessions: which leerfiches each traject practised, how often, and the version of the
    # leerfiche practised last (its criteria are the rows).
    practised: dict[int, dict[str, list]] = defaultdict(dict)
    for traject_id, key, fiche_id, on in sessions_in.order_by("date", "pk").values_list(
        "traject_id", "leerfiche_key", "leerfiche_id", "date"
    ):
        entry = practised[traject_id].setdefault(key, [fiche_id, 0, on])
        entry[0], entry[1], entry[2] = fiche_id, entry[1] + 1, on
    fiche_ids = {entry[0] for per in practised.values() for entry in per.values()}
    fiches = {
        fiche.pk: fiche
        for fiche in Leerfiche.objects.filter(pk__in=fiche_ids)
        .select_related("theme")
        .only("pk", "key", "title", "order", "theme__order")
    }
    criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for fiche_id, key, heading, text in (
        Criterion.objects.filter(leerfiche_id__in=fiche_ids)
        .order_by("leerfiche_id", "order", "pk")
        .values_list("leerfiche_id", "key", "heading", "text")
    ):
        criteria[fiche_id].append((key, criterion_label(heading, text)))
    marks = latest_marks(traject_ids=traject_ids, until=until)
    counts = {
        (
            row["evaluation__session__traject_id"],
            row["evaluation__session__leerfiche_key"],
            row["criterion_key"],
        ): row["n"]
        for row in scores_in.values(
            "evaluation__session__traject_id",
            "evaluation__session__leerfiche_key",
            "criterion_key",
        )
        .annotate(n=Count("evaluation__session_id", distinct=True))
        .order_by()
    }
    with_oc = {
        traject_id
        for traject_id, _fiche, _key, evaluator in marks
        if evaluator == Evaluator.TRAINING_CENTRE
    }
    result: dict[int, Triangulation] = {}
    for traject_id in traject_ids:
        columns = COLUMNS if traject_id in with_oc else BASE_COLUMNS
        found = Triangulation(traject_id=traject_id, columns=columns)
        entries = practised.get(traject_id, {})
        ordered = sorted(
            entries.items(),
            key=lambda item: (
                fiches[item[1][0]].theme.order,
                fiches[item[1][0]].order,
                item[0],
            ),
        )
        for key, (fiche_id, sessions, last_date) in ordered:
            fiche = fiches[fiche_id]
            rows = []
            per_evaluator: dict[str, dict[str, Latest]] = defaultdict(dict)
            for criterion_key, label in criteria.get(fiche_id, []):
                given = {
                    evaluator: marks[(traject_id, key, criterion_key, evaluator)]
                    for evaluator in columns
                    if (traject_id, key, criterion_key, evaluator) in marks
                }
                for evaluator, latest in given.items():
                    per_evaluator[evaluator][criterion_key] = latest
                values = {evaluator: latest.mark for evaluator, latest in given.items()}
                kind = mark_divergence(values)
                rows.append(
                    CriterionRow(
                        key=criterion_key,
                        label=label,
                        cells=[
                            Cell(
                                evaluator,
                                short(evaluator),
                                given[evaluator].mark if evaluator in given else "",
                                given[evaluator].date if evaluator in given else None,
                            )
                            for evaluator in columns
                        ],
                        sessions=counts.get((traject_id, key, criterion_key), 0),
                        divergence=kind,
                        divergence_text=describe(
                            kind,
                            {e: v == Mark.REACHED for e, v in values.items()},
                            yes="V",
                            no="O",
                        ),
                    )
                )
            keys = [criterion_key for criterion_key, _label in criteria.get(fiche_id, [])]
            found.leerfiches.append(
                LeerficheBlock(
                    key=key,
                    title=fiche.title,
                    leerfiche_id=fiche_id,
                    sessions=sessions,
                    last_date=last_date,
                    rows=rows,
                    statuses=[
                        (
                            evaluator,
                            status_of(criterion_keys=keys, marks=per_evaluator.get(evaluator, {})),
                        )
                        for evaluator in columns
                    ],
                )
            )
        result[traject_id] = found
    return result


def triangulation(*, traject_id: int, until: dt.date | None = None) -> Triangulation:
    return triangulate(traject_ids=[traject_id], until=until)[traject_id]


# --- Soft skills ------------------------------------------------------------------------------


@dataclass
class SkillRow:
    skill: Skill
    cells: list[Cell]
    divergence: Divergence | None
    divergence_text: str

    @property
    def rated(self) -> bool:
        return any(cell.value for cell in self.cells)


@dataclass
class SkillGroupBlock:
    group: SkillGroup
    rows: list[SkillRow]
    agreement: str


@dataclass
class SkillPeriod:
    period: Period
    groups: list[SkillGroupBlock]

    @property
    def column_heads(self) -> list[tuple[str, str, str]]:
        return [
            (evaluator, short(evaluator), str(Evaluator(evaluator).label))
            for evaluator in SKILL_COLUMNS
        ]

    @property
    def rated(self) -> bool:
        return any(row.rated for group in self.groups for row in group.rows)

    @property
    def divergences(self) -> int:
        return sum(1 for group in self.groups for row in group.rows if row.divergence)


def soft_skills(
    *, traject_ids: Iterable[int], partnership_ids: Iterable[int], agreements: bool = True
) -> dict[int, list[SkillPeriod]]:
    """{traject id: [SkillPeriod per period of its partnership, in order]} (three queries; two
    with ``agreements=False``, for a page that does not show them: every group's agreement is
    then "")."""
    traject_ids = list(traject_ids)
    if not traject_ids:
        return {}
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(partnership_id__in=set(partnership_ids)).order_by(
        "order", "start_date", "pk"
    ):
        periods[period.partnership_id].append(period)
    ratings: dict[tuple[int, int], dict[str, dict[str, tuple[str, bool]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for (
        traject_id,
        period_id,
        evaluator,
        skill_key,
        rating,
        strong,
    ) in SoftSkillRating.objects.filter(column__round__traject_id__in=traject_ids).values_list(
        "column__round__traject_id",
        "column__round__period_id",
        "column__evaluator",
        "skill_key",
        "rating",
        "strong",
    ):
        ratings[(traject_id, period_id)][skill_key][evaluator] = (rating, strong)
    agreed: dict[tuple[int, int, str], str] = (
        {
            (traject_id, period_id, group_key): text
            for traject_id, period_id, group_key, text in SoftSkillAgreement.objects.filter(
                round__traject_id__in=traject_ids
            ).values_list("round__traject_id", "round__period_id", "group_key", "text")
        }
        if agreements
        else {}
    )
    yes, no = str(Rating.MEETS.label), str(Rating.NOT_YET.label)
    # The cells of a skill nobody rated (most of them): the same frozen cells for every row.
    unrated = [Cell(evaluator, short(evaluator), "", None, False) for evaluator in SKILL_COLUMNS]
    partnership_of = dict(zip(traject_ids, partnership_ids, strict=True))
    result: dict[int, list[SkillPeriod]] = {}
    for traject_id in traject_ids:
        result[traject_id] = []
        for period in periods.get(partnership_of[traject_id], []):
            given = ratings.get((traject_id, period.pk), {})
            groups = []
            for group in GROUPS:
                rows = []
                for skill in group.skills:
                    per = given.get(skill.key)
                    if not per:
                        rows.append(SkillRow(skill, list(unrated), None, ""))
                        continue
                    values = {
                        e: rating for e, (rating, _strong) in per.items() if e in SKILL_COLUMNS
                    }
                    kind = rating_divergence(values)
                    rows.append(
                        SkillRow(
                            skill=skill,
                            cells=[
                                Cell(
                                    evaluator,
                                    short(evaluator),
                                    per[evaluator][0] if evaluator in per else "",
                                    None,
                                    per[evaluator][1] if evaluator in per else False,
                                )
                                for evaluator in SKILL_COLUMNS
                            ],
                            divergence=kind,
                            divergence_text=describe(
                                kind,
                                {e: r != Rating.NOT_YET for e, r in values.items()},
                                yes=yes,
                                no=no,
                            ),
                        )
                    )
                groups.append(
                    SkillGroupBlock(
                        group=group,
                        rows=rows,
                        agreement=agreed.get((traject_id, period.pk, group.key), ""),
                    )
                )
            result[traject_id].append(SkillPeriod(period=period, groups=groups))
    return result


def workplace_sessions(*, traject: Traject) -> list[Session]:
    """What the student learned at the workplace: the traject's company sessions, oldest first,
    with only the fields the triangulation page shows (one query)."""
    return list(
        Session.objects.filter(traject=traject, place=PlaceKind.COMPANY)
        .select_related("leerfiche")
        .only(
            "pk",
            "date",
            "leerfiche_key",
            "omschrijving",
            "werktijden",
            "student_note",
            "sterke_punten",
            "leerfiche__title",
        )
        .order_by("date", "pk")
    )
