"""The klassenraad report PDF of a class (issue 14, item 6): who may ask for it and download it,
that it lists exactly the students the requester sees, with numbers equal to a recomputation
from the raw rows, and that bad input never fails with a 500."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from accounts.models import User
from dashboards.models import ClassYear
from dashboards.selectors.klassenraad import klassenraad_report
from documents.models import DocumentStatus, GeneratedDocument
from evaluation.models import Evaluation, Session, SoftSkillColumn, WeeklyCheckin
from learning.models import Leerfiche, Period
from organisations.models import Membership
from partnerships.models import Partnership, SchoolClass, Student, TeamMember, Traject
from partnerships.selectors.trajects import current_placement
from tests.dashboards.school_recompute import monday, per_traject, recompute

pytestmark = pytest.mark.django_db

URL = "/dashboards/klassenraad/"
SCHOOL_A = "Technisch Instituut Sint-Jozef"
STUDENTS = ("Lotte Janssens", "Mohamed El Amrani", "Noor Peeters", "Emma Willems", "Jonas Maes")


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def las(demo_cast) -> SchoolClass:
    """School A's class 6 LAS (Lotte, Mohamed, Noor of A1), with Emma (A2) moved into it: the
    leerkracht of A1 does not see her, the directie does."""
    school_class = SchoolClass.objects.get(name="6 LAS", school__name=SCHOOL_A)
    Student.objects.filter(first_name="Emma").update(school_class=school_class)
    return school_class


def _year() -> int:
    return Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name=SCHOOL_A
    ).school_year


def _ask(
    client, login, django_capture_on_commit_callbacks, email, school_class
) -> GeneratedDocument:
    """Ask for the report as ``email`` through the form, render it (eagerly), return the row."""
    login(email)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"year": _year(), "school_class": school_class.pk})
    assert response.status_code == 302, response.content[:2000]
    document = GeneratedDocument.objects.get(requester__email=email, kind="klassenraad")
    assert response["Location"] == f"/documents/{document.public_id}/"
    assert document.status == DocumentStatus.READY, (document.failure, document.error)
    return document


def _truth(traject: Traject, today: dt.date) -> dict:
    """An independent recomputation of one student's row from the raw rows."""
    raw = per_traject([traject.pk])[traject.pk]
    titles = dict(Leerfiche.objects.values_list("key", "title"))
    periods = list(Period.objects.filter(partnership=traject.partnership).order_by("start_date"))
    year = traject.partnership.school_year
    start = monday(min((p.start_date for p in periods), default=dt.date(year, 9, 1)))
    end = min(max((p.end_date for p in periods), default=dt.date(year + 1, 6, 30)), today)
    weeks: dict[str, set[dt.date]] = defaultdict(set)
    for evaluator, day in Evaluation.objects.filter(
        session__traject=traject, submitted_at__isnull=False
    ).values_list("evaluator", "session__date"):
        weeks[evaluator].add(monday(day))
    for week in WeeklyCheckin.objects.filter(traject=traject, done_at__isnull=False).values_list(
        "week_start", flat=True
    ):
        weeks["mentor"].add(week)

    def count(evaluator: str) -> int:
        return sum(1 for week in weeks[evaluator] if start <= week <= end)

    started = [p for p in periods if p.start_date <= today]
    current = max(started, key=lambda p: (p.order, p.start_date, p.pk)) if started else None
    handed_in = set()
    if current is not None:
        handed_in = set(
            SoftSkillColumn.objects.filter(
                round__traject=traject, round__period=current, submitted_at__isnull=False
            ).values_list("evaluator", flat=True)
        )
    placement = current_placement(traject, today=today)
    return {
        "fiches": {
            titles[key]: (reached, total) for key, (total, reached, _n, _d) in raw["fiches"].items()
        },
        "werkpunten": raw["werkpunten"],
        "weeks": ((end - start).days // 7 + 1, count("self"), count("mentor"), count("teacher")),
        "period": current.name if current else None,
        "handed_in": handed_in,
        "company": placement.company.name if placement else "",
    }


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("lk@sintjozef.demo", {"Lotte Janssens", "Mohamed El Amrani", "Noor Peeters"}),
        (
            "directie@sintjozef.demo",
            {"Lotte Janssens", "Mohamed El Amrani", "Noor Peeters", "Emma Willems"},
        ),
    ],
)
def test_the_pdf_lists_exactly_the_visible_students_with_recomputed_numbers(
    client, login, django_capture_on_commit_callbacks, las, email, expected
):
    # Emma needs attention: her evaluations and check-ins are gone (behind the services' back,
    # so the summaries are rebuilt, as after any such change).
    Session.objects.filter(traject__student__first_name="Emma").delete()
    WeeklyCheckin.objects.filter(traject__student__first_name="Emma").delete()
    call_command("rebuild_dashboards", verbosity=0)
    document = _ask(client, login, django_capture_on_commit_callbacks, email, las)
    response = client.get(f"/documents/{document.public_id}/download/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    text = squash(pdf_text(content))
    assert {name for name in STUDENTS if squash(name) in text} == expected

    user = User.objects.get(email=email)
    today = timezone.localdate()
    report = klassenraad_report(class_year=ClassYear.objects.get(), viewer=user, today=today)
    assert {row.name for row in report.students} == expected
    at_risk: dict[int, set[str]] = {}
    for partnership in {row.traject.partnership for row in report.students}:
        at_risk.update(recompute(partnership, today, today, today)["at_risk"])

    # Each student's segment of the text: from their name to the next student's name.
    names = [squash(row.name) for row in report.students]
    starts = [text.index(name) for name in names]
    assert starts == sorted(starts)
    segments = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    with translation.override(user.language):
        for row, segment in zip(report.students, segments, strict=True):
            truth = _truth(row.traject, today)
            assert {f.title: (f.reached, f.total) for f in row.fiches} == truth["fiches"]
            for title, (reached, total) in truth["fiches"].items():
                assert squash(f"{title}{reached}/{total}") in segment, (row.name, title)
            assert row.open_werkpunten == truth["werkpunten"]
            assert squash(f"{gettext('Open werkpunten')}{truth['werkpunten']}") in segment
            weeks, selfs, mentors, teachers = truth["weeks"]
            assert (row.weeks, row.self_weeks, row.mentor_weeks, row.teacher_weeks) == (
                weeks, selfs, mentors, teachers,
            )  # fmt: skip
            evaluations = gettext(
                "self %(s)s/%(n)s · mentor %(m)s/%(n)s · teacher %(t)s/%(n)s weeks"
            ) % {"s": selfs, "m": mentors, "t": teachers, "n": weeks}
            assert squash(evaluations) in segment, row.name
            if truth["period"] is None:
                assert row.softskills is None
            else:
                assert row.softskills is not None
                assert row.softskills.period == truth["period"]
                assert {
                    e
                    for e, done in (
                        ("self", row.softskills.self_done),
                        ("mentor", row.softskills.mentor_done),
                        ("teacher", row.softskills.teacher_done),
                    )
                    if done
                } == truth["handed_in"]
            assert row.company == truth["company"]
            if truth["company"]:
                assert squash(truth["company"]) in segment
            assert {code for code, _text in row.attention} == at_risk.get(row.traject.pk, set())
            assert ("⚠" in segment) == bool(row.attention), row.name
            for _code, reason in row.attention:
                assert squash(reason) in segment
            assert squash(row.status) in segment
    if "Emma Willems" in expected:
        assert [row.name for row in report.students if row.attention] == ["Emma Willems"]


def test_the_report_reads_a_fixed_number_of_queries(las, demo_cast):
    director = demo_cast["directie@sintjozef.demo"]
    class_year = ClassYear.objects.create(school_class=las, school_year=_year())
    with CaptureQueriesContext(connection) as queries:
        report = klassenraad_report(class_year=class_year, viewer=director)
    assert len(report.students) == 4
    assert len(queries) <= 8


def test_the_school_dashboard_offers_the_classes_and_the_request_works(
    client, login, django_capture_on_commit_callbacks, las
):
    login("directie@sintjozef.demo")
    page = client.get("/dashboards/school/").content.decode()
    assert 'data-testid="klassenraad-form"' in page
    assert f'<option value="{las.pk}"' in page
    other_school = SchoolClass.objects.exclude(school=las.school).get(name="6 LAS")
    assert f'<option value="{other_school.pk}"' not in page
    document = _ask(
        client, login, django_capture_on_commit_callbacks, "directie@sintjozef.demo", las
    )
    detail = client.get(f"/documents/{document.public_id}/")
    assert detail.status_code == 200
    assert f"/documents/{document.public_id}/download/" in detail.content.decode()


def test_the_leerkracht_is_offered_only_the_classes_of_their_partnerships(client, login, las):
    login("lk@sintjozef.demo")
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{las.pk}"' in page
    emt = SchoolClass.objects.get(name="6 EMT", school__name=SCHOOL_A)
    assert f'<option value="{emt.pk}"' not in page


@pytest.mark.parametrize(
    "email", ["tb@dering.demo", "mentor@vandenberghe.demo", "directie@vandenberghe.demo"]
)
def test_outsiders_can_neither_ask_for_nor_download_the_report(
    client, login, django_capture_on_commit_callbacks, las, email
):
    document = _ask(
        client, login, django_capture_on_commit_callbacks, "directie@sintjozef.demo", las
    )
    class_year = ClassYear.objects.get()
    login(email)
    before = GeneratedDocument.objects.count()
    # The form does not offer the class (a company's people have no form at all).
    response = client.post(URL, {"year": _year(), "school_class": las.pk})
    assert response.status_code in (400, 404)
    assert f'<option value="{las.pk}"' not in response.content.decode()
    # The engine's request URL of the class's report: not theirs.
    response = client.post(f"/documents/request/klassenraad/{class_year.public_id}/")
    assert response.status_code == 404
    assert GeneratedDocument.objects.count() == before
    # The director's document: neither its page nor its file.
    assert client.get(f"/documents/{document.public_id}/").status_code == 404
    assert client.get(f"/documents/{document.public_id}/download/").status_code == 404


def test_a_member_of_the_school_without_a_seat_gets_403(client, login, las, demo_cast):
    class_year = ClassYear.objects.create(school_class=las, school_year=_year())
    leerkracht = demo_cast["lk@sintjozef.demo"]
    TeamMember.objects.filter(user=leerkracht).delete()
    assert Membership.objects.filter(user=leerkracht, organisation=las.school).exists()
    login("lk@sintjozef.demo")
    response = client.post(f"/documents/request/klassenraad/{class_year.public_id}/")
    assert response.status_code == 403


def test_a_teacher_who_loses_the_seat_can_no_longer_download(
    client, login, django_capture_on_commit_callbacks, las, demo_cast
):
    document = _ask(client, login, django_capture_on_commit_callbacks, "lk@sintjozef.demo", las)
    assert client.get(f"/documents/{document.public_id}/download/").status_code == 200
    TeamMember.objects.filter(user=demo_cast["lk@sintjozef.demo"]).delete()
    assert client.get(f"/documents/{document.public_id}/download/").status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"year": "abc", "school_class": "1"},
        {"year": "2026", "school_class": str(2**63)},
        {"year": str(2**63), "school_class": "-1"},
        {"year": "1999", "school_class": "x"},
        {"year": ["2026", "2027"], "school_class": ""},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, login, las, data):
    login("lk@sintjozef.demo")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not GeneratedDocument.objects.filter(kind="klassenraad").exists()
    assert client.get(URL + "?year=zzz").status_code == 200
    assert client.post("/documents/request/klassenraad/not-a-uuid/").status_code == 404


def test_leerfiche_titles_come_from_the_version_the_plan_adopted(las, demo_cast):
    """A leerfiche's key is unique within a set version only: a newer version (or another
    opleiding's set) with the same keys and other titles does not rename the report's rows."""
    from learning.models import LeerficheSet, SetVersion, Theme

    director = demo_cast["directie@sintjozef.demo"]
    class_year = ClassYear.objects.create(school_class=las, school_year=_year())
    before = klassenraad_report(class_year=class_year, viewer=director)
    shown = {fiche.key: fiche.title for row in before.students for fiche in row.fiches}
    assert shown, "the demo's students have practised leerfiches"
    other_set = LeerficheSet.objects.create(
        owner=las.school, opleiding=Partnership.objects.first().opleiding, name="Andere set"
    )
    version = SetVersion.objects.create(leerfiche_set=other_set, number=1)
    theme = Theme.objects.create(version=version, key="andere", title="Andere", order=999)
    for order, key in enumerate(sorted(shown)):
        Leerfiche.objects.create(
            version=version, theme=theme, key=key, title=f"VERKEERD {key}", order=order
        )
    after = klassenraad_report(class_year=class_year, viewer=director)
    assert {fiche.key: fiche.title for row in after.students for fiche in row.fiches} == shown
    assert not any(title.startswith("VERKEERD") for title in shown.values())
