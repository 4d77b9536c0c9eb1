"""The company director's dashboard (issue 14, item 2).

* its numbers equal a recomputation from the raw rows, in plain Python over every row (no
  selector of the app is used for the expectation), on several days of the week;
* only the company's directie opens it; a school's director, another company's director, a
  mentor and a coördinator of the company do not; never another company's mentors;
* the number of queries is the same with a few or many students, and at most 15.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from contracts.models import Contract
from dashboards.selectors.company import (
    company_dashboard,
    company_school_years,
    due_weeks,
    pick_school_year,
)
from evaluation.models import WeeklyCheckin
from organisations.models import Membership, Organisation
from organisations.services import membership_ensure
from partnerships.models import (
    Partnership,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    TeamMember,
    TeamRole,
    Traject,
)
from partnerships.models.partnerships import current_school_year
from partnerships.services.grants import partnership_sync_grants
from recognition.models import MentorProfile, Recognition

DIRECTOR = "directie@vandenberghe.demo"
REGISTERED_STATES = {"registered", "running", "suspended", "ended", "ended_early"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def company_x() -> Organisation:
    return Organisation.objects.get(name="Metaalbouw Vandenberghe")


def company_z() -> Organisation:
    return Organisation.objects.get(name="Koeltechniek Daems")


def url(company: Organisation) -> str:
    return f"/dashboards/bedrijf/{company.public_id}/"


def at(time_machine, day: date) -> None:
    time_machine.move_to(
        datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/Brussels")), tick=False
    )


def wednesday() -> date:
    november = date(current_school_year(), 11, 25)
    return november + timedelta(days=2 - november.weekday())


# --- the recomputation ------------------------------------------------------------------------


def recompute(company: Organisation, *, year: int, today: date) -> dict:
    """Every number of the dashboard, from the raw rows, day by day."""
    members = set(Membership.objects.filter(organisation=company).values_list("user_id", flat=True))
    placements = [
        p
        for p in Placement.objects.select_related(
            "traject__partnership__school", "traject__partnership__opleiding"
        )
        if p.company_id == company.pk and p.traject.partnership.school_year == year
    ]
    trajects = {p.traject_id: p.traject for p in placements}
    students = Counter(
        (t.partnership.school.name, t.partnership.opleiding.name, t.status)
        for t in trajects.values()
    )
    contracts = Counter(
        (c.contract_type, c.state)
        for c in Contract.objects.select_related("traject__partnership")
        if c.company_id == company.pk and c.traject.partnership.school_year == year
    )
    registered = Counter(
        c.contract_type
        for c in Contract.objects.select_related("traject__partnership")
        if c.company_id == company.pk
        and c.traject.partnership.school_year == year
        and c.state in REGISTERED_STATES
    )
    done_weeks = {
        (w.traject_id, w.week_start) for w in WeeklyCheckin.objects.all() if w.done_at is not None
    }
    due: Counter = Counter()
    done: Counter = Counter()
    for s in PlacementSupervisor.objects.select_related("placement__traject"):
        p = s.placement
        if (
            s.kind != "mentor"
            or s.user_id not in members
            or p.company_id != company.pk
            or p.traject.status == "intake"
            or p.traject_id not in trajects
        ):
            continue
        last = min(
            p.end_date,
            p.traject.ended_on or p.end_date,
            (p.suspended_on - timedelta(days=1)) if p.suspended_on else p.end_date,
        )
        weeks: dict[date, list[date]] = defaultdict(list)
        day = p.start_date
        while day <= last:
            if day.weekday() < 5 and getattr(p, WEEKDAYS[day.weekday()]) == "company":
                weeks[day - timedelta(days=day.weekday())].append(day)
            day += timedelta(days=1)
        for monday, days in weeks.items():
            if max(days) < today:
                due[s.user_id] += 1
                done[s.user_id] += (p.traject_id, monday) in done_weeks
    load: dict[int, set[int]] = defaultdict(set)
    for s in PlacementSupervisor.objects.select_related("placement__traject"):
        p = s.placement
        if (
            s.kind == "mentor"
            and p.start_date <= today <= p.end_date
            and p.traject.status in ("intake", "running")
        ):
            load[s.user_id].add(p.traject_id)
    return {
        "students": students,
        "contracts": contracts,
        "registered": registered,
        "due": due,
        "done": done,
        "load": {pk: len(ids) for pk, ids in load.items()},
        "recognitions": sorted(
            (r.opleiding.name, r.valid_until)
            for r in Recognition.objects.select_related("opleiding")
            if r.company_id == company.pk
            and r.status == "recognised"
            and r.decided_on <= today <= r.valid_until
        ),
    }


def enrich_demo(today: date) -> None:
    """Make the demo harder to get right: a check-in left open, one done in this very week, a
    suspended placement, a stopped traject, a placement that starts mid-week."""
    mohamed = Traject.objects.get(student__first_name="Mohamed")
    jonas = Traject.objects.get(student__first_name="Jonas")
    lotte = Traject.objects.get(student__first_name="Lotte")
    this_monday = today - timedelta(days=today.weekday())
    author = User.objects.get(email="mentor2@vandenberghe.demo")
    first = WeeklyCheckin.objects.filter(traject=mohamed).order_by("week_start").first()
    WeeklyCheckin.objects.filter(pk=first.pk).update(done_at=None)
    WeeklyCheckin.objects.update_or_create(
        traject=lotte,
        week_start=this_monday,
        defaults={"author": author, "done_at": timezone.now()},
    )
    WeeklyCheckin.objects.update_or_create(
        traject=jonas,
        week_start=this_monday - timedelta(days=7),
        defaults={"author": author, "done_at": timezone.now()},
    )
    Placement.objects.filter(traject=jonas).update(suspended_on=this_monday - timedelta(days=3))
    Traject.objects.filter(pk=mohamed.pk).update(
        status="stopped", ended_on=this_monday - timedelta(days=12), end_reason="Test"
    )
    Placement.objects.filter(traject=lotte).update(
        start_date=Placement.objects.get(traject=lotte).start_date + timedelta(days=2)
    )


def board_for(company: Organisation, today: date, user: str = DIRECTOR):
    years = company_school_years(company=company)
    year = pick_school_year(None, years=years, today=today)
    return year, company_dashboard(
        user=User.objects.get(email=user),
        company=company,
        school_year=year,
        school_years=years,
        today=today,
    )


@pytest.mark.parametrize("offset", [0, 1, 3, 5])  # Wednesday, Thursday, Saturday, Monday
@pytest.mark.parametrize("enriched", [False, True])
def test_the_numbers_equal_a_recomputation_from_the_raw_rows(
    demo_cast, time_machine, offset, enriched
):
    today = wednesday() + timedelta(days=offset)
    at(time_machine, today)
    if enriched:
        enrich_demo(today)
    company = company_x()
    year, board = board_for(company, today)
    expected = recompute(company, year=year, today=today)

    assert (
        Counter({(r.school, r.opleiding, r.status): r.count for r in board.students})
        == expected["students"]
    )
    assert (
        Counter({(r.contract_type, r.state): r.count for r in board.contracts})
        == expected["contracts"]
    )
    assert {i.key: i.contracts for i in board.incentives} == {
        "stagebonus": expected["registered"]["OAO"] + expected["registered"]["SOAO"],
        "rsz_mentor": expected["registered"]["OAO"] + expected["registered"]["SOAO"],
        "doelgroepvermindering": expected["registered"]["OAO"],
    }
    assert (
        sorted((r.opleiding, r.valid_until) for r in board.recognitions) == expected["recognitions"]
    )
    names = {r.name for r in board.mentors}
    assert names == {"Patrick Hermans", "Tom Lambrechts"}
    for row in board.mentors:
        assert row.checkins_due == expected["due"][row.user_id], row.name
        assert row.checkins_done == expected["done"][row.user_id], row.name
        assert row.load == expected["load"].get(row.user_id, 0), row.name
    assert board.checkins_due > 0 and 0 < board.checkins_done <= board.checkins_due


def test_training_status_and_recognition_expiry_of_the_mentors(demo_cast, time_machine):
    today = wednesday()
    at(time_machine, today)
    patrick = User.objects.get(email="mentor@vandenberghe.demo")
    MentorProfile.objects.filter(user=patrick).update(deepening_session_on=None)
    _year, board = board_for(company_x(), today)
    rows = {r.name: r for r in board.mentors}
    profile = MentorProfile.objects.get(user=patrick)
    first = min(
        r.decided_on for r in Recognition.objects.filter(mentors=patrick, status="recognised")
    )
    assert profile.deepening_session_on is None
    due = first.replace(year=first.year + 1)
    assert rows["Patrick Hermans"].training == ("overdue" if today > due else "due")
    assert rows["Patrick Hermans"].training_on == due
    tom = MentorProfile.objects.get(user__email="mentor2@vandenberghe.demo")
    assert rows["Tom Lambrechts"].training == "done"
    assert rows["Tom Lambrechts"].training_on == max(
        tom.introduction_session_on, tom.deepening_session_on
    )
    # Tom is named in two recognitions in force: the earliest expiry is shown.
    expiries = sorted(
        r.valid_until
        for r in Recognition.objects.filter(mentors=tom.user, status="recognised")
        if r.decided_on <= today <= r.valid_until
    )
    assert rows["Tom Lambrechts"].recognition_until == expiries[0]


def test_due_weeks_counts_weeks_whose_last_company_day_has_passed():
    monday = date(2026, 11, 23)
    pattern = ("company", "school", "company", "school", "school")
    # A placement of one week: due only once Wednesday has passed.
    assert due_weeks(pattern=pattern, start=monday, end=monday + timedelta(4), today=monday) == 0
    assert (
        due_weeks(
            pattern=pattern, start=monday, end=monday + timedelta(4), today=monday + timedelta(2)
        )
        == 0
    )
    assert (
        due_weeks(
            pattern=pattern, start=monday, end=monday + timedelta(4), today=monday + timedelta(3)
        )
        == 1
    )
    # Starting on Thursday: no company day in the first week.
    assert (
        due_weeks(
            pattern=pattern,
            start=monday + timedelta(3),
            end=monday + timedelta(30),
            today=monday + timedelta(31),
        )
        == 4
    )
    assert (
        due_weeks(
            pattern=("school",) * 5,
            start=monday,
            end=monday + timedelta(60),
            today=monday + timedelta(90),
        )
        == 0
    )


# --- access ------------------------------------------------------------------------------------


def test_the_director_sees_the_company_dashboard(client, demo_cast, login, time_machine):
    at(time_machine, wednesday())
    login(DIRECTOR)
    response = client.get(url(company_x()))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Patrick Hermans" in html and "Tom Lambrechts" in html
    assert "Jan Smets" not in html  # the mentor of Koeltechniek Daems
    assert 'data-testid="incentive"' in html and "Doelgroepvermindering" in html


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("directie@sintjozef.demo", 404),  # a school's director
        ("directie@dering.demo", 404),
        ("coord@daems.demo", 404),  # another company
        ("mentor@daems.demo", 404),
        ("consulent@sector.demo", 404),
        ("leerling1@sintjozef.demo", 404),
        ("mentor@vandenberghe.demo", 403),  # the company's own, without the seat
        ("coord@vandenberghe.demo", 403),
    ],
)
def test_no_one_else_opens_it(client, demo_cast, login, email, status):
    login(email)
    response = client.get(url(company_x()))
    assert response.status_code == status
    assert "Patrick Hermans" not in response.content.decode()


def make_daems_director() -> User:
    director = User.objects.create_user(email="directie@daems.example", full_name="Dirk Daems")
    membership_ensure(user=director, organisation=company_z(), is_admin=True)
    a2 = Partnership.objects.get(name="Elektromechanische technieken duaal")
    TeamMember.objects.create(
        partnership=a2, user=director, role=TeamRole.DIRECTIE_BEDRIJF, organisation=company_z()
    )
    partnership_sync_grants(partnership=a2)
    return director


def test_another_companys_director_sees_only_their_own(client, demo_cast, time_machine):
    at(time_machine, wednesday())
    director = make_daems_director()
    client.force_login(director)
    assert client.get(url(company_x())).status_code == 404
    html = client.get(url(company_z())).content.decode()
    assert "Jan Smets" in html
    assert "Patrick Hermans" not in html and "Tom Lambrechts" not in html
    # ... and the director of company X does not open Daems'.
    client.force_login(User.objects.get(email=DIRECTOR))
    assert client.get(url(company_z())).status_code == 404


def test_never_another_companys_mentor_even_in_its_team_or_placements(
    client, demo_cast, login, time_machine
):
    """A Daems mentor seated as mentor for company X in A1 and put on Lotte's placement (a
    mistake) is no member of company X: the dashboard of X does not list them."""
    at(time_machine, wednesday())
    jan = User.objects.get(email="mentor@daems.demo")
    a1 = Partnership.objects.get(name="Lassen-Constructie duaal", school__name__contains="Jozef")
    TeamMember.objects.create(
        partnership=a1, user=jan, role=TeamRole.MENTOR, organisation=company_x()
    )
    PlacementSupervisor.objects.create(
        placement=Placement.objects.get(traject__student__first_name="Lotte"),
        user=jan,
        kind="mentor",
    )
    login(DIRECTOR)
    html = client.get(url(company_x())).content.decode()
    assert "Jan Smets" not in html
    csv_text = client.get(url(company_x()), {"export": "mentors", "format": "csv"}).content
    assert "Jan Smets" not in csv_text.decode("utf-8-sig")


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "1900"},
        {"year": "99999999999999999999"},
        {"year": "2026\x00"},
        {"export": "nope"},
        {"export": "mentors", "format": "pdf"},
        {"year": ["2026", "x"]},
    ],
)
def test_bad_parameters_show_the_page(client, demo_cast, login, query):
    login(DIRECTOR)
    response = client.get(url(company_x()), query)
    assert response.status_code == 200
    assert 'data-testid="company-summary"' in response.content.decode()


def test_a_table_exports_as_csv_with_the_numbers_shown(client, demo_cast, login, time_machine):
    today = wednesday()
    at(time_machine, today)
    login(DIRECTOR)
    response = client.get(url(company_x()), {"export": "mentors", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    _year, board = board_for(company_x(), today)
    by_name = {row[0]: row for row in rows[1:]}
    for mentor in board.mentors:
        assert by_name[mentor.name][5:7] == [str(mentor.checkins_due), str(mentor.checkins_done)]
    xlsx = client.get(url(company_x()), {"export": "students", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


# --- query count ------------------------------------------------------------------------------


def add_students(count: int, *, mentor: User, with_checkins: bool = True) -> None:
    """``count`` more students of A1 at company X, each with a contract and check-ins."""
    partnership = Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name__contains="Jozef"
    )
    entry = partnership.companies.select_related("company", "vestiging").first()
    school_class = SchoolClass.objects.filter(school=partnership.school).first()
    lotte = Placement.objects.get(traject__student__first_name="Lotte")
    lotte_contract = Contract.objects.get(traject=lotte.traject)
    for number in range(count):
        student = Student.objects.create(
            school=partnership.school,
            first_name=f"Extra{number}",
            last_name="Leerling",
            birth_date=date(2009, 1, 1),
            school_class=school_class,
        )
        traject = Traject.objects.create(student=student, partnership=partnership, status="running")
        placement = Placement.objects.create(
            traject=traject,
            company=entry.company,
            vestiging=entry.vestiging,
            start_date=lotte.start_date,
            end_date=lotte.end_date,
            workplace_hours_per_week=Decimal(20),
            wednesday="company",
            thursday="company",
        )
        PlacementSupervisor.objects.create(placement=placement, user=mentor, kind="mentor")
        Contract.objects.create(
            traject=traject,
            company=entry.company,
            vestiging=entry.vestiging,
            contract_type=lotte_contract.contract_type,
            state="concept" if number % 2 else "running",
            start_date=lotte.start_date,
            end_date=lotte.end_date,
            workplace_hours_per_week=Decimal(20),
            registration_reference="" if number % 2 else f"REF-{number}",
        )
        if with_checkins:
            WeeklyCheckin.objects.bulk_create(
                WeeklyCheckin(
                    traject=traject,
                    week_start=lotte.start_date
                    - timedelta(days=lotte.start_date.weekday())
                    + timedelta(weeks=week),
                    author=mentor,
                    done_at=timezone.now() if week % 3 else None,
                )
                for week in range(8)
            )
    partnership_sync_grants(partnership=partnership)


def count_page(client) -> tuple[int, str]:
    client.force_login(User.objects.get(email=DIRECTOR))
    address = url(company_x())
    client.get(address)  # warm the per-process caches alike for both counts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_query_count_does_not_grow_with_the_students(client, demo_cast, time_machine):
    today = wednesday()
    at(time_machine, today)
    few, _html = count_page(client)
    helpers = []
    for number in range(4):
        helper = User.objects.create_user(
            email=f"m{number}@x.example", full_name=f"Mentor {number}"
        )
        membership_ensure(user=helper, organisation=company_x())
        helpers.append(helper)
    for helper in helpers:
        add_students(15, mentor=helper)
    many, html = count_page(client)
    assert "Mentor 3" in html
    assert many == few, (few, many)
    assert many <= 15, many
    # ... and the numbers still equal the recomputation with sixty more students.
    year, board = board_for(company_x(), today)
    expected = recompute(company_x(), year=year, today=today)
    for row in board.mentors:
        assert (row.checkins_due, row.checkins_done) == (
            expected["due"][row.user_id],
            expected["done"][row.user_id],
        )
    assert board.student_total == sum(expected["students"].values())


def test_the_dashboard_is_dutch_for_the_director(client, demo_cast, login, time_machine):
    from tests.isolation.test_every_page_in_dutch import (
        DJANGO_ENGLISH,
        _catalogue_english,
        _check,
    )

    at(time_machine, wednesday())
    login(DIRECTOR)
    problems: list[str] = []
    phrases = _catalogue_english() + list(DJANGO_ENGLISH)
    _check(client, url(company_x()), DIRECTOR, phrases, problems)
    assert problems == [], "\n".join(problems)
    html = client.get(url(company_x()), HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    assert "Weekevaluaties verwacht" in html and "Stimulansen voor een leerbedrijf" in html


def test_the_home_links_the_director_to_the_dashboard(client, demo_cast, login, time_machine):
    at(time_machine, wednesday())
    login(DIRECTOR)
    html = client.get("/").content.decode()
    assert f'href="{url(company_x())}"' in html
    for email in ("coord@vandenberghe.demo", "directie@sintjozef.demo", "mentor@vandenberghe.demo"):
        client.logout()
        login(email)
        assert 'data-testid="home-company-dashboard"' not in client.get("/").content.decode()


# --- charts (issue 14, item 5) ------------------------------------------------------------------


def test_the_charts_draw_the_numbers_of_the_tables_beside_them(
    client, demo_cast, login, time_machine
):
    """The check-ins per mentor (due and done) and the contracts by type and state: each bar's
    value equals the table's cell, in the table's order; accessible SVG without script."""
    from tests.dashboards.chart_reading import chart, chart_labels, chart_values, table_rows

    today = wednesday()
    at(time_machine, today)
    login(DIRECTOR)
    html = client.get(url(company_x())).content.decode()
    _year, board = board_for(company_x(), today)

    mentors = table_rows(html, "mentors")
    due = [row for row in mentors if row[5] != "0"]
    assert due, "the demo has check-ins due at Vandenberghe"
    svg = chart(html, "chart-checkins")
    assert chart_values(svg) == [[row[5] for row in due], [row[6] for row in due]]
    assert [row.name for row in board.mentors if row.checkins_due] == [row[0] for row in due]
    assert [row[0] for row in due] == [t for t in chart_labels(svg) if t in {r[0] for r in due}]
    assert sum(int(row[6]) for row in due) == board.checkins_done

    contracts = table_rows(html, "contracts")
    assert contracts
    svg = chart(html, "chart-contracts")
    assert chart_values(svg) == [[row[2] for row in contracts]]
    assert sum(int(v) for v in chart_values(svg)[0]) == sum(r.count for r in board.contracts)

    for drawn in re.findall(r"<svg .*?</svg>", html, re.S):
        assert 'role="img"' in drawn and "<title " in drawn and "<desc " in drawn
        assert "<script" not in drawn
    assert "Weekevaluaties per mentor" in html  # Dutch title


def test_no_chart_without_numbers_to_draw(demo_cast):
    """Nothing due and no contract: the tables say so, no empty chart is drawn."""
    from dashboards.selectors.company import CompanyDashboard
    from dashboards.views.company import _charts

    empty = CompanyDashboard(
        company=company_z(), school_year=2026, school_years=[], today=wednesday()
    )
    assert _charts(empty) == {}
