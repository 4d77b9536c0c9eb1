"""Evaluation data in the isolation suite: per account of the demo cast, which trajects'
sessions, evaluations, werkpunten and soft skills it reads (the access module's fetch: 404
for the others) and which columns it writes (``evaluator_roles``, enforced by the services);
and a marker in Jonas's (B1) session note and werkpunt reaches nobody on the A side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from evaluation.models import Evaluator
from evaluation.services import checkins, sheets, softskills, werkpunten
from learning.models import Leerfiche, Opleidingsplan, Period, SetVersion
from learning.selectors.traject_leerfiches import adopted_version
from organisations import demo as people
from partnerships import permissions
from partnerships.models import Traject
from tests.isolation.test_roles_and_sentinel import _crawl
from tests.isolation.test_url_classification import TENANT_SCOPED

pytestmark = pytest.mark.django_db

SELF, M, LK = Evaluator.SELF.value, Evaluator.MENTOR.value, Evaluator.TEACHER.value
OC = Evaluator.TRAINING_CENTRE.value

# {account: {student whose evaluations it reads: the columns it writes}}; a student not listed
# is 404. From the access model and each partnership's RACI row "Evalueren en feedback geven"
# (R/A: mentor, company coördinator, leerkracht, school coördinator; the others read).
EXPECTED: dict[str, dict[str, set[str]]] = {
    "tb@sintjozef.demo": {"Lotte": set(), "Mohamed": set(), "Emma": set()},
    "coord@sintjozef.demo": {"Lotte": {LK}, "Mohamed": {LK}, "Emma": {LK}, "Noor": {LK}},
    "lk@sintjozef.demo": {"Lotte": {LK}, "Mohamed": {LK}, "Noor": {LK}},
    "directie@sintjozef.demo": {"Lotte": set(), "Mohamed": set(), "Emma": set()},
    "tb@dering.demo": {"Jonas": set()},
    "directie@dering.demo": {"Jonas": set()},
    "mentor@vandenberghe.demo": {"Lotte": {M}, "Noor": {M}},
    "mentor2@vandenberghe.demo": {"Mohamed": {M}, "Jonas": {M}},
    "coord@vandenberghe.demo": {"Lotte": {M}, "Mohamed": {M}, "Jonas": {M}, "Noor": {M}},
    "directie@vandenberghe.demo": {"Lotte": set(), "Mohamed": set(), "Jonas": set()},
    "mentor@daems.demo": {"Emma": {M}},
    "coord@daems.demo": {"Emma": {M}},
    # Consulted (C) on "Evalueren": the training centre contributes its own column (OC), on
    # the sessions it hosts (test_sheet_services.py).
    "oc@octl.demo": {"Lotte": {OC}, "Mohamed": {OC}},
    "consulent@sector.demo": {},
    "leerling1@sintjozef.demo": {"Lotte": {SELF}},
    "leerling2@sintjozef.demo": {"Mohamed": {SELF}},
    "leerling3@sintjozef.demo": {"Emma": {SELF}},
    "leerling1@dering.demo": {"Jonas": {SELF}},
    "ouder1@sintjozef.demo": {"Lotte": set()},
    "leerling4@sintjozef.demo": {"Noor": {SELF}},
    "ouder2@sintjozef.demo": {"Noor": set()},
}
STUDENTS = ("Lotte", "Mohamed", "Emma", "Jonas")


def _trajects() -> dict[str, Traject]:
    return {
        t.student.first_name: t
        for t in Traject.objects.select_related("student").filter(student__first_name__in=STUDENTS)
    }


def test_the_expectations_cover_the_whole_cast():
    assert set(EXPECTED) == {person.email for person in people.PEOPLE}


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_each_account_reads_and_writes_exactly_its_evaluations(demo_cast, email):
    user = demo_cast[email]
    expected = EXPECTED[email]
    writable = set(
        permissions.trajects_evaluable_by(user=user).values_list("student__first_name", flat=True)
    )
    # The database filter of list pages: the team members who evaluate (a student's own
    # column does not come from the RACI task; the training centre contributes as consulted).
    assert writable == {name for name, cols in expected.items() if cols - {SELF, OC}}
    for name, traject in _trajects().items():
        if name not in expected:
            with pytest.raises(Http404):
                permissions.get_traject_for_evaluation(user=user, public_id=traject.public_id)
            continue
        seen = permissions.get_traject_for_evaluation(user=user, public_id=traject.public_id)
        assert seen.evaluator_roles == expected[name], name
        if not expected[name]:
            with pytest.raises(PermissionDenied):
                permissions.get_traject_for_evaluation(
                    user=user, public_id=traject.public_id, write=True
                )
        # The services refuse every other column.
        for evaluator in Evaluator.values:
            if evaluator in expected[name]:
                sheets.require_column(actor=user, traject=seen, evaluator=evaluator)
            else:
                with pytest.raises(PermissionDenied):
                    sheets.require_column(actor=user, traject=seen, evaluator=evaluator)


def _session(user, traject: Traject, on: dt.date):
    seen = permissions.get_traject_for_evaluation(user=user, public_id=traject.public_id)
    fiche = Leerfiche.objects.filter(version=adopted_version(traject=traject)).first()
    return seen, sheets.open_session(actor=user, traject=seen, leerfiche=fiche, on=on)


def test_writes_follow_the_columns(demo_cast):
    """The brief's cases, through the services: each writes only its own column."""
    trajects = _trajects()
    lotte = trajects["Lotte"]
    yesterday = dt.date.today() - dt.timedelta(days=1)
    mentor = demo_cast["mentor@vandenberghe.demo"]
    seen, session = _session(mentor, lotte, yesterday)
    key = session.leerfiche.criteria.values_list("key", flat=True).first()
    sheets.rate(
        actor=mentor, traject=seen, session=session, evaluator=M, marks={key: "O"}, version=None
    )
    with pytest.raises(PermissionDenied):
        sheets.rate(
            actor=mentor, traject=seen, session=session, evaluator=LK, marks={key: "V"},
            version=None,
        )  # fmt: skip
    with pytest.raises(Http404):  # Mohamed is not his student
        permissions.get_traject_for_evaluation(user=mentor, public_id=trajects["Mohamed"].public_id)
    lk = demo_cast["lk@sintjozef.demo"]
    for name in ("Lotte", "Mohamed"):
        seen_lk, lk_session = _session(lk, trajects[name], yesterday)
        sheets.rate(
            actor=lk, traject=seen_lk, session=lk_session, evaluator=LK, marks={}, version=None
        )
    with pytest.raises(Http404):
        permissions.get_traject_for_evaluation(user=lk, public_id=trajects["Emma"].public_id)
    student = demo_cast["leerling1@sintjozef.demo"]
    own = permissions.get_traject_for_evaluation(user=student, public_id=lotte.public_id)
    sheets.rate(
        actor=student, traject=own, session=session, evaluator=SELF, marks={key: "V"},
        version=None,
    )  # fmt: skip
    for evaluator in (M, LK):
        with pytest.raises(PermissionDenied):
            sheets.rate(
                actor=student, traject=own, session=session, evaluator=evaluator,
                marks={key: "V"}, version=None,
            )  # fmt: skip
    with pytest.raises(PermissionDenied):  # werkpunten are the team's
        werkpunten.open_werkpunt(actor=student, traject=own, text="Zelf bedacht")
    parent = demo_cast["ouder1@sintjozef.demo"]
    read_only = permissions.get_traject_for_evaluation(user=parent, public_id=lotte.public_id)
    with pytest.raises(PermissionDenied):
        permissions.get_traject_for_evaluation(user=parent, public_id=lotte.public_id, write=True)
    for evaluator in Evaluator.values:
        with pytest.raises(PermissionDenied):
            sheets.rate(
                actor=parent, traject=read_only, session=session, evaluator=evaluator,
                marks={key: "V"}, version=None,
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        checkins.save_checkin(
            actor=parent,
            traject=read_only,
            week_start=yesterday - dt.timedelta(days=yesterday.weekday()),
            version=None,
        )
    period = Period.objects.filter(partnership=lotte.partnership).first()
    with pytest.raises(PermissionDenied):
        softskills.open_round(actor=parent, traject=read_only, period=period)
    consulent = demo_cast["consulent@sector.demo"]
    for traject in trajects.values():
        with pytest.raises(Http404):
            permissions.get_traject_for_evaluation(user=consulent, public_id=traject.public_id)


# --- a marker in Jonas's (B1) evaluation data ----------------------------------------------

MARKER = "ZQXEVALSENTINEL"
# People of partnerships A1 and A2 who do not see Jonas (company X's coördinator, directie and
# mentor2 guide him in B1: they may).
A_SIDE = [
    "tb@sintjozef.demo",
    "lk@sintjozef.demo",
    "mentor@vandenberghe.demo",
    "mentor@daems.demo",
    "oc@octl.demo",
    "leerling1@sintjozef.demo",
    "ouder1@sintjozef.demo",
]


def _plant_evaluation_marker(demo_cast) -> Traject:
    """B1 follows the sector's welding set (the demo gives it no plan); Jonas writes the
    marker in a session note, his mentor in a werkpunt, its example and the sterke punten."""
    jonas = _trajects()["Jonas"]
    if adopted_version(traject=jonas) is None:
        version = SetVersion.objects.filter(
            status="published", leerfiche_set__opleiding=jonas.partnership.opleiding
        ).first()
        Opleidingsplan.objects.create(partnership=jonas.partnership, set_version=version)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    student = demo_cast["leerling1@dering.demo"]
    seen, session = _session(student, jonas, yesterday)
    session = sheets.update_session(
        actor=student,
        traject=seen,
        session=session,
        version=session.version,
        student_note=f"vandaag geleerd {MARKER}",
    )
    mentor = demo_cast["mentor2@vandenberghe.demo"]
    mentor_seen = permissions.get_traject_for_evaluation(user=mentor, public_id=jonas.public_id)
    sheets.update_session(
        actor=mentor,
        traject=mentor_seen,
        session=session,
        version=session.version,
        sterke_punten=f"sterk {MARKER}",
    )
    werkpunten.open_werkpunt(
        actor=mentor,
        traject=mentor_seen,
        text=f"werkpunt {MARKER}",
        example=f"voorbeeld {MARKER}",
        afspraak=f"afspraak {MARKER}",
        session=session,
    )
    return jonas


@pytest.mark.parametrize("email", A_SIDE)
def test_jonas_evaluation_marker_never_reaches_the_a_side(client, tenant_objects, login, email):
    from django.core import mail

    _plant_evaluation_marker(tenant_objects)
    start = ["/", "/partnerships/", "/trajects/", "/notifications/"]
    start += [scoped.build() for scoped in TENANT_SCOPED.values()]
    login(email)
    crawled = 0
    for url, status, body in _crawl(client, start):
        crawled += 1
        assert MARKER not in body, f"{email} saw Jonas's evaluation data at {url} ({status})"
    assert crawled > 10
    for message in mail.outbox:
        if email in message.to:
            assert MARKER not in message.body


def test_jonas_team_does_see_the_marker(client, tenant_objects, login):
    """Not blind: his trajectbegeleider reads the werkpunt in Jonas's history."""
    jonas = _plant_evaluation_marker(tenant_objects)
    login("tb@dering.demo")
    bodies = [body for _, _, body in _crawl(client, [f"/trajects/{jonas.public_id}/"], limit=20)]
    assert any(MARKER in body for body in bodies)
