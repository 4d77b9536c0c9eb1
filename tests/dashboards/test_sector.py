"""The sector consultant's dashboard (issue 14, item 4): its figures equal a recomputation from
the raw rows, it names no student of the demo (page and every export), it shows one sector only
and nobody else opens it, and it asks a fixed number of queries whatever the size."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from learning.models import Opleiding
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from partnerships.models import Student, StudentContact
from recognition.models import MentorProfile, Recognition, RecognitionStatus
from recognition.reminders import add_months
from recognition.selectors import add_years

pytestmark = pytest.mark.django_db

S = RecognitionStatus
CONSULTANT = "consulent@sector.demo"
SECTOR = "Sectoraal Partnerschap Technologische Industrie"
URL = "/dashboards/sector/"
TABLES = ("pipeline", "opleidingen", "expiring", "training")
AWAITING = {S.COMPLETE, S.VISIT_PLANNED, S.APPEAL}
OPEN = {S.SUBMITTED, *AWAITING}


def today() -> date:
    return timezone.localdate()


# --- the data ---------------------------------------------------------------------------------


def other_sector() -> tuple[Organisation, User]:
    """A second sector body with its own consultant (absent from the demo cast)."""
    body = Organisation.objects.create(
        name="Vlaams Partnerschap Duaal Leren", kind=OrganisationKind.SECTOR_BODY
    )
    consultant = User.objects.create_user(email="consulent@ander.demo", password="x")
    Membership.objects.create(user=consultant, organisation=body)
    return body, consultant


def populate(size: int, *, offset: int, body: Organisation, opleidingen: list[Opleiding]) -> None:
    """``size`` companies with, routed to ``body``: a recognition in force (expiring in two
    months for half of them, a renewal filed for a quarter) naming a new mentor (trained, due
    within 90 days or overdue, in turn), and one request in one of the open states with a
    decision due soon, overdue or later, in turn."""
    states = [S.SUBMITTED, S.COMPLETE, S.VISIT_PLANNED, S.APPEAL, S.REFUSED, S.WITHDRAWN]
    for n in range(offset, offset + size):
        company = Organisation.objects.create(
            name=f"Sectorbedrijf {n}",
            kind=OrganisationKind.COMPANY,
            paritair_comite="111",
            ondernemingsnummer=f"08{n:08d}",
        )
        mentor = User.objects.create_user(email=f"mentor{n}@sectorbedrijf.demo")
        Membership.objects.create(user=mentor, organisation=company)
        vestiging = Vestiging.objects.create(
            organisation=company, name=f"Zetel {n}", vestigingsnummer=f"3{n:09d}"
        )
        kind = n % 3
        decided = today() - timedelta(days=(300, 400, 200)[kind])
        expires = n % 2 == 0
        recognised = Recognition.objects.create(
            company=company,
            vestiging=vestiging,
            opleiding=opleidingen[0],
            status=S.RECOGNISED,
            sector_body=body,
            decided_on=decided,
            valid_until=add_months(today(), 2) if expires else add_years(decided, 5),
        )
        recognised.mentors.set([mentor])
        MentorProfile.objects.create(
            user=mentor,
            introduction_session_on=decided if kind == 2 else None,
            deepening_session_on=decided + timedelta(days=10) if kind == 2 else None,
        )
        status = states[n % len(states)]
        due = today() + timedelta(days=(3, -2, 20)[n % 3])
        Recognition.objects.create(
            company=company,
            vestiging=vestiging,
            opleiding=opleidingen[1] if not (expires and n % 4 == 0) else opleidingen[0],
            status=status,
            sector_body=body,
            submitted_on=today() - timedelta(days=20),
            decision_due=due if status in AWAITING or status == S.REFUSED else None,
            decided_on=today() - timedelta(days=1) if status == S.REFUSED else None,
        )


@pytest.fixture
def sectors(demo_cast) -> tuple[Organisation, User]:
    """The demo's sector with six companies more, and a second sector with four of its own."""
    body = Organisation.objects.get(name=SECTOR)
    opleidingen = list(Opleiding.objects.order_by("pk")[:2])
    populate(6, offset=0, body=body, opleidingen=opleidingen)
    other, consultant = other_sector()
    populate(4, offset=100, body=other, opleidingen=opleidingen)
    return other, consultant


# --- an independent recomputation ----------------------------------------------------------------


def recompute(email: str) -> dict[str, dict[str, tuple]]:
    """The dashboard's tables from the raw rows, in plain Python: {table: {first cell: rest}}."""
    day = today()
    user = User.objects.get(email=email)
    bodies = {
        m.organisation_id
        for m in Membership.objects.select_related("organisation").filter(user=user)
        if m.organisation.kind == OrganisationKind.SECTOR_BODY
    }
    every = list(Recognition.objects.all())
    mine = [r for r in every if r.sector_body_id in bodies and r.status != S.CONCEPT]

    def soon(r: Recognition) -> bool:
        return (
            r.status in AWAITING
            and r.decision_due is not None
            and 0 <= (r.decision_due - day).days <= 14
        )

    def late(r: Recognition) -> bool:
        return r.status in AWAITING and r.decision_due is not None and r.decision_due < day

    def in_force(r: Recognition) -> bool:
        return r.status == S.RECOGNISED and r.decided_on <= day <= r.valid_until

    labels = dict(S.choices)
    pipeline = {
        str(labels[state]): (
            sum(r.status == state for r in mine),
            sum(r.status == state and soon(r) for r in mine),
            sum(r.status == state and late(r) for r in mine),
        )
        for state in S.values
        if state != S.CONCEPT
    }
    names = {o.pk: o.name for o in Opleiding.objects.all()}
    opleidingen: dict[str, tuple] = {}
    for pk in sorted({r.opleiding_id for r in mine if r.status in OPEN or in_force(r)}):
        rows = [r for r in mine if r.opleiding_id == pk]
        opleidingen[names[pk]] = (
            sum(r.status in OPEN for r in rows),
            sum(soon(r) for r in rows),
            sum(late(r) for r in rows),
            sum(in_force(r) for r in rows),
        )
    last = add_months(day, 6)
    expiring_rows = [r for r in mine if in_force(r) and r.valid_until <= last]

    def renewed(r: Recognition) -> bool:
        return any(
            o.vestiging_id == r.vestiging_id
            and o.opleiding_id == r.opleiding_id
            and (
                o.status in (S.SUBMITTED, S.COMPLETE, S.VISIT_PLANNED, S.APPEAL)
                or (o.status == S.RECOGNISED and o.valid_until > r.valid_until)
            )
            for o in every
        )

    per_month = Counter((r.valid_until.year, r.valid_until.month) for r in expiring_rows)
    renewed_month = Counter(
        (r.valid_until.year, r.valid_until.month) for r in expiring_rows if renewed(r)
    )
    expiring = {}
    month = day.replace(day=1)
    while month <= last:
        key = (month.year, month.month)
        expiring[key] = (per_month[key], renewed_month[key], per_month[key] - renewed_month[key])
        month = add_months(month, 1)
    # Mentors named by a recognition in force of the sector, each once.
    through = Recognition.mentors.through.objects.values_list("recognition_id", "user_id")
    by_pk = {r.pk: r for r in every}
    mentors = {u for rid, u in through if by_pk[rid] in mine and in_force(by_pk[rid])}
    profiles = {p.user_id: p for p in MentorProfile.objects.all()}
    training = Counter()
    for mentor in mentors:
        profile = profiles.get(mentor)
        intro = profile.introduction_session_on if profile else None
        deep = profile.deepening_session_on if profile else None
        if intro and deep and max(intro, deep) <= day:
            training["completed"] += 1
            continue
        first = min(
            by_pk[rid].decided_on
            for rid, u in through
            if u == mentor and by_pk[rid].status in (S.RECOGNISED, S.EXPIRED)
        )
        due = add_years(first, 1)
        if due < day:
            training["overdue"] += 1
        elif (due - day).days <= 90:
            training["due_soon"] += 1
        else:
            training["due_later"] += 1
    return {
        "pipeline": pipeline,
        "opleidingen": opleidingen,
        "expiring": expiring,
        "training": training,
    }


def export(client, slug: str, fmt: str = "csv") -> list[list[str]]:
    response = client.get(URL, {"export": slug, "format": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def exported(client) -> dict[str, dict[str, tuple]]:
    """The four tables as the CSV export gives them: {table: {first cell: the numbers}}."""
    found = {}
    for slug in TABLES:
        header, *rows = export(client, slug)
        found[slug] = {row[0]: tuple(int(cell) for cell in row[1:]) for row in rows}
    return found


def check_equal(client, email: str) -> dict[str, dict[str, tuple]]:
    expected = recompute(email)
    found = exported(client)
    assert found["pipeline"] == expected["pipeline"]
    assert found["opleidingen"] == expected["opleidingen"]
    assert list(found["expiring"].values()) == list(expected["expiring"].values())
    assert len(found["expiring"]) == len(expected["expiring"])
    training = expected["training"]
    assert list(found["training"].values()) == [
        (training["overdue"],),
        (training["due_soon"],),
        (training["due_later"],),
        (training["completed"],),
    ]
    return expected


# --- the figures --------------------------------------------------------------------------------


def test_the_demo_figures_equal_a_recomputation(login, demo_cast):
    client = login(CONSULTANT)
    expected = check_equal(client, CONSULTANT)
    # The demo (recognition/demo.py): Daems' request for Onderhoudsmechanica, complete four
    # days ago, is due in 10 days; Ilse Daems' mentor training is overdue; Vandenberghe's
    # Lasser-Monteerder recognition expires in about 75 days.
    assert expected["pipeline"]["Volledig"] == (1, 1, 0)
    assert expected["training"]["overdue"] == 1
    assert sum(n for n, _r, _o in expected["expiring"].values()) == 1
    html = client.get(URL).content.decode()
    assert 'data-testid="sector-due-soon"><a href="/recognitions/inbox/?due=soon">1</a>' in html
    assert "Onderhoudsmechanica duaal" in html


def test_the_figures_equal_a_recomputation_with_more_rows(login, sectors):
    client = login(CONSULTANT)
    expected = check_equal(client, CONSULTANT)
    assert expected["training"]["due_soon"] >= 1 and expected["training"]["overdue"] >= 2
    assert sum(r for _n, r, _o in expected["expiring"].values()) >= 1
    assert sum(row[1] for row in expected["pipeline"].values()) >= 2  # the demo's one and more
    assert sum(row[2] for row in expected["pipeline"].values()) >= 1
    html = client.get(URL).content.decode()
    totals = {
        "sector-open": sum(row[0] for row in expected["opleidingen"].values()),
        "sector-in-force": sum(row[3] for row in expected["opleidingen"].values()),
        "sector-expiring": sum(row[0] for row in expected["expiring"].values()),
        "sector-mentors": sum(expected["training"].values()),
    }
    for testid, number in totals.items():
        assert f'data-testid="{testid}">{number}<' in html, (testid, number)


def test_the_totals_agree_with_the_inbox_and_its_home_panel(login, sectors):
    from partnerships.permissions import recognition_inbox_of
    from recognition.selectors import inbox_counts

    client = login(CONSULTANT)
    html = client.get(URL).content.decode()
    counts = inbox_counts(
        recognition_inbox_of(user=User.objects.get(email=CONSULTANT)), today=today()
    )
    assert f'href="/recognitions/inbox/?due=soon">{counts["soon"]}</a>' in html
    assert f'<span class="badge badge--danger">{counts["overdue"]}</span>' in html


def test_the_other_sector_sees_its_own_figures_only(client, sectors):
    _body, consultant = sectors
    client.force_login(consultant)
    expected = check_equal(client, consultant.email)
    # Four companies of its own, none of the demo's sector.
    assert sum(row[3] for row in expected["opleidingen"].values()) == 4
    # Every request it counts is its own: four recognitions and four requests.
    assert sum(row[0] for row in expected["pipeline"].values()) == 8
    assert expected != recompute(CONSULTANT)
    html = client.get(URL).content.decode()
    assert SECTOR not in html and "Vlaams Partnerschap Duaal Leren" in html


# --- no student, ever -------------------------------------------------------------------------


def student_names() -> set[str]:
    """Every name of every student of the demo (and their contacts), whole and in parts."""
    names: set[str] = set()
    for student in Student.objects.all():
        names |= {student.full_name, student.first_name, student.last_name}
    for contact in StudentContact.objects.all():
        names.add(contact.full_name)
    return {name for name in names if name}


def test_no_student_name_in_the_page_or_any_export(login, sectors):
    names = student_names()
    assert {"Lotte Janssens", "Mohamed El Amrani", "Emma Willems", "Jonas Maes"} <= names
    client = login(CONSULTANT)
    texts = [client.get(URL).content.decode()]
    for slug in TABLES:
        for fmt in ("csv", "xlsx"):
            texts.append("\n".join(";".join(row) for row in export(client, slug, fmt)))
    for text in texts:
        found = [name for name in names if name in text]
        assert found == [], found


# --- charts (issue 14, item 5) ------------------------------------------------------------------


def test_the_charts_draw_the_numbers_of_the_tables_beside_them(login, sectors):
    """The requests per state and the recognitions expiring per month (renewal filed / none
    yet): each bar's value is the table's cell, in the table's order; no student, no script."""
    from tests.dashboards.chart_reading import chart, chart_labels, chart_values, table_rows

    client = login(CONSULTANT)
    html = client.get(URL).content.decode()
    expected = recompute(CONSULTANT)

    pipeline = table_rows(html, "pipeline")
    assert len(pipeline) == 8
    svg = chart(html, "chart-pipeline")
    assert chart_values(svg) == [[row[1] for row in pipeline]]
    per_state = dict(zip([row[0] for row in pipeline], chart_values(svg)[0], strict=True))
    assert {state: int(n) for state, n in per_state.items()} == {
        state: n for state, (n, _s, _o) in expected["pipeline"].items()
    }
    assert [row[0] for row in pipeline] == [t for t in chart_labels(svg) if not t.isdigit()]

    expiring = table_rows(html, "expiring")
    svg = chart(html, "chart-expiring")
    filed, without = chart_values(svg)
    assert filed == [row[2] for row in expiring] and without == [row[3] for row in expiring]
    assert sum(map(int, filed + without)) == sum(int(row[1]) for row in expiring) >= 1
    labels = chart_labels(svg)
    assert all(row[0] in labels for row in expiring)

    names = student_names()
    for drawn in re.findall(r"<svg .*?</svg>", html, re.S):
        assert 'role="img"' in drawn and "<title " in drawn and "<desc " in drawn
        assert "<script" not in drawn
        assert not [name for name in names if name in drawn]


def test_no_chart_when_everything_is_zero(client, demo_cast):
    """A sector body with nothing routed to it: the tables with zeros, no chart."""
    _body, consultant = other_sector()
    client.force_login(consultant)
    html = client.get(URL).content.decode()
    assert 'data-table="pipeline"' in html
    assert "<svg" not in html


# --- who opens it ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "directie@sintjozef.demo",  # a school director
        "directie@vandenberghe.demo",  # a company director
        "coord@daems.demo",  # the company of the demo's pending request
        "leerling1@sintjozef.demo",
    ],
)
def test_no_one_but_a_sector_body_member_opens_it(login, demo_cast, email):
    client = login(email)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"export": "pipeline", "format": "csv"}).status_code == 403


def test_anonymous_is_sent_to_the_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_parameters_show_the_page(login, demo_cast):
    client = login(CONSULTANT)
    for params in (
        {"export": "nope"},
        {"export": "pipeline", "format": "pdf"},
        {"year": "abc", "week": "x"},
        {"export": "=1+1", "format": "=cmd"},
    ):
        response = client.get(URL, params)
        assert response.status_code == 200, params
        assert "Sectordashboard" in response.content.decode()
    assert client.post(URL).status_code == 405


def test_the_consultant_home_links_to_the_dashboard(login, demo_cast):
    client = login(CONSULTANT)
    html = client.get("/").content.decode()
    assert 'data-testid="home-sector-dashboard"' in html and f'href="{URL}"' in html
    for email in ("directie@sintjozef.demo", "directie@vandenberghe.demo"):
        html = login(email).get("/").content.decode()
        assert 'data-testid="home-sector-dashboard"' not in html


# --- a fixed number of queries ------------------------------------------------------------------


def count(client) -> int:
    client.get(URL)  # warm the per-process caches alike for both counts
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries.captured_queries)


def test_the_query_count_is_the_same_at_two_sizes(login, demo_cast):
    from tests.homes.test_query_counts import add_students

    body = Organisation.objects.get(name=SECTOR)
    opleidingen = list(Opleiding.objects.order_by("pk")[:2])
    client = login(CONSULTANT)
    populate(4, offset=0, body=body, opleidingen=opleidingen)
    few = count(client)
    populate(60, offset=4, body=body, opleidingen=opleidingen)
    add_students(
        50,
        mentor=User.objects.get(email="mentor@vandenberghe.demo"),
        parent=User.objects.get(email="ouder1@sintjozef.demo"),
    )
    many = count(client)
    assert few == many, (few, many)
    assert many <= 15, many
    assert exported(client)["training"]  # the rows are there
