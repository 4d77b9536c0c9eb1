"""Reads of the soft-skill sheet (appendix 3): one traject's round of one evaluation period with
every column (LL / M / LK), the mentor's sterke punten, the afspraken per group and the
werkpunten — the same rows for the screen and the PDF, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from evaluation.models import (
    Evaluator,
    SoftSkillAgreement,
    SoftSkillColumn,
    SoftSkillRating,
    SoftSkillRound,
    Werkpunt,
)
from evaluation.skills import (
    ABOVE_BASIC_HEADING,
    BASIC_HEADING,
    GROUPS,
    SKILLS,
    Skill,
    SkillGroup,
)
from learning.models import Period
from partnerships.models import Traject

# The sheet's columns in the printed order: LL, M, LK.
SHEET_COLUMNS: tuple[str, ...] = (Evaluator.SELF, Evaluator.MENTOR, Evaluator.TEACHER)


@dataclass
class ItemRow:
    skill: Skill
    ratings: dict[str, str] = field(default_factory=dict)  # evaluator -> rating
    strong: bool = False  # the mentor's sterke punt
    werkpunten: list[Werkpunt] = field(default_factory=list)  # opened in this round
    # The form's state, filled in by the view (``evaluation.views.softskills``).
    mine: str = ""  # the viewer's rating, posted or stored
    mine_strong: bool = False
    cells: list[tuple[str, StrOrPromise, str]] = field(default_factory=list)  # short, label, value
    open_werkpunt: bool = False
    werkpunt_fields: list[dict[str, Any]] = field(default_factory=list)
    werkpunt_error: bool = False
    asks_werkpunt: bool = False

    @property
    def key(self) -> str:
        return self.skill.key


@dataclass
class Section:
    heading: str  # "" for the groups without Basis / Uitbreiding
    items: list[ItemRow]


@dataclass
class GroupBlock:
    group: SkillGroup
    sections: list[Section]
    agreement: str = ""
    # The form's state, filled in by the view.
    agreement_value: str = ""
    agreement_error: str = ""

    @property
    def items(self) -> list[ItemRow]:
        return [item for section in self.sections for item in section.items]

    @property
    def has_above_basic(self) -> bool:
        return any(item.skill.above_basic for item in self.items)


@dataclass
class Sheet:
    traject: Traject
    period: Period
    round: SoftSkillRound | None
    columns: dict[str, SoftSkillColumn]
    groups: list[GroupBlock]
    # Open soft-skill werkpunten opened before this round (they come back at the top).
    earlier_open: list[Werkpunt]

    def column_version(self, evaluator: str) -> int:
        column = self.columns.get(evaluator)
        return column.version if column is not None else 0


def periods_of(traject: Traject) -> list[Period]:
    return list(Period.objects.filter(partnership_id=traject.partnership_id))


def current_period(periods: list[Period], today: dt.date | None = None) -> Period | None:
    """The period holding ``today``; else the last one begun; else the first one."""
    today = today or timezone.localdate()
    if not periods:
        return None
    for period in periods:
        if period.start_date <= today <= period.end_date:
            return period
    begun = [p for p in periods if p.start_date <= today]
    return begun[-1] if begun else periods[0]


def sheet(*, traject: Traject, period: Period) -> Sheet:
    """The appendix-3 sheet of ``traject`` in ``period`` (empty cells when nobody rated yet)."""
    found = SoftSkillRound.objects.filter(traject=traject, period=period).first()
    columns: dict[str, SoftSkillColumn] = {}
    rows = {key: ItemRow(skill) for key, skill in SKILLS.items()}
    agreements: dict[str, str] = {}
    if found is not None:
        columns = {
            column.evaluator: column
            for column in SoftSkillColumn.objects.filter(round=found).select_related("author")
        }
        for evaluator, key, rating, strong in SoftSkillRating.objects.filter(
            column__round=found
        ).values_list("column__evaluator", "skill_key", "rating", "strong"):
            if key not in rows:
                continue
            rows[key].ratings[evaluator] = rating
            if strong and evaluator == Evaluator.MENTOR:
                rows[key].strong = True
        agreements = dict(
            SoftSkillAgreement.objects.filter(round=found).values_list("group_key", "text")
        )
        for werkpunt in Werkpunt.objects.filter(soft_skill_round=found).order_by("opened_on", "pk"):
            if werkpunt.skill_key in rows:
                rows[werkpunt.skill_key].werkpunten.append(werkpunt)
    earlier = Werkpunt.objects.filter(
        traject=traject, closed_on__isnull=True, skill_key__in=list(SKILLS)
    )
    if found is not None:
        earlier = earlier.filter(~Q(soft_skill_round=found) | Q(soft_skill_round__isnull=True))
    groups = []
    for group in GROUPS:
        items = [rows[skill.key] for skill in group.skills]
        if group.split_basic:
            sections = [
                Section(BASIC_HEADING, [i for i in items if not i.skill.above_basic]),
                Section(ABOVE_BASIC_HEADING, [i for i in items if i.skill.above_basic]),
            ]
        else:
            sections = [Section("", items)]
        groups.append(GroupBlock(group, sections, agreements.get(group.key, "")))
    return Sheet(
        traject=traject,
        period=period,
        round=found,
        columns=columns,
        groups=groups,
        earlier_open=list(earlier.order_by("opened_on", "pk")),
    )


def rounds_of(traject: Traject) -> list[SoftSkillRound]:
    """The traject's rounds in period order (for the PDF)."""
    return list(
        SoftSkillRound.objects.filter(traject=traject)
        .select_related("period")
        .order_by("period__order", "period__start_date")
    )
