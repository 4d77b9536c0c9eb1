"""PDF kind ``opdracht``: the opdracht session sheets of one traject in the appendix-2 layout.

Per leerfiche with an opdracht that the student practised: the opdracht's header (lasprocédé,
lasnaadvorm, lasstand, doelstelling, WPS), one column per session (datum, omschrijving,
werktijden, gebruikte metaal) in tables of five sessions as the printed sheet has, the
behaviour list Ja/Nee, the measurements, the ISO criteria V/O by the leerling and by the
leerkracht/mentor, and the sheet's foot: sterke punten / werkpunten / afspraken with their date.

The PDF engine names a document by one subject and no parameter (decision 0007), so the
subject is the traject and the document holds every opdracht leerfiche the student has
sessions of, one sheet each. Who may ask for it is who sees the traject; everyone else 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from evaluation.models import Evaluation, Evaluator, Session, Werkpunt
from learning.models import Criterion, ItemKind, Leerfiche, LeerficheItem
from partnerships import permissions
from partnerships.models import Traject

# The sheet's printed columns: five sessions side by side.
SESSIONS_PER_TABLE = 5
# The words of appendix 2 as printed (domain text, not translated).
APPENDIX_2 = {
    "date": "Datum",
    "omschrijving": "Omschrijving lasopdracht",
    "werktijden": "Werktijden",
    "metal": "Gebruikte metaal",
    "metals": "Staal / RVS / ALU",
    "measurement": "Evaluatie meting niveau",
    "rule": (
        "De leerling blijft oefenen tot alle evaluatiecriteria bereikt zijn "
        "(V = bereikt, O = nog niet bereikt)"
    ),
    "criteria": "Evaluatiecriteria ISO",
    "by": "Evaluatie door:",
    "student": "Leerling",
    "team": "Lkr/ Mentor",
    "foot": "Sterke punten / Werkpunten/ Afspraken",
    "lasprocede": "Lasprocédé",
    "lasnaadvorm": "Lasnaadvorm",
    "lasstand": "Lasstand",
    "doelstelling": "Doelstelling",
    "wps": "Lasmethodebeschrijving (WPS)",
    "name": "Naam leerling(e)",
    "norm": "vlgs norm",
}
# The leerkracht/mentor column of the sheet: the mentor's, else the teacher's, else the
# training centre's.
TEAM_COLUMNS = (Evaluator.MENTOR, Evaluator.TEACHER, Evaluator.TRAINING_CENTRE)


@dataclass
class SessionColumn:
    session: Session
    student: Evaluation | None = None
    team: Evaluation | None = None
    marks: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (LL, M)
    answers: dict[str, str] = field(default_factory=dict)  # item text -> answer


@dataclass
class Row:
    label: str
    cells: list


@dataclass
class OpdrachtSheet:
    leerfiche: Leerfiche
    tables: list[dict]
    foot: list[dict]


def _criterion_label(criterion: Criterion) -> str:
    if not criterion.norm_reference:
        return criterion.text
    if criterion.text.rstrip().lower().endswith("norm"):
        return f"{criterion.text} {criterion.norm_reference}"
    return f"{criterion.text} {APPENDIX_2['norm']} {criterion.norm_reference}"


def opdracht_context(*, traject: Traject) -> dict:
    """The appendix-2 sheets of every opdracht leerfiche the student has sessions of."""
    sessions = list(
        Session.objects.filter(traject=traject, leerfiche__has_opdracht=True)
        .select_related("leerfiche")
        .order_by("leerfiche_key", "date", "pk")
    )
    fiche_ids = {s.leerfiche_id for s in sessions}
    items = list(
        LeerficheItem.objects.filter(
            leerfiche_id__in=fiche_ids, kind__in=(ItemKind.BEHAVIOUR, ItemKind.MEASUREMENT)
        ).order_by("leerfiche_id", "order", "pk")
    )
    item_text = {item.pk: item.text for item in items}
    criteria = list(Criterion.objects.filter(leerfiche_id__in=fiche_ids).order_by("order", "pk"))
    columns = {s.pk: SessionColumn(s) for s in sessions}
    for evaluation in Evaluation.objects.filter(session__in=sessions).prefetch_related(
        "scores", "answers"
    ):
        column = columns[evaluation.session_id]
        if evaluation.evaluator == Evaluator.SELF:
            column.student = evaluation
        elif column.team is None or TEAM_COLUMNS.index(evaluation.evaluator) < TEAM_COLUMNS.index(
            column.team.evaluator
        ):
            column.team = evaluation
    for column in columns.values():
        student = (
            {s.criterion_key: s.mark for s in column.student.scores.all()} if column.student else {}
        )
        team = {s.criterion_key: s.mark for s in column.team.scores.all()} if column.team else {}
        column.marks = {key: (student.get(key, ""), team.get(key, "")) for key in {*student, *team}}
        # The behaviour list and the measurements: the team's answer, else the student's.
        for evaluation in (column.student, column.team):
            if evaluation is not None:
                for answer in evaluation.answers.all():
                    column.answers[item_text.get(answer.item_id, "")] = answer.value
    werkpunten: dict[int, list[Werkpunt]] = {}
    for werkpunt in Werkpunt.objects.filter(session__in=sessions).order_by("opened_on", "pk"):
        werkpunten.setdefault(werkpunt.session_id, []).append(werkpunt)

    sheets = []
    by_key: dict[str, list[Session]] = {}
    for session in sessions:
        by_key.setdefault(session.leerfiche_key, []).append(session)
    for group in by_key.values():
        leerfiche = group[-1].leerfiche  # the version practised last
        behaviours = [
            i.text for i in items if i.leerfiche_id == leerfiche.pk and i.kind == ItemKind.BEHAVIOUR
        ]
        measurements = [
            i.text
            for i in items
            if i.leerfiche_id == leerfiche.pk and i.kind == ItemKind.MEASUREMENT
        ]
        fiche_criteria = [c for c in criteria if c.leerfiche_id == leerfiche.pk]
        tables = []
        for start in range(0, len(group), SESSIONS_PER_TABLE):
            chunk = [columns[s.pk] for s in group[start : start + SESSIONS_PER_TABLE]]
            blanks = [None] * (SESSIONS_PER_TABLE - len(chunk))
            tables.append(
                {
                    "columns": chunk + blanks,
                    "behaviours": [
                        Row(text, [c.answers.get(text, "") if c else None for c in chunk] + blanks)
                        for text in behaviours
                    ],
                    "measurements": [
                        Row(text, [c.answers.get(text, "") if c else None for c in chunk] + blanks)
                        for text in measurements
                    ],
                    "criteria": [
                        Row(
                            _criterion_label(criterion),
                            [c.marks.get(criterion.key, ("", "")) for c in chunk]
                            + [("", "")] * len(blanks),
                        )
                        for criterion in fiche_criteria
                    ],
                }
            )
        foot = [
            {"session": s, "werkpunten": werkpunten.get(s.pk, [])}
            for s in group
            if s.sterke_punten or werkpunten.get(s.pk)
        ]
        sheets.append(OpdrachtSheet(leerfiche, tables, foot))
    return {
        "traject": traject,
        "student": traject.student,
        "partnership": traject.partnership,
        "sheets": sheets,
        "words": APPENDIX_2,
    }


@register_kind
class OpdrachtSheets(DocumentKind):
    """The appendix-2 opdracht sheets of a traject, for whoever sees the traject."""

    code = "opdracht_sheets"
    slug = "opdracht"
    label = _("Opdracht sheets")
    template_name = "pdf/opdracht.html"
    subject_field = "traject"
    subject_related = ("student",)

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Traject:
        return permissions.get_traject_for_user(user=user, public_id=subject_id)

    def subjects_visible_to(self, *, user: User) -> QuerySet[Traject]:
        return permissions.trajects_visible_to(user=user)

    def load_subject(self, *, pk: int) -> Traject:
        return Traject.objects.select_related("student", "partnership").get(pk=pk)

    def context(self, *, subject: Traject, viewer: User) -> dict:
        return opdracht_context(traject=subject)

    def title(self, subject: Traject) -> str:
        return f"{_('Opdracht sheets')} – {subject.student.full_name}"

    def subject_path(self, subject: Traject) -> str:
        return reverse("partnerships:traject_detail", args=[subject.public_id])

    def filename_stem(self, subject: Traject) -> str:
        return f"opdrachten-{subject.student.full_name}"
