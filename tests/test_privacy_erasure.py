"""Erasure on request (GDPR art. 17): after the school erases a student whose traject has
ended, a search through every table of the database finds none of their name, birth date,
e-mail address, stamnummer or notes — while the history keeps that things happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from duaal.models import AuditEntry
from evaluation.services import sheets, werkpunten
from partnerships.models import Student, Traject, TrajectStatus
from tests.evaluation.support import as_seen_by, leerfiche

INTAKE = "Moeilijke thuissituatie, broer ook in begeleiding"
NOTE = "Vandaag de lasrobot voor het eerst zelf ingesteld"
WERKPUNT = "Gehoorbescherming consequent dragen in hal 3"
# What must be gone: the demo's Mohamed El Amrani (cast.py) and what was written about him.
NEEDLES = (
    "Mohamed",
    "El Amrani",
    "2007-11-02",
    "leerling2@sintjozef.demo",
    "SJ-2023-042",
    INTAKE,
    NOTE,
    WERKPUNT,
)


def _text(value: object) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _dump() -> str:
    """Every row of every table, as text (a full dump without the schema)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            parts.extend(
                f"{table}: " + " | ".join(_text(value) for value in row)
                for row in cursor.fetchall()
            )
    return "\n".join(parts)


@pytest.fixture
def mohamed(demo_cast):
    traject = Traject.objects.select_related("student").get(student__first_name="Mohamed")
    student_user = demo_cast["leerling2@sintjozef.demo"]
    own = as_seen_by(student_user, traject)
    session = sheets.open_session(
        actor=student_user,
        traject=own,
        leerfiche=leerfiche(traject, "hoeklas-pb"),
        on=dt.date.today() - dt.timedelta(days=2),
    )
    sheets.update_session(
        actor=student_user,
        traject=own,
        session=session,
        version=session.version,
        student_note=NOTE,
    )
    mentor = demo_cast["mentor2@vandenberghe.demo"]
    werkpunten.open_werkpunt(actor=mentor, traject=as_seen_by(mentor, traject), text=WERKPUNT)
    Traject.objects.filter(pk=traject.pk).update(
        intake_notes=INTAKE, status=TrajectStatus.COMPLETED
    )
    return traject


def test_erasing_a_student_leaves_no_trace_of_them_in_the_database(client, login, mohamed):
    before = _dump()
    assert all(needle in before for needle in NEEDLES), "the test must start with the data"
    entries = AuditEntry.objects.count()
    login("coord@sintjozef.demo")
    url = reverse("partnerships:student_erase", args=[mohamed.student.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302

    after = _dump()
    found = {
        needle: [line[:200] for line in after.splitlines() if needle in line][:3]
        for needle in NEEDLES
    }
    assert not any(found.values()), found

    student = Student.objects.get(pk=mohamed.student_id)
    assert (student.first_name, student.birth_date) == ("[verwijderd]", dt.date(2007, 1, 1))
    assert not student.user.is_active
    # The history keeps every entry (and one more: the erasure), without the content.
    assert AuditEntry.objects.count() == entries + 1
    erased = AuditEntry.objects.get(action="privacy.erase")
    assert erased.object_label == "[verwijderd]" and erased.student_id == student.pk
    # The marks stay, without a name, for the statistics.
    assert mohamed.evaluation_sessions.exists()


def test_a_running_traject_blocks_erasure_and_nothing_changes(client, login, demo_cast):
    lotte = Traject.objects.select_related("student").get(student__first_name="Lotte")
    login("coord@sintjozef.demo")
    url = reverse("partnerships:student_erase", args=[lotte.student.public_id])
    response = client.post(url)
    assert response.status_code == 409
    assert "intake or running" in response.content.decode() or "loopt" in response.content.decode()
    assert Student.objects.get(pk=lotte.student_id).first_name == "Lotte"
    assert not AuditEntry.objects.filter(action="privacy.erase").exists()


@pytest.mark.parametrize("email", ["ouder1@sintjozef.demo", "mentor@vandenberghe.demo"])
def test_only_the_schools_student_managers_erase(client, login, demo_cast, email):
    lotte = Traject.objects.get(student__first_name="Lotte")
    login(email)
    url = reverse("partnerships:student_erase", args=[lotte.student.public_id])
    assert client.post(url).status_code == 403
    assert Student.objects.get(pk=lotte.student_id).first_name == "Lotte"
