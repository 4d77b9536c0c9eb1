"""What evaluation holds about a person (plug-in of ``duaal.privacy``): a student's practice
sessions, every column's marks, the weekly check-ins, soft skills and werkpunten; for a staff
member, how many evaluations they wrote (their content belongs to the students' files)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from duaal.privacy import Person, Provider, Section, register_provider
from evaluation.models import (
    CheckinBehaviour,
    CriterionScore,
    Evaluation,
    Evaluator,
    Rating,
    Session,
    SoftSkillAgreement,
    SoftSkillColumn,
    SoftSkillRating,
    WeeklyCheckin,
    Werkpunt,
)
from evaluation.skills import GROUPS_BY_KEY, SKILLS


@register_provider
class EvaluationProvider(Provider):
    key = "evaluation.student"
    order = 60

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        sections = []
        if person.student_id is not None:
            sections += self._student(person.student_id)
        if person.user_id is not None:
            written = Evaluation.objects.filter(author_id=person.user_id).count()
            written += SoftSkillColumn.objects.filter(author_id=person.user_id).count()
            written += WeeklyCheckin.objects.filter(author_id=person.user_id).count()
            if written:
                sections.append(
                    Section(
                        "evaluations_written",
                        _("Evaluations you wrote"),
                        [{_("number"): written}],
                    )
                )
        return sections

    def _student(self, student_id: int) -> list[Section]:
        sessions = list(
            Session.objects.filter(traject__student_id=student_id)
            .select_related("leerfiche")
            .order_by("date", "pk")
        )
        marks: dict[int, list[str]] = defaultdict(list)
        for session_id, evaluator, key, mark in (
            CriterionScore.objects.filter(evaluation__session__in=sessions)
            .order_by("evaluation__session_id", "evaluation__evaluator", "criterion_key")
            .values_list("evaluation__session_id", "evaluation__evaluator", "criterion_key", "mark")
        ):
            marks[session_id].append(f"{Evaluator(evaluator).label} {key}: {mark}")
        session_rows = [
            {
                _("date"): session.date,
                _("leerfiche"): session.leerfiche.title,
                _("place"): session.get_place_display(),
                _("description"): session.omschrijving,
                _("working hours"): session.werktijden,
                _("metal"): session.get_metal_display(),
                _("what I learned today"): session.student_note,
                _("strong points"): session.sterke_punten,
                _("marks"): "; ".join(marks[session.pk]),
            }
            for session in sessions
        ]
        behaviour: dict[int, list[str]] = defaultdict(list)
        checkins = list(
            WeeklyCheckin.objects.filter(traject__student_id=student_id).order_by("week_start")
        )
        for checkin_id, key, rating in CheckinBehaviour.objects.filter(
            checkin__in=checkins
        ).values_list("checkin_id", "skill_key", "rating"):
            behaviour[checkin_id].append(f"{SKILLS[key].name}: {Rating(rating).label}")
        checkin_rows = [
            {
                _("week"): checkin.week_start,
                _("completed"): checkin.done_at,
                _("behaviour"): "; ".join(behaviour[checkin.pk]),
            }
            for checkin in checkins
        ]
        soft_rows = [
            {
                _("period"): rating.column.round.period.name,
                _("evaluator"): rating.column.get_evaluator_display(),
                _("soft skill"): SKILLS[rating.skill_key].name
                if rating.skill_key in SKILLS
                else rating.skill_key,
                _("rating"): rating.get_rating_display(),
                _("strong point"): rating.strong,
            }
            for rating in SoftSkillRating.objects.filter(
                column__round__traject__student_id=student_id
            )
            .select_related("column__round__period")
            .order_by("column__round__period__start_date", "column__evaluator", "skill_key")
        ]
        agreements = [
            {
                _("period"): agreement.round.period.name,
                _("group"): GROUPS_BY_KEY[agreement.group_key].title
                if agreement.group_key in GROUPS_BY_KEY
                else agreement.group_key,
                _("afspraken"): agreement.text,
            }
            for agreement in SoftSkillAgreement.objects.filter(
                round__traject__student_id=student_id
            ).select_related("round__period")
        ]
        werkpunten = [
            {
                _("opened on"): werkpunt.opened_on,
                _("werkpunt"): werkpunt.text,
                _("concrete example"): werkpunt.example,
                _("afspraak"): werkpunt.afspraak,
                _("closed on"): werkpunt.closed_on,
                _("outcome"): werkpunt.get_outcome_display(),
                _("outcome note"): werkpunt.outcome_note,
            }
            for werkpunt in Werkpunt.objects.filter(traject__student_id=student_id).order_by(
                "opened_on", "pk"
            )
        ]
        return [
            Section("sessions", _("Practice sessions and marks"), session_rows),
            Section("weekly_checkins", _("Weekly check-ins"), checkin_rows),
            Section("soft_skills", _("Soft skills"), soft_rows),
            Section("soft_skill_agreements", _("Afspraken on soft skills"), agreements),
            Section("werkpunten", _("Werkpunten"), werkpunten),
        ]
