"""The coordinator's action list (issue 14, item 3: ``dashboards:actions``).

* on the demo, the list equals a recomputation from the raw rows (contracts, parties and
  signatures, checklist items, placements, check-ins, self-evaluations), with gaps made in the
  demo's evaluations so that every group has rows;
* every link answers 200 for the coordinator who sees it;
* isolation: another school's coordinator sees none of school A's students; a company
  coordinator none of another company's; a mentor, a director or a student gets 403;
* the page's number of queries is the same with a few and with many students (≤ 15);
* an item leaves the list once it is done (the contract signed through the signing service,
  a checklist item ticked through the checklist service, the check-in done).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from contracts.checklist import DEFAULT_OWNER, TASK_OF
from contracts.models import (
    ChecklistItem,
    ChecklistOwnerOverride,
    Contract,
    ContractParty,
    ContractState,
    Signature,
)
from contracts.services import lifecycle, signing
from contracts.services.checklist import item_mark_done
from dashboards.selectors.actions import CHECKIN_WEEKS, action_list
from evaluation.models import Evaluation, WeeklyCheckin
from learning.models import Opleidingsplan
from organisations.models import Organisation
from organisations.services import membership_ensure
from partnerships.models import (
    Partnership,
    Placement,
    PlacementSupervisor,
    RaciCell,
    SchoolClass,
    Student,
    TeamMember,
    TeamRole,
    Traject,
)
from partnerships.models.partnerships import COMPANY_ROLES
from partnerships.raci import MATRIX_ROLES
from partnerships.services.grants import partnership_sync_grants
from partnerships.services.partnerships import team_member_add
from tests.contracts.support import a1, shown

URL = "/dashboards/actions/"
SCHOOL_COORD = "coord@sintjozef.demo"
COMPANY_COORD = "coord@vandenberghe.demo"
A_STUDENTS = ("Lotte Janssens", "Mohamed El Amrani", "Emma Willems", "Noor Peeters")


def user(email: str) -> User:
    return User.objects.get(email=email)


def today() -> date:
    return timezone.localdate()


def make_gaps() -> None:
    """Gaps in the demo's evaluations: Lotte's and Jonas's check-in of two weeks ago not done,
    Lotte's self-evaluations of the last three weeks gone."""
    monday = today() - timedelta(days=today().weekday())
    WeeklyCheckin.objects.filter(
        traject__student__first_name__in=["Lotte", "Jonas"], week_start=monday - timedelta(days=14)
    ).update(done_at=None)
    Evaluation.objects.filter(
        session__traject__student__first_name="Lotte",
        evaluator="self",
        session__date__gte=monday - timedelta(days=21),
    ).delete()


def listed(email: str) -> dict[str, list]:
    found = action_list(user=user(email), now=timezone.now())
    return {group.key: group.rows for group in found.groups}


# --- the independent recomputation ---------------------------------------------------------


def coordinated_trajects(email: str) -> set[int]:
    """Plain rows: school coördinator seat → the partnership's trajects; company coördinator
    seat → the partnership's trajects with a placement at the seat's company."""
    found = set()
    for seat in TeamMember.objects.filter(user__email=email):
        trajects = Traject.objects.filter(partnership_id=seat.partnership_id)
        if seat.role == TeamRole.COORDINATOR_SCHOOL:
            found |= set(trajects.values_list("pk", flat=True))
        elif seat.role == TeamRole.COORDINATOR_BEDRIJF:
            found |= set(
                trajects.filter(placements__company_id=seat.organisation_id).values_list(
                    "pk", flat=True
                )
            )
    return found


def coordinated_contracts(email: str) -> list[Contract]:
    seats = list(TeamMember.objects.filter(user__email=email))
    found = []
    for contract in Contract.objects.select_related("traject__partnership"):
        for seat in seats:
            if seat.partnership_id != contract.traject.partnership_id:
                continue
            if seat.role == TeamRole.COORDINATOR_SCHOOL or (
                seat.role == TeamRole.COORDINATOR_BEDRIJF
                and seat.organisation_id == contract.company_id
            ):
                found.append(contract)
                break
    return found


def expected_contracts(email: str) -> set[tuple[str, str, tuple[str, ...]]]:
    """(student, state, parties still to sign) of the coordinated contracts that wait."""
    found = set()
    for contract in coordinated_contracts(email):
        if contract.state not in ("concept", "to_sign", "signed"):
            continue
        waiting: tuple[str, ...] = ()
        if contract.state == "to_sign":
            waiting = tuple(
                party.name
                for party in ContractParty.objects.filter(contract=contract, required=True)
                if not Signature.objects.filter(party=party, voided_at__isnull=True).exists()
            )
        found.add((contract.traject.student.full_name, contract.state, waiting))
    return found


def actual_contracts(rows) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(row.student, row.code, row.names) for row in rows}


def owner_role(contract: Contract, code: str) -> str:
    """The item's owner from the raw rows: the partnership's own choice, else the first role
    (in the matrix's order) with an R on the item's RACI task, else the item's default."""
    partnership = contract.traject.partnership_id
    chosen = ChecklistOwnerOverride.objects.filter(partnership=partnership, code=code).first()
    if chosen is not None:
        return chosen.role
    task = TASK_OF.get(code)
    if task:
        letters = dict(
            RaciCell.objects.filter(partnership=partnership, task=task).values_list(
                "role", "letter"
            )
        )
        for role in MATRIX_ROLES:
            if "R" in letters.get(role, ""):
                return role
    return DEFAULT_OWNER.get(code, TeamRole.COORDINATOR_SCHOOL)


def expected_checklist_items(email: str) -> set[tuple[str, str]]:
    """(student, item code) of the open, ticked-by-hand items of coordinated contracts not
    yet started that the coordinator ticks: a school coördinator all of them, a company
    coördinator those owned by a company role."""
    seats = list(TeamMember.objects.filter(user__email=email))
    found = set()
    for contract in coordinated_contracts(email):
        if contract.state not in ("concept", "to_sign", "signed", "registered"):
            continue
        school_coord = any(
            seat.role == TeamRole.COORDINATOR_SCHOOL
            and seat.partnership_id == contract.traject.partnership_id
            for seat in seats
        )
        for item in ChecklistItem.objects.filter(contract=contract):
            if item.code in ("signed", "registered"):
                continue
            renew = (
                item.code == "risicoanalyse"
                and item.done_on is not None
                and item.done_on + timedelta(days=365) <= contract.start_date
            )
            if item.done_on is not None and not renew:
                continue
            if not school_coord and owner_role(contract, item.code) not in COMPANY_ROLES:
                continue
            found.add((contract.traject.student.full_name, item.code))
    return found


def company_day(placements: list[Placement], day: date) -> bool:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday")
    return day.weekday() < 5 and any(
        p.start_date <= day <= p.end_date and getattr(p, names[day.weekday()]) == "company"
        for p in placements
    )


def expected_evaluations(email: str) -> tuple[set[tuple[str, tuple[int, ...]]], set[str]]:
    """(student, ISO weeks without a done check-in) over the last finished weeks, and the
    students with an opleidingsplan and an account who missed three company days of
    self-evaluation (looking back six weeks), among running coordinated trajects."""
    monday = today() - timedelta(days=today().weekday())
    mondays = [monday - timedelta(days=7 * n) for n in range(CHECKIN_WEEKS, 0, -1)]
    checkins, selfs = set(), set()
    for traject in Traject.objects.filter(
        pk__in=coordinated_trajects(email), status="running"
    ).select_related("student"):
        placements = list(Placement.objects.filter(traject=traject))
        if not placements:
            continue
        weeks = tuple(
            m.isocalendar().week
            for m in mondays
            if any(company_day(placements, m + timedelta(days=n)) for n in range(5))
            and not WeeklyCheckin.objects.filter(
                traject=traject, week_start=m, done_at__isnull=False
            ).exists()
        )
        if weeks:
            checkins.add((traject.student.full_name, weeks))
        has_plan = (
            Opleidingsplan.objects.filter(partnership=traject.partnership_id)
            .filter(traject__isnull=True)
            .exists()
            or Opleidingsplan.objects.filter(traject=traject).exists()
        )
        if not has_plan or traject.student.user_id is None:
            continue
        dates = [
            e.session.date
            for e in Evaluation.objects.filter(session__traject=traject, evaluator="self")
        ]
        since = max([*dates, today() - timedelta(days=43)])
        day, missed = since + timedelta(days=1), 0
        while day < today():
            missed += company_day(placements, day)
            day += timedelta(days=1)
        if missed >= 3:
            selfs.add(traject.student.full_name)
    return checkins, selfs


@pytest.mark.parametrize("email", [SCHOOL_COORD, COMPANY_COORD, "coord@daems.demo"])
def test_the_list_equals_a_recomputation_from_the_raw_rows(demo_cast, email):
    make_gaps()
    rows = listed(email)
    assert actual_contracts(rows["contracts"]) == expected_contracts(email)
    assert {(row.student, row.code) for row in rows["checklist"]} == expected_checklist_items(email)
    checkins, selfs = expected_evaluations(email)
    assert {(row.student, tuple(map(int, row.names))) for row in rows["checkins"]} == checkins
    assert {row.student for row in rows["self_evaluations"]} == selfs
    assert rows["reminders"] == []  # the demo sends coordinators no reminder
    assert rows["notifications"] == []


def test_the_demo_has_something_in_each_evaluation_and_contract_group(demo_cast):
    """The recomputation above is not vacuous: the school coordinator's list has rows."""
    make_gaps()
    rows = listed(SCHOOL_COORD)
    assert {row.student for row in rows["checkins"]} == {"Lotte Janssens"}
    assert {row.student for row in rows["self_evaluations"]} == {"Lotte Janssens"}
    assert actual_contracts(rows["contracts"]) == {
        ("Noor Peeters", "to_sign", ("Metaalbouw Vandenberghe", "Sofie Peeters"))
    }
    assert {row.code for row in rows["checklist"]} == {
        "risicoanalyse",
        "dimona",
        "onthaal",
        "werkkledij",
    }
    company = listed(COMPANY_COORD)
    assert {row.student for row in company["checkins"]} == {"Lotte Janssens", "Jonas Maes"}
    # The company's own items only; the school's (work clothes here) are not the company's.
    assert {row.code for row in company["checklist"]} == {"risicoanalyse", "dimona", "onthaal"}


def test_a_notification_and_a_reminder_of_the_coordinator_are_listed(demo_cast, client):
    from notifications.models import Notification

    coord = user(SCHOOL_COORD)
    Notification.objects.create(user=coord, kind="test", title="Lees dit", url="/agenda/")
    Notification.objects.create(user=coord, kind="test", title="Al gelezen", read_at=timezone.now())
    rows = listed(SCHOOL_COORD)
    assert [row.title for row in rows["notifications"]] == ["Lees dit"]
    assert rows["notifications"][0].url == "/agenda/"


def rows_in(html: str, group: str) -> int:
    """The rows the page shows in ``group``'s table."""
    section = html.split(f'data-table="{group}"', 1)[1].split("</section>", 1)[0]
    return section.count('data-testid="dashboard-row"')


def test_each_group_exports_whole_as_csv_and_xlsx(demo_cast, login, client):
    make_gaps()
    login(SCHOOL_COORD)
    response = client.get(URL, {"export": "checklist", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.count("Noor Peeters") == 4
    response = client.get(URL, {"export": "checkins", "format": "xlsx"})
    assert response.status_code == 200 and response.content.startswith(b"PK")
    # Nonsense in the query: the page, no 500.
    for query in ({"export": "nope"}, {"export": "checklist", "format": "pdf"}, {"week": "abc"}):
        assert client.get(URL, query).status_code == 200


@pytest.mark.parametrize("email", [SCHOOL_COORD, COMPANY_COORD])
def test_every_link_answers_200_for_the_coordinator(demo_cast, login, client, email):
    make_gaps()
    login(email)
    html = client.get(URL).content.decode()
    links = re.findall(r'<tr data-testid="dashboard-row"><td[^>]*><a href="([^"]+)"', html)
    assert len(links) >= 4
    for link in sorted(set(links)):
        assert client.get(link).status_code == 200, link


def test_the_page_shows_groups_counts_and_dutch(demo_cast, login, client):
    make_gaps()
    login(SCHOOL_COORD)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl-be")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="actions-count-checklist">4<' in html
    assert 'data-testid="actions-count-contracts">1<' in html
    assert rows_in(html, "checklist") == 4 and rows_in(html, "contracts") == 1
    assert "Wat op je wacht" in html
    assert "Noor Peeters" in html and "Lotte Janssens" in html
    assert "Jonas Maes" not in html  # school B's student


@pytest.mark.parametrize(
    "email",
    [
        "mentor@vandenberghe.demo",
        "directie@sintjozef.demo",
        "tb@sintjozef.demo",
        "lk@sintjozef.demo",
        "leerling1@sintjozef.demo",
        "ouder1@sintjozef.demo",
        "consulent@sector.demo",
    ],
)
def test_no_page_for_who_is_no_coordinator(demo_cast, login, client, email):
    login(email)
    assert client.get(URL).status_code == 403


def test_anonymous_goes_to_the_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_schools_coordinator_sees_none_of_school_a(demo_cast, login, client):
    make_gaps()
    school_b = Organisation.objects.get(name="GO! Technisch Atheneum De Ring")
    b1 = Partnership.objects.get(school=school_b)
    coord_b = User.objects.create_user(email="coord@dering.test", full_name="Bert Coördinator")
    membership_ensure(user=coord_b, organisation=school_b)
    team_member_add(
        actor=user("directie@dering.demo"),
        partnership=b1,
        user=coord_b,
        role=TeamRole.COORDINATOR_SCHOOL,
        organisation=school_b,
    )
    client.force_login(coord_b)
    html = client.get(URL).content.decode()
    assert "Jonas Maes" in html  # their own student's missing check-in
    for name in A_STUDENTS:
        assert name not in html
    rows = listed("coord@dering.test")
    a_links = {row.url for group in listed(SCHOOL_COORD).values() for row in group}
    assert not a_links & {row.url for group in rows.values() for row in group}


def test_a_company_coordinator_sees_no_other_companys_students(demo_cast, login, client):
    make_gaps()
    WeeklyCheckin.objects.filter(traject__student__first_name="Emma").update(done_at=None)
    assert {row.student for row in listed(SCHOOL_COORD)["checkins"]} >= {"Emma Willems"}
    login(COMPANY_COORD)
    html = client.get(URL).content.decode()
    assert "Emma Willems" not in html  # at Daems
    login("coord@daems.demo")
    html = client.get(URL).content.decode()
    assert "Emma Willems" in html
    for name in ("Lotte Janssens", "Mohamed El Amrani", "Noor Peeters", "Jonas Maes"):
        assert name not in html


# --- an item leaves the list once it is done ---------------------------------------------------


def test_a_contract_leaves_the_signing_group_once_signed(demo_cast):
    contract = Contract.objects.get(traject__student__first_name="Noor")
    assert contract.state == ContractState.TO_SIGN
    company = contract.parties.get(role="company")
    signing.sign(
        actor=user(COMPANY_COORD),
        contract=contract,
        party=company,
        typed_name=user(COMPANY_COORD).full_name,
        pdf_sha256=shown(contract),
        ip_address=None,
        version=contract.version,
    )
    rows = listed(SCHOOL_COORD)["contracts"]
    assert actual_contracts(rows) == {("Noor Peeters", "to_sign", ("Sofie Peeters",))}
    parent = contract.parties.get(role="parent")
    contract.refresh_from_db()
    lifecycle.record_signature(
        contract=contract,
        party=parent,
        user=user("ouder2@sintjozef.demo"),
        typed_name=parent.name,
        pdf_sha256=shown(contract),
        ip_address=None,
        version=contract.version,
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.SIGNED
    rows = listed(SCHOOL_COORD)["contracts"]
    # No longer waiting for signatures: now the school registers it.
    assert actual_contracts(rows) == {("Noor Peeters", "signed", ())}
    assert actual_contracts(rows) == expected_contracts(SCHOOL_COORD)


def test_a_checklist_item_leaves_once_ticked(demo_cast):
    item = ChecklistItem.objects.get(contract__traject__student__first_name="Noor", code="dimona")
    before = {(row.student, row.code) for row in listed(COMPANY_COORD)["checklist"]}
    assert ("Noor Peeters", "dimona") in before
    item_mark_done(actor=user(COMPANY_COORD), item=item, version=item.version, done_on=today())
    after = {(row.student, row.code) for row in listed(COMPANY_COORD)["checklist"]}
    assert after == before - {("Noor Peeters", "dimona")}
    assert after == expected_checklist_items(COMPANY_COORD)


def test_a_missing_checkin_leaves_once_done(demo_cast):
    make_gaps()
    assert "Lotte Janssens" in {row.student for row in listed(SCHOOL_COORD)["checkins"]}
    monday = today() - timedelta(days=today().weekday())
    WeeklyCheckin.objects.filter(
        traject__student__first_name="Lotte", week_start=monday - timedelta(days=14)
    ).update(done_at=timezone.now())
    assert "Lotte Janssens" not in {row.student for row in listed(SCHOOL_COORD)["checkins"]}


# --- a fixed number of queries -----------------------------------------------------------------


def add_students(count: int, *, start: int) -> None:
    """``count`` more students in A1 at company X (rows as the homes' query-count test makes
    them), placed since five weeks ago (so their check-ins of the last weeks are missing),
    each with a draft contract (through the contracts service: its parties and checklist)."""
    partnership = a1()
    entry = partnership.companies.select_related("company", "vestiging").first()
    school_class = SchoolClass.objects.filter(school=partnership.school).first()
    mentor = user("mentor@vandenberghe.demo")
    monday = today() - timedelta(days=today().weekday())
    trajects = []
    for number in range(start, start + count):
        student = Student.objects.create(
            school=partnership.school,
            first_name=f"Extra{number}",
            last_name="Leerling",
            birth_date=date(2008, 1, 1),
            school_class=school_class,
        )
        traject = Traject.objects.create(student=student, partnership=partnership, status="running")
        placement = Placement.objects.create(
            traject=traject,
            company=entry.company,
            vestiging=entry.vestiging,
            start_date=monday - timedelta(days=35),
            end_date=date(monday.year + 1, 6, 30),
            workplace_hours_per_week=Decimal(24),
            wednesday="company",
            thursday="company",
            friday="company",
        )
        PlacementSupervisor.objects.create(placement=placement, user=mentor, kind="mentor")
        trajects.append(traject)
    partnership_sync_grants(partnership=partnership)
    for traject in trajects:
        lifecycle.contract_create(
            actor=user(SCHOOL_COORD),
            traject=traject,
            company=entry.company,
            leervergoeding_category=1,
        )


# The page's chrome in the tests: the session, the user and the main menu (six reads, kept
# per person only with a shared cache: ``duaal.homes.nav_for``, decision 0022) — with Redis in
# production it is the user alone.
CHROME = 8
# The action list's own reads (the selector alone): the coördinator's seats, contracts,
# placements (with the traject, student, last self-evaluation, plan and check-ins), reminders,
# unsigned parties, the checklist owners (matrix and overrides), the checklist items, the
# notifications. The page reads the seats once, for its 403 and for the list: 8 + 9 = 17 in
# the tests, 1 + 9 with the shared cache.
OWN_QUERIES = 10


def count_page(client, email: str) -> tuple[int, str]:
    client.force_login(user(email))
    client.get(URL)  # warm the per-process caches alike for both counts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def count_selector(email: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        action_list(user=user(email), now=timezone.now())
    return len(queries.captured_queries)


@pytest.mark.parametrize("email", [SCHOOL_COORD, COMPANY_COORD])
def test_the_number_of_queries_does_not_grow_with_the_students(demo_cast, client, email):
    add_students(3, start=0)
    few, html = count_page(client, email)
    few_own = count_selector(email)
    assert rows_in(html, "checkins") >= 3
    add_students(30, start=3)
    many, html = count_page(client, email)
    many_own = count_selector(email)
    assert rows_in(html, "checkins") >= 33
    assert rows_in(html, "contracts") >= 33
    assert rows_in(html, "checklist") >= 33
    assert few == many, (few, many)
    assert few_own == many_own == OWN_QUERIES, (few_own, many_own)
    assert many == CHROME + OWN_QUERIES - 1, many  # the page reads the seats once


@pytest.mark.parametrize(
    ("email", "linked"),
    [(SCHOOL_COORD, True), (COMPANY_COORD, True), ("mentor@vandenberghe.demo", False)],
)
def test_the_home_links_coordinators_to_their_action_list(demo_cast, login, client, email, linked):
    login(email)
    html = client.get("/").content.decode()
    assert (f'href="{URL}"' in html) is linked


def test_a_company_coordinator_is_not_told_of_weeks_at_another_company(demo_cast):
    """Lotte moved from Vandenberghe to Daems five weeks ago: the check-in she misses two weeks
    ago is Daems's to do. Vandenberghe's coördinator (who still sees her traject through the
    earlier placement) is not told of it; the school's coördinator is."""
    make_gaps()
    assert "Lotte Janssens" in {row.student for row in listed(COMPANY_COORD)["checkins"]}
    placement = Placement.objects.get(
        traject__student__first_name="Lotte", company__name__icontains="Vandenberghe"
    )
    moved = today() - timedelta(days=today().weekday() + 35)
    daems = Organisation.objects.get(name__icontains="Daems")
    Placement.objects.filter(pk=placement.pk).update(end_date=moved - timedelta(days=1))
    placement.pk = placement.id = None
    placement.public_id = uuid.uuid4()
    placement.company = daems
    placement.vestiging = daems.vestigingen.first()
    placement.start_date = moved
    placement.end_date = today() + timedelta(days=60)
    placement.save()
    assert "Lotte Janssens" not in {row.student for row in listed(COMPANY_COORD)["checkins"]}
    assert "Lotte Janssens" in {row.student for row in listed(SCHOOL_COORD)["checkins"]}


def test_the_unread_notifications_export_holds_every_one(demo_cast, login, client):
    """The page shows the first 50 of a group and says the download holds the rest: so it
    must (the notifications group read only 51)."""
    from notifications.models import Notification

    coordinator = user(SCHOOL_COORD)
    before = len(listed(SCHOOL_COORD)["notifications"])
    Notification.objects.bulk_create(
        Notification(user=coordinator, title=f"Bericht {n}", url="/") for n in range(60)
    )
    assert len(listed(SCHOOL_COORD)["notifications"]) == before + 60
    login(SCHOOL_COORD)
    text = client.get(URL, {"export": "notifications", "format": "csv"}).content.decode("utf-8-sig")
    assert all(f"Bericht {n};" in text for n in range(60))
