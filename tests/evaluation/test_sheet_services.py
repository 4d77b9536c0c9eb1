"""The rules of a sheet: who writes which column, optimistic versions, the lock after
handing in, corrections after the edit window, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from duaal.models import AuditEntry
from evaluation.models import Correction, CriterionScore, Evaluation, Evaluator
from evaluation.selectors.marks import Progress, leerfiche_statuses
from evaluation.services import sheets
from tests.evaluation.support import as_seen_by, leerfiche, traject_of

TODAY = dt.date(2026, 11, 26)
FICHE = "geintegreerde-lasopdracht"


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


def _session(demo_cast, lotte, on=TODAY):
    student = demo_cast["leerling1@sintjozef.demo"]
    return sheets.open_session(
        actor=student,
        traject=as_seen_by(student, lotte),
        leerfiche=leerfiche(lotte, FICHE),
        on=on,
        today=TODAY,
    )


def test_each_person_writes_their_own_column(demo_cast, lotte):
    roles = {
        email: as_seen_by(demo_cast[email], lotte).evaluator_roles
        for email in (
            "leerling1@sintjozef.demo",
            "mentor@vandenberghe.demo",
            "lk@sintjozef.demo",
            "ouder1@sintjozef.demo",
        )
    }
    assert roles == {
        "leerling1@sintjozef.demo": {Evaluator.SELF},
        "mentor@vandenberghe.demo": {Evaluator.MENTOR},
        "lk@sintjozef.demo": {Evaluator.TEACHER},
        "ouder1@sintjozef.demo": set(),
    }
    with pytest.raises(Http404):
        as_seen_by(demo_cast["mentor2@vandenberghe.demo"], lotte)


def test_a_parent_or_the_student_cannot_write_someone_elses_column(demo_cast, lotte):
    session = _session(demo_cast, lotte)
    parent = demo_cast["ouder1@sintjozef.demo"]
    with pytest.raises(PermissionDenied):
        sheets.rate(
            actor=parent,
            traject=as_seen_by(parent, lotte),
            session=session,
            evaluator=Evaluator.SELF,
            marks={},
            version=0,
        )
    student = demo_cast["leerling1@sintjozef.demo"]
    with pytest.raises(PermissionDenied):
        sheets.rate(
            actor=student,
            traject=as_seen_by(student, lotte),
            session=session,
            evaluator=Evaluator.MENTOR,
            marks={},
            version=0,
        )


def test_rating_saves_marks_and_writes_the_audit_trail(demo_cast, lotte):
    session = _session(demo_cast, lotte)
    student = demo_cast["leerling1@sintjozef.demo"]
    keys = list(session.leerfiche.criteria.order_by("order").values_list("key", flat=True))
    state = sheets.rate(
        actor=student,
        traject=as_seen_by(student, lotte),
        session=session,
        evaluator=Evaluator.SELF,
        marks={keys[0]: "V", keys[1]: "O"},
        version=0,
    )
    assert state.marks == {keys[0]: "V", keys[1]: "O"}
    assert state.version == 1
    entry = AuditEntry.objects.filter(action="evaluation.rate", traject_id=lotte.pk).get()
    assert entry.changes[keys[1]] == [None, "O"]
    # Clearing a mark (a second tap) removes it.
    state = sheets.rate(
        actor=student,
        traject=as_seen_by(student, lotte),
        session=session,
        evaluator=Evaluator.SELF,
        marks={keys[1]: None},
        version=1,
    )
    assert state.marks == {keys[0]: "V"}


def test_two_saves_from_the_same_version_one_wins_the_other_sees_its_values(demo_cast, lotte):
    session = _session(demo_cast, lotte)
    mentor = demo_cast["mentor@vandenberghe.demo"]
    traject = as_seen_by(mentor, lotte)
    key = session.leerfiche.criteria.order_by("order").first().key
    sheets.rate(
        actor=mentor,
        traject=traject,
        session=session,
        evaluator="mentor",
        marks={key: "V"},
        version=0,
    )
    # A second tab, loaded before that save, still holds version 0.
    with pytest.raises(sheets.StaleVersion) as stale:
        sheets.rate(
            actor=mentor,
            traject=traject,
            session=session,
            evaluator="mentor",
            marks={key: "O"},
            version=0,
        )
    assert stale.value.current.marks == {key: "V"}
    assert "Iemand anders" in stale.value.messages[0] or "Someone else" in stale.value.messages[0]
    assert CriterionScore.objects.get(criterion_key=key).mark == "V"


def test_a_handed_in_column_is_locked_for_others_and_corrected_with_history_later(demo_cast, lotte):
    session = _session(demo_cast, lotte)
    lk = demo_cast["lk@sintjozef.demo"]
    coord = demo_cast["coord@sintjozef.demo"]
    key = session.leerfiche.criteria.order_by("order").first().key
    handed_in = timezone.now() - dt.timedelta(days=1)
    state = sheets.rate(
        actor=lk,
        traject=as_seen_by(lk, lotte),
        session=session,
        evaluator="teacher",
        marks={key: "O"},
        version=0,
        submit=True,
        now=handed_in,
    )
    assert state.evaluation.submitted_at == handed_in
    coord_traject = as_seen_by(coord, lotte)
    assert Evaluator.TEACHER in coord_traject.evaluator_roles
    with pytest.raises(sheets.Locked):
        sheets.rate(
            actor=coord,
            traject=coord_traject,
            session=session,
            evaluator="teacher",
            marks={key: "V"},
            version=state.version,
        )
    # Within the window the author changes it without a correction …
    state = sheets.rate(
        actor=lk,
        traject=as_seen_by(lk, lotte),
        session=session,
        evaluator="teacher",
        marks={key: "V"},
        version=state.version,
    )
    assert not Correction.objects.exists()
    # … after it, each change is kept.
    with override_settings(EVALUATION_EDIT_DAYS=0):
        sheets.rate(
            actor=lk,
            traject=as_seen_by(lk, lotte),
            session=session,
            evaluator="teacher",
            marks={key: "O"},
            version=state.version,
        )
    correction = Correction.objects.get()
    assert (correction.subject, correction.old_value, correction.new_value) == (key, "V", "O")
    assert AuditEntry.objects.filter(action="evaluation.correct").count() == 1


def test_bad_input_is_refused_and_changes_nothing(demo_cast, lotte):
    session = _session(demo_cast, lotte)
    student = demo_cast["leerling1@sintjozef.demo"]
    traject = as_seen_by(student, lotte)
    key = session.leerfiche.criteria.first().key
    for marks in ({key: "X"}, {"not-a-criterion": "V"}):
        with pytest.raises(ValidationError):
            sheets.rate(
                actor=student,
                traject=traject,
                session=session,
                evaluator="self",
                marks=marks,
                version=0,
            )
    with pytest.raises(ValidationError):
        sheets.open_session(
            actor=student,
            traject=traject,
            leerfiche=session.leerfiche,
            on=TODAY + dt.timedelta(days=1),
            today=TODAY,
        )
    assert not Evaluation.objects.exists()


def test_status_follows_the_latest_marks_until_every_criterion_is_reached(demo_cast, lotte):
    student = demo_cast["leerling1@sintjozef.demo"]
    traject = as_seen_by(student, lotte)
    fiche = leerfiche(lotte, FICHE)
    keys = list(fiche.criteria.values_list("key", flat=True))
    status = leerfiche_statuses(traject_id=lotte.pk, leerfiches=[fiche], evaluators=["self"])
    assert status[(FICHE, "self")].progress == Progress.NOT_STARTED
    first = _session(demo_cast, lotte, on=TODAY - dt.timedelta(days=2))
    sheets.rate(
        actor=student,
        traject=traject,
        session=first,
        evaluator="self",
        marks=dict.fromkeys(keys, "O"),
        version=0,
    )
    second = _session(demo_cast, lotte, on=TODAY)
    sheets.rate(
        actor=student,
        traject=traject,
        session=second,
        evaluator="self",
        marks=dict.fromkeys(keys[:-1], "V"),
        version=0,
    )
    status = leerfiche_statuses(traject_id=lotte.pk, leerfiches=[fiche], evaluators=["self"])
    assert status[(FICHE, "self")].progress == Progress.PRACTISING
    assert status[(FICHE, "self")].reached == len(keys) - 1
    sheets.rate(
        actor=student,
        traject=traject,
        session=second,
        evaluator="self",
        marks={keys[-1]: "V"},
        version=1,
    )
    status = leerfiche_statuses(
        traject_id=lotte.pk, leerfiches=[fiche], evaluators=["self", "mentor"]
    )
    assert status[(FICHE, "self")].progress == Progress.REACHED
    assert status[(FICHE, "self")].date == TODAY
    assert status[(FICHE, "mentor")].progress == Progress.NOT_STARTED


def test_the_training_centre_rates_only_the_sessions_it_hosts(demo_cast, lotte):
    oc = demo_cast["oc@octl.demo"]
    traject = as_seen_by(oc, lotte)
    assert traject.evaluator_roles == {Evaluator.TRAINING_CENTRE}
    fiche = leerfiche(lotte, "hoeklas-pb")
    at_centre = sheets.open_session(
        actor=oc, traject=traject, leerfiche=fiche, on=TODAY, place="training_centre", today=TODAY
    )
    key = fiche.criteria.order_by("order").first().key
    state = sheets.rate(
        actor=oc,
        traject=traject,
        session=at_centre,
        evaluator="training_centre",
        marks={key: "V"},
        version=0,
    )
    assert state.marks == {key: "V"}
    yesterday = TODAY - dt.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        sheets.open_session(actor=oc, traject=traject, leerfiche=fiche, on=yesterday, today=TODAY)
    at_company = _session(demo_cast, lotte, on=yesterday)
    with pytest.raises(PermissionDenied):
        sheets.rate(
            actor=oc,
            traject=traject,
            session=at_company,
            evaluator="training_centre",
            marks={key: "V"},
            version=0,
        )
    for other in ("mentor", "teacher", "self"):
        with pytest.raises(PermissionDenied):
            sheets.rate(
                actor=oc,
                traject=traject,
                session=at_centre,
                evaluator=other,
                marks={key: "V"},
                version=None,
            )


def test_a_nul_character_is_refused_with_a_message_not_a_server_error(demo_cast, lotte):
    session = _session(demo_cast, lotte)
    student = demo_cast["leerling1@sintjozef.demo"]
    with pytest.raises(ValidationError) as refused:
        sheets.update_session(
            actor=student,
            traject=as_seen_by(student, lotte),
            session=session,
            version=session.version,
            student_note="a\x00b",
        )
    assert "student_note" in refused.value.message_dict
    mentor = demo_cast["mentor@vandenberghe.demo"]
    from evaluation.services import werkpunten

    with pytest.raises(ValidationError):
        werkpunten.open_werkpunt(actor=mentor, traject=as_seen_by(mentor, lotte), text="\x00")
