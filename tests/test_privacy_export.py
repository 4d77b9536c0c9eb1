"""Subject access: everything about one person as JSON and PDF (duaal.privacy and every app's
privacy.py), for whom the law and the product allow, written to the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from duaal import privacy
from duaal.models import AuditEntry
from evaluation.services import sheets, werkpunten
from partnerships.models import Student, Traject
from tests.evaluation.support import as_seen_by, leerfiche

INTAKE = "Thuissituatie besproken met de ouders"  # the team's internal note


@pytest.fixture
def lotte(demo_cast):
    traject = Traject.objects.select_related("student").get(student__first_name="Lotte")
    Traject.objects.filter(pk=traject.pk).update(intake_notes=INTAKE)
    student_user = demo_cast["leerling1@sintjozef.demo"]
    own = as_seen_by(student_user, traject)
    session = sheets.open_session(
        actor=student_user,
        traject=own,
        leerfiche=leerfiche(traject, "hoeklas-pb"),
        on=dt.date.today() - dt.timedelta(days=1),
    )
    sheets.update_session(
        actor=student_user,
        traject=own,
        session=session,
        version=session.version,
        student_note="Vandaag mijn eerste hoeklas gelegd",
    )
    mentor = demo_cast["mentor@vandenberghe.demo"]
    werkpunten.open_werkpunt(
        actor=mentor,
        traject=as_seen_by(mentor, traject),
        text="PBM dragen",
        afspraak="Elke ochtend nagekeken",
    )
    return traject


def _export(client, student, fmt="json"):
    return client.get(reverse("partnerships:student_data_export", args=[student.public_id, fmt]))


def test_the_schools_coordinator_exports_the_whole_file(client, login, lotte):
    login("coord@sintjozef.demo")
    page = client.get(reverse("partnerships:student_data", args=[lotte.student.public_id]))
    assert page.status_code == 200
    response = _export(client, lotte.student)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="duaal-lotte-')
    data = json.loads(response.content)
    sections = data["sections"]
    assert sections["student"]["rows"][0]["voornaam"] == "Lotte"
    assert sections["contacts"]["rows"], "the parents are part of the file"
    assert INTAKE in json.dumps(sections["trajects"], ensure_ascii=False)
    assert "Vandaag mijn eerste hoeklas gelegd" in json.dumps(
        sections["sessions"], ensure_ascii=False
    )
    assert "PBM dragen" in [row["werkpunt"] for row in sections["werkpunten"]["rows"]]
    assert "history" in sections
    entry = AuditEntry.objects.filter(action="privacy.export").get()
    assert entry.student_id == lotte.student_id
    assert entry.changes["internal"] == [None, True]


def test_a_parent_of_a_minor_gets_a_copy_without_the_internal_notes(client, login, lotte):
    login("ouder1@sintjozef.demo")
    response = _export(client, lotte.student)
    assert response.status_code == 200
    text = response.content.decode()
    assert INTAKE not in text
    assert "interne notities" in text or "internal notes" in text
    assert "PBM dragen" in text


def test_the_pdf_is_readable(client, login, lotte):
    login("coord@sintjozef.demo")
    response = _export(client, lotte.student, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Lotte" in text and "PBM dragen" in text and "Werkpunten" in text


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("leerling1@sintjozef.demo", 403),  # a minor: the school or the parents export
        ("mentor@vandenberghe.demo", 403),  # sees Lotte, manages no students of the school
        ("oc@octl.demo", 403),  # the training centre sees her, is not of her school
        ("tb@dering.demo", 404),  # does not see Lotte at all
        ("consulent@sector.demo", 404),
    ],
)
def test_others_may_not_export_a_students_file(client, login, lotte, email, status):
    login(email)
    assert _export(client, lotte.student).status_code == status
    assert not AuditEntry.objects.filter(action="privacy.export").exists()


def test_an_adult_student_exports_their_own_file_without_internal_notes(client, login, demo_cast):
    mohamed = Student.objects.get(first_name="Mohamed")
    Student.objects.filter(pk=mohamed.pk).update(birth_date=dt.date(2000, 1, 1))
    Traject.objects.filter(student=mohamed).update(intake_notes=INTAKE)
    login("leerling2@sintjozef.demo")
    data = json.loads(client.get(reverse("partnerships:my_data_json")).content)
    assert data["sections"]["student"]["rows"][0]["voornaam"] == "Mohamed"
    assert data["sections"]["account"]["rows"][0]["e-mailadres"] == "leerling2@sintjozef.demo"
    assert INTAKE not in json.dumps(data, ensure_ascii=False)
    # Their parents no longer export for them.
    assert _export(client, mohamed).status_code == 200


def test_a_minor_and_a_staff_member_export_their_account(client, login, lotte):
    login("leerling1@sintjozef.demo")
    data = json.loads(client.get(reverse("partnerships:my_data_json")).content)
    assert "student" not in data["sections"]
    assert data["sections"]["account"]["rows"][0]["e-mailadres"] == "leerling1@sintjozef.demo"
    login("mentor@vandenberghe.demo")
    data = json.loads(client.get(reverse("partnerships:my_data_json")).content)
    roles = data["sections"]["team_roles"]["rows"]
    assert any(row["samenwerking"] == "Lassen-Constructie duaal" for row in roles)
    # What a mentor wrote belongs to the students' files: only the count is theirs.
    assert "werkpunten" not in data["sections"]


def test_an_unknown_format_is_404(client, login, lotte):
    login("coord@sintjozef.demo")
    url = f"/students/{lotte.student.public_id}/my-data/export.xml"
    assert client.get(url).status_code == 404


def test_every_provider_is_registered():
    assert {
        "accounts.account",
        "organisations.memberships",
        "partnerships.student",
        "partnerships.staff",
        "partnerships.audit",
        "learning.plans",
        "evaluation.student",
        "notifications.notifications",
        "documents.requested",
        "agenda.feeds",
    } <= set(privacy.providers)
