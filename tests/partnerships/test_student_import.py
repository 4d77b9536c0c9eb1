"""CSV import of students: upload -> background check with progress -> preview -> all or nothing.

Row messages are new strings: asserted in English. Celery runs eagerly in tests; the check is
queued on commit, so uploads run inside ``django_capture_on_commit_callbacks(execute=True)``.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import User
from organisations.models import Organisation
from organisations.services import membership_ensure
from partnerships import permissions
from partnerships.models import Partnership, Student, StudentImport, StudentImportStatus, Traject
from partnerships.services.imports import (
    parse_birth_date,
    parse_student_csv,
    student_import_validate,
)

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
DE_RING = "GO! Technisch Atheneum De Ring"
HEADER = "voornaam;achternaam;geboortedatum;klas;stamnummer;e-mail\n"
VALID = (
    HEADER
    + "Noah;Claes;03/02/2010;6 LAS;SJ-2026-001;noah@example.org\n"
    + "Lien;Peeters;2009-12-24;6 EMT;SJ-2026-002;\n"
    + "Ruben;Maes;1/9/2009;7 LAM;;\n"
)


def school(name: str = SINT_JOZEF) -> Organisation:
    return Organisation.objects.get(name=name)


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


def csv_file(content: str | bytes, name: str = "leerlingen.csv") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(
    client,
    captured,
    content: str | bytes,
    *,
    partnership: Partnership | None = None,
    name="leerlingen.csv",
):
    """POST the file; the queued check runs when the request's transaction commits."""
    with captured(execute=True):
        return client.post(
            f"/organisations/{school().public_id}/students/import/",
            {"file": csv_file(content, name), "partnership": partnership.pk if partnership else ""},
        )


def detail_url(job: StudentImport) -> str:
    return f"/organisations/{job.school.public_id}/students/import/{job.public_id}/"


def english(client) -> None:
    client.cookies["duaal_language"] = "en"


# --- the happy path --------------------------------------------------------------------------


def test_valid_file_preview_then_import(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    english(client)
    response = upload(client, django_capture_on_commit_callbacks, "\ufeff" + VALID)
    job = StudentImport.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(job)
    assert job.status == StudentImportStatus.VALID
    assert (job.total_rows, job.processed_rows) == (3, 3)
    assert Student.objects.filter(stamnummer__startswith="SJ-2026").count() == 0  # preview only
    page = client.get(detail_url(job)).content.decode()
    assert 'data-testid="import-confirm"' in page and "Import 3 students" in page
    assert "Noah" in page and "Ruben" in page and "<progress" not in page
    response = client.post(detail_url(job))
    assert response.status_code == 302
    created = Student.objects.filter(
        school=school(), last_name__in=["Claes", "Peeters", "Maes"]
    ).exclude(first_name="Noor")  # the demo's Noor Peeters (contracts) is not in the file
    assert created.count() == 3
    noah = created.get(first_name="Noah")
    assert (noah.birth_date.isoformat(), noah.school_class.name, noah.email) == (
        "2010-02-03",
        "6 LAS",
        "noah@example.org",
    )
    assert created.get(first_name="Ruben").birth_date.isoformat() == "2009-09-01"
    job.refresh_from_db()
    assert job.status == StudentImportStatus.IMPORTED and job.imported_count == 3
    # Importing twice does nothing.
    assert client.post(detail_url(job)).status_code == 400
    assert created.count() == 3


def test_import_with_partnership_starts_the_trajects(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    login("tb@sintjozef.demo")
    upload(client, django_capture_on_commit_callbacks, VALID.replace(";", ","), partnership=a1())
    job = StudentImport.objects.get()
    assert job.status == StudentImportStatus.VALID and job.partnership == a1()
    assert client.post(detail_url(job)).status_code == 302
    trajects = Traject.objects.filter(partnership=a1(), student__stamnummer__startswith="SJ-2026")
    assert trajects.count() == 2  # Ruben has no stamnummer
    assert Traject.objects.filter(partnership=a1(), student__first_name="Ruben").exists()
    visible = permissions.trajects_visible_to(user=User.objects.get(email="lk@sintjozef.demo"))
    assert visible.filter(student__first_name__in=["Noah", "Lien", "Ruben"]).count() == 3


# --- bad rows: preview with errors, nothing importable ---------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Noah;Claes;31/02/2009;6 LAS;;", "Row 3: the birth date 31/02/2009 does not exist."),
        ("Noah;Claes;2009/02/03;6 LAS;;", "Row 3: the birth date 2009/02/03 is not a date"),
        ("Noah;Claes;03/02/2099;6 LAS;;", "Row 3: the birth date 03/02/2099 lies in the future."),
        ("Noah;Claes;03/02/2010;6 XYZ;;", "Row 3: unknown class 6 XYZ."),
        (";Claes;03/02/2010;6 LAS;;", "Row 3: first name is missing."),
        (
            "Noah;Claes;03/02/2010;6 LAS;;geen-mail",
            "Row 3: geen-mail is not a valid e-mail address.",
        ),
        (
            "Noah;Claes;03/02/2010;6 LAS;SJ-2024-017;",
            "Row 3: a student of this school already has stamnummer SJ-2024-017.",
        ),
        (
            "Noah;Claes;03/02/2010;6 LAS;SJ-2026-002;",
            "Row 3: stamnummer SJ-2026-002 also appears in row 2.",
        ),
    ],
)
def test_bad_row_blocks_the_whole_import(
    client, demo_cast, login, django_capture_on_commit_callbacks, row, message
):
    content = HEADER + "Lien;Peeters;2009-12-24;6 EMT;SJ-2026-002;\n" + row + "\n"
    login("coord@sintjozef.demo")
    english(client)
    upload(client, django_capture_on_commit_callbacks, content)
    job = StudentImport.objects.get()
    assert job.status == StudentImportStatus.INVALID
    page = client.get(detail_url(job)).content.decode()
    assert message in page
    assert 'data-testid="import-invalid"' in page
    assert 'data-testid="import-confirm"' not in page  # no import button
    students = Student.objects.count()
    assert client.post(detail_url(job)).status_code == 400
    assert Student.objects.count() == students
    assert not Student.objects.filter(first_name__in=["Noah", "Lien"]).exists()


def test_duplicate_stamnummer_in_the_file_marks_both_rows(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    content = HEADER + "A;B;01/01/2009;6 LAS;X-1;\n" + "C;D;01/01/2009;6 LAS;X-1;\n"
    login("coord@sintjozef.demo")
    english(client)
    upload(client, django_capture_on_commit_callbacks, content)
    page = client.get(detail_url(StudentImport.objects.get())).content.decode()
    assert "Row 2: stamnummer X-1 also appears in row 3." in page
    assert "Row 3: stamnummer X-1 also appears in row 2." in page


def test_invalid_import_shows_only_error_rows_until_asked(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    content = VALID + "Bad;Row;1/1/2009;6 XYZ;;\n"
    login("coord@sintjozef.demo")
    upload(client, django_capture_on_commit_callbacks, content)
    job = StudentImport.objects.get()
    errors_only = client.get(detail_url(job))
    assert [r["row"] for r in errors_only.context["page"].object_list] == [5]
    everything = client.get(detail_url(job), {"show": "all"})
    assert [r["row"] for r in everything.context["page"].object_list] == [2, 3, 4, 5]


def test_rows_are_checked_again_when_importing(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    english(client)
    upload(client, django_capture_on_commit_callbacks, VALID)
    job = StudentImport.objects.get()
    assert job.status == StudentImportStatus.VALID
    # Meanwhile someone adds a student with one of the file's stamnummers.
    lotte = Student.objects.get(first_name="Lotte")
    Student.objects.create(
        school=school(),
        first_name="Snel",
        last_name="Eerder",
        birth_date=lotte.birth_date,
        school_class=lotte.school_class,
        stamnummer="SJ-2026-002",
    )
    response = client.post(detail_url(job))
    assert response.status_code == 400
    assert "nothing was imported" in response.content.decode()
    assert not Student.objects.filter(first_name__in=["Noah", "Lien", "Ruben"]).exists()
    job.refresh_from_db()
    assert job.status == StudentImportStatus.INVALID
    assert (
        "Row 3: a student of this school already has stamnummer SJ-2026-002."
        in client.get(detail_url(job)).content.decode()
    )


# --- bad files: refused at upload ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "foto.csv",
            "This is not a CSV file.",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
            "leerlingen.xlsx",
            "This is not a CSV file.",
        ),
        (
            "voornaam;achternaam;geboortedatum;klas\n".encode("latin-1")
            + b"Zo\xeb;X;1/1/2009;6 LAS\n",
            "latin1.csv",
            "This is not a CSV file.",
        ),
        ("naam;klas\nNoah;6 LAS\n", "kolommen.csv", "Missing: voornaam, geboortedatum"),
        (HEADER, "leeg.csv", "The file contains no students."),
        ("", "niets.csv", "The submitted file is empty."),
    ],
)
def test_unusable_file_is_refused(
    client, demo_cast, login, django_capture_on_commit_callbacks, content, name, message
):
    login("coord@sintjozef.demo")
    english(client)
    response = upload(client, django_capture_on_commit_callbacks, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StudentImport.objects.exists()


def test_file_larger_than_2_mb_is_refused(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    english(client)
    row = "Noah;Claes;03/02/2010;6 LAS;;" + "x" * 200 + "\n"
    content = HEADER + row * (2 * 1024 * 1024 // len(row) + 10)
    response = upload(client, django_capture_on_commit_callbacks, content)
    assert response.status_code == 400
    assert "The file is larger than 2 MB" in response.content.decode()
    assert not StudentImport.objects.exists()


def test_more_than_5000_rows_is_refused(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    english(client)
    content = HEADER + "A;B;1/1/2009;6 LAS;;\n" * 5001
    response = upload(client, django_capture_on_commit_callbacks, content)
    assert response.status_code == 400
    assert "more than 5000 students" in response.content.decode()
    assert not StudentImport.objects.exists()


# --- progress --------------------------------------------------------------------------------


def _pending_job(rows: int) -> StudentImport:
    return StudentImport.objects.create(
        school=school(),
        created_by=User.objects.get(email="coord@sintjozef.demo"),
        file_name="groot.csv",
        total_rows=rows,
        rows=[
            {
                "row": i + 2,
                "values": {
                    "first_name": f"L{i}",
                    "last_name": "X",
                    "birth_date": "01/01/2009",
                    "school_class": "6 LAS",
                    "stamnummer": f"P-{i}",
                },
                "errors": [],
            }
            for i in range(rows)
        ],
    )


def test_progress_is_polled_while_checking(client, demo_cast, login):
    job = _pending_job(250)
    StudentImport.objects.filter(pk=job.pk).update(processed_rows=100)
    login("coord@sintjozef.demo")
    page = client.get(detail_url(job)).content.decode()
    assert '<progress max="250" value="100"' in page
    assert 'hx-trigger="every 1s"' in page and f'hx-get="{detail_url(job)}"' in page
    assert 'data-testid="import-confirm"' not in page
    fragment = client.get(detail_url(job), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="import-status"') and "<html" not in fragment
    # Confirming while the check runs: refused.
    assert client.post(detail_url(job)).status_code == 400
    student_import_validate(student_import_id=job.pk)
    fragment = client.get(detail_url(job), HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in fragment and 'data-testid="import-confirm"' in fragment


def test_check_commits_progress_in_steps(demo_cast):
    job = _pending_job(250)
    with CaptureQueriesContext(connection) as queries:
        student_import_validate(student_import_id=job.pk)
    progress_updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "partnerships_studentimport"')
    ]
    assert len(progress_updates) == 4  # 100, 200, 250, then the result
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (StudentImportStatus.VALID, 250)
    student_import_validate(student_import_id=job.pk)  # finished: left alone
    job.refresh_from_db()
    assert job.status == StudentImportStatus.VALID


# --- access ----------------------------------------------------------------------------------


def test_upload_page_access(client, demo_cast, login, django_capture_on_commit_callbacks):
    url = f"/organisations/{school().public_id}/students/import/"
    assert "/accounts/login/" in client.get(url)["Location"]
    login("coord@vandenberghe.demo")
    assert client.get(url).status_code == 404
    assert upload(client, django_capture_on_commit_callbacks, VALID).status_code == 404
    member = User.objects.create_user(email="secretariaat@sintjozef.demo", password="x")
    membership_ensure(user=member, organisation=school())
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert upload(client, django_capture_on_commit_callbacks, VALID).status_code == 403
    login("coord@sintjozef.demo")
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405
    assert not StudentImport.objects.exists()


def test_import_detail_access(client, demo_cast, login, django_capture_on_commit_callbacks):
    login("coord@sintjozef.demo")
    upload(client, django_capture_on_commit_callbacks, VALID, partnership=a1())
    job = StudentImport.objects.get()
    url = detail_url(job)
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]
    for outsider in ("coord@vandenberghe.demo", "tb@dering.demo", "mentor@daems.demo"):
        login(outsider)
        assert client.get(url).status_code == 404, outsider
        assert client.post(url).status_code == 404, outsider
    # School B's people under their own school's URL: still not school A's import.
    login("directie@dering.demo")
    assert (
        client.get(
            f"/organisations/{school(DE_RING).public_id}/students/import/{job.public_id}/"
        ).status_code
        == 404
    )
    # An administrator of the school, without the right to start trajects in A1.
    login("directie@sintjozef.demo")
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403
    login("coord@sintjozef.demo")
    assert client.put(url).status_code == 405
    assert not Student.objects.filter(first_name__in=["Noah", "Lien", "Ruben"]).exists()


def test_partnership_of_another_school_or_without_right_is_not_a_choice(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    b1 = Partnership.objects.get(school__name=DE_RING)
    login("coord@sintjozef.demo")
    response = upload(client, django_capture_on_commit_callbacks, VALID, partnership=b1)
    assert response.status_code == 400
    assert not StudentImport.objects.exists()


# --- never a 500 -----------------------------------------------------------------------------


@given(data=st.binary(max_size=3000))
@settings(max_examples=200, deadline=None)
def test_parser_refuses_or_reads_any_bytes(data):
    try:
        rows = parse_student_csv(csv_file(data))
    except ValidationError:
        return
    assert rows and all(set(r["values"]) >= {"first_name", "birth_date"} for r in rows)


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=15)


@given(records=st.lists(st.lists(CELL, max_size=8), max_size=15), delimiter=st.sampled_from(";,"))
@settings(max_examples=200, deadline=None)
def test_parser_handles_any_table(records, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["voornaam", "achternaam", "geboortedatum", "klas", "stamnummer"])
    writer.writerows(records)
    try:
        rows = parse_student_csv(csv_file(buffer.getvalue()))
    except ValidationError:
        return
    for r in rows:
        parsed, code = parse_birth_date(r["values"]["birth_date"])
        assert (parsed is None) != (code is None)
