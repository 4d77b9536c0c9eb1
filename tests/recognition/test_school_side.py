"""The school's side of recognition (issue 12 items 6 and 7): partner search and programmatie.

Partner search: ordering by distance from shipped postcode coordinates, the company's opt-in
(``Organisation.findable``) respected, free mentor places from the load rule, nothing of
another tenant (no student, no mentor's name) on the page, bad input answered in Dutch.
Programmatie: the deadlines (30 November, 4 months, 1 October), the transitions with their
audit trail, the warnings on the page, the two reminder rules and their mails.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from duaal.models import AuditEntry
from learning.models import Opleiding
from notifications.registry import rules
from notifications.services.reminders import reminders_sweep, render_reminder
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from partnerships.models import MentorLoadRule
from partnerships.selectors.mentors import mentor_load
from partnerships.selectors.partner_search import find_partners
from recognition import postcodes
from recognition import programmatie as prog
from recognition.models import (
    CompanyInterest,
    Programmatie,
    ProgrammatieStatus,
    Recognition,
    RecognitionStatus,
)

P = ProgrammatieStatus
DAEMS = "Koeltechniek Daems"
VANDENBERGHE = "Metaalbouw Vandenberghe"


def _company(name: str, number: str, *, findable: bool = True, pc: str = "111") -> Organisation:
    return Organisation.objects.create(
        kind=OrganisationKind.COMPANY,
        name=name,
        ondernemingsnummer=number,
        paritair_comite=pc,
        findable=findable,
    )


def _vestiging(company: Organisation, number: str, postcode: str, city: str) -> Vestiging:
    return Vestiging.objects.create(
        organisation=company,
        vestigingsnummer=number,
        name=f"{company.name} – {city}",
        postcode=postcode,
        city=city,
    )


def _recognise(vestiging: Vestiging, opleiding: Opleiding, today: date) -> Recognition:
    return Recognition.objects.create(
        company=vestiging.organisation,
        vestiging=vestiging,
        opleiding=opleiding,
        ondernemingsnummer=vestiging.organisation.ondernemingsnummer,
        vestigingsnummer=vestiging.vestigingsnummer,
        status=RecognitionStatus.RECOGNISED,
        decided_on=today - timedelta(days=100),
        valid_until=today + timedelta(days=1000),
    )


# --- postcodes --------------------------------------------------------------------------------


def test_the_shipped_postcodes_give_distances_in_km():
    assert len(postcodes.places()) > 1000
    assert postcodes.place("3600").province == "VLI"
    assert 11 < postcodes.distance_km("3600", "3500") < 13  # Genk – Hasselt
    assert 120 < postcodes.distance_km("3600", "9000") < 130  # Genk – Gent
    assert postcodes.distance_km("3600", "3600") == 0
    assert postcodes.normalize(" B-3600 ") == "3600"
    assert postcodes.normalize("36OO") == postcodes.normalize("0360") == ""
    assert postcodes.distance_km("3600", "") is None
    assert postcodes.distance_km("3600", "9999") is None  # not a Belgian postcode


# --- partner search ---------------------------------------------------------------------------


@pytest.fixture
def search_world(demo_cast):
    """Three findable companies around Limburg and one that did not opt in."""
    today = timezone.localdate()
    lassen = Opleiding.objects.get(code="lassen-constructie")
    far = _company("Gentse Staalbouw", "0400000197")
    near = _company("Genkse Laswerken", "0400000296")
    mid = _company("Hasseltse Metaal", "0400000395")
    hidden = _company("Verborgen Bedrijf", "0400000494", findable=False)
    _recognise(_vestiging(far, "2100000001", "9000", "Gent"), lassen, today)
    _recognise(_vestiging(near, "2100000002", "3600", "Genk"), lassen, today)
    CompanyInterest.objects.create(company=mid, opleiding=lassen)
    _vestiging(mid, "2100000003", "3500", "Hasselt")
    _recognise(_vestiging(hidden, "2100000004", "3600", "Genk"), lassen, today)
    CompanyInterest.objects.create(company=hidden, opleiding=lassen)
    return {"today": today, "lassen": lassen}


def test_search_sorts_by_distance_and_never_lists_a_company_that_did_not_opt_in(search_world):
    hits = find_partners(
        opleiding=search_world["lassen"], postcode="3600", today=search_world["today"]
    )
    names = [hit.company.name for hit in hits]
    assert "Verborgen Bedrijf" not in names
    assert VANDENBERGHE not in names  # recognised, but not findable (the demo)
    # Genk (0 km), then the Hasselt ones (about 12 km: Daems recognised, Hasseltse interested),
    # then Gent (about 125 km).
    assert names[0] == "Genkse Laswerken" and names[-1] == "Gentse Staalbouw"
    assert set(names[1:3]) == {DAEMS, "Hasseltse Metaal"}
    distances = [hit.distance_km for hit in hits]
    assert distances == sorted(distances)
    by_name = {hit.company.name: hit for hit in hits}
    assert by_name["Hasseltse Metaal"].interested and not by_name["Hasseltse Metaal"].recognised
    assert by_name["Genkse Laswerken"].recognised and not by_name["Genkse Laswerken"].interested
    # From Gent the order turns round.
    from_gent = find_partners(
        opleiding=search_world["lassen"], postcode="9000", today=search_world["today"]
    )
    assert from_gent[0].company.name == "Gentse Staalbouw"
    assert from_gent[-1].company.name == "Genkse Laswerken"


def test_an_opt_out_removes_a_company_at_once(search_world):
    Organisation.objects.filter(name="Genkse Laswerken").update(findable=False)
    hits = find_partners(
        opleiding=search_world["lassen"], postcode="3600", today=search_world["today"]
    )
    assert "Genkse Laswerken" not in {hit.company.name for hit in hits}


def test_an_expired_recognition_without_interest_is_not_found(search_world):
    today = search_world["today"]
    Recognition.objects.filter(company__name="Gentse Staalbouw").update(
        valid_until=today - timedelta(days=1)
    )
    hits = find_partners(opleiding=search_world["lassen"], postcode="3600", today=today)
    assert "Gentse Staalbouw" not in {hit.company.name for hit in hits}


def test_free_mentor_places_follow_the_load_and_the_sector_limit(demo_cast):
    today = timezone.localdate()
    lassen = Opleiding.objects.get(code="lassen-constructie")
    mentor = User.objects.get(email="mentor@daems.demo")
    load = mentor_load(mentor=mentor, on=today)
    (daems,) = [
        hit
        for hit in find_partners(opleiding=lassen, postcode="3500", today=today)
        if hit.company.name == DAEMS
    ]
    # Daems' recognition for Lassen-Constructie names one mentor; PC 111's limit is 3.
    assert daems.recognised and daems.mentors == 1
    assert daems.free_places == max(0, 3 - load)
    MentorLoadRule.objects.update_or_create(paritair_comite="111", defaults={"max_students": load})
    hits = find_partners(opleiding=lassen, postcode="3500", today=today, only_free=True)
    assert DAEMS not in {hit.company.name for hit in hits}
    full = find_partners(opleiding=lassen, postcode="3500", today=today)
    assert [hit.free_places for hit in full if hit.company.name == DAEMS] == [0]


def test_the_demo_school_finds_daems_for_onderhoudsmechanica_through_its_interest(demo_cast):
    hits = find_partners(
        opleiding=Opleiding.objects.get(code="onderhoudsmechanica"),
        postcode="3600",
        today=timezone.localdate(),
    )
    assert [(hit.company.name, hit.interested, hit.recognised) for hit in hits] == [
        (DAEMS, True, False)  # its request is still pending: interest only
    ]


def test_the_search_page_shows_what_companies_agreed_to_show_and_no_student(
    client, search_world, login
):
    login("coord@sintjozef.demo")
    url = reverse("recognition:partner_search")
    response = client.get(url, {"opleiding": search_world["lassen"].pk, "postcode": "3600"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Genkse Laswerken" in page and DAEMS in page and "Gentse Staalbouw" in page
    assert page.index("Genkse Laswerken") < page.index(DAEMS) < page.index("Gentse Staalbouw")
    assert "Verborgen Bedrijf" not in page and VANDENBERGHE not in page
    # No student, no mentor's name, no other school.
    for secret in ("Emma Willems", "Lotte Janssens", "Jonas Maes", "Ilse", "De Ring"):
        assert secret not in page, secret


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"opleiding": "", "postcode": "3600"}, "Dit veld is verplicht"),
        ({"opleiding": "99999999999999999999999", "postcode": "3600"}, "geldige keuze"),
        ({"postcode": "36\x00"}, "vier cijfers"),
        ({"postcode": "abcd"}, "vier cijfers"),
        ({"postcode": "9999"}, "kennen postcode 9999 niet"),
    ],
)
def test_bad_search_input_gets_a_dutch_message(client, demo_cast, login, query, message):
    login("coord@sintjozef.demo")
    lassen = Opleiding.objects.get(code="lassen-constructie")
    response = client.get(
        reverse("recognition:partner_search"),
        {"opleiding": lassen.pk, **query},
        HTTP_ACCEPT_LANGUAGE="nl-BE",
    )
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "email", ["lk@sintjozef.demo", "coord@vandenberghe.demo", "consulent@sector.demo"]
)
def test_only_a_schools_administrators_search(client, demo_cast, login, email):
    login(email)
    assert client.get(reverse("recognition:partner_search")).status_code == 403


# --- a company's listing ----------------------------------------------------------------------


def test_a_company_coordinator_sets_the_opt_in_and_its_opleidingen(client, demo_cast, login):
    daems = Organisation.objects.get(name=DAEMS)
    url = reverse("recognition:partner_listing", args=[daems.public_id])
    login("coord@daems.demo")
    assert client.get(url).status_code == 200
    lassen = Opleiding.objects.get(code="lassen-constructie")
    response = client.post(url, {"opleidingen": [lassen.pk]})  # findable unticked
    assert response.status_code == 302
    daems.refresh_from_db()
    assert not daems.findable
    assert list(
        CompanyInterest.objects.filter(company=daems).values_list("opleiding__code", flat=True)
    ) == ["lassen-constructie"]
    entry = AuditEntry.objects.filter(action="partner_listing.update").latest("pk")
    assert entry.changes["findable"] == [True, False]
    # No longer findable: gone from every search.
    hits = find_partners(opleiding=lassen, postcode="3500", today=timezone.localdate())
    assert DAEMS not in {hit.company.name for hit in hits}


def test_a_listing_is_set_by_the_companys_administrators_only(client, demo_cast, login):
    url = reverse(
        "recognition:partner_listing", args=[Organisation.objects.get(name=DAEMS).public_id]
    )
    login("mentor@daems.demo")
    assert client.post(url, {"findable": "on"}).status_code == 403
    client.logout()
    login("coord@vandenberghe.demo")  # another company: nothing to see
    assert client.get(url).status_code == 404
    assert client.get(url.replace(url.split("/")[3], "not-a-uuid")).status_code == 404


# --- programmatie: deadlines ------------------------------------------------------------------


def test_the_programmatie_deadlines():
    assert prog.submit_deadline(2027) == date(2026, 11, 30)
    assert prog.first_student_deadline(2027) == date(2027, 10, 1)
    assert prog.answer_due(date(2026, 11, 30)) == date(2027, 3, 30)
    assert prog.answer_due(date(2026, 10, 31)) == date(2027, 2, 28)
    assert prog.current_school_year(date(2026, 8, 31)) == 2025
    assert prog.current_school_year(date(2026, 9, 1)) == 2026
    assert prog.first_open_school_year(date(2026, 11, 30)) == 2027
    assert prog.first_open_school_year(date(2026, 12, 1)) == 2028
    assert prog.first_open_school_year(date(2026, 3, 1)) == 2027


@pytest.fixture
def school(demo_cast):
    return Organisation.objects.get(instellingsnummer="999101")


@pytest.fixture
def coord(demo_cast):
    return User.objects.get(email="coord@sintjozef.demo")


def _concept(coord, school, year: int = 2027, code: str = "lassen-constructie") -> Programmatie:
    return prog.programmatie_create(
        actor=coord,
        school=school,
        opleiding=Opleiding.objects.get(code=code),
        school_year=year,
        today=date(2026, 9, 15),
    )


def test_programmatie_goes_from_concept_to_started_with_its_audit_trail(coord, school):
    item = _concept(coord, school)
    assert item.status == P.CONCEPT
    prog.programmatie_submit(actor=coord, programmatie=item, on=date(2026, 11, 30))
    item.refresh_from_db()
    assert item.status == P.SUBMITTED and item.answer_due == date(2027, 3, 30)
    prog.programmatie_answer(actor=coord, programmatie=item, approved=True, on=date(2027, 2, 1))
    prog.programmatie_start(actor=coord, programmatie=item, on=date(2027, 10, 1))
    item.refresh_from_db()
    assert item.status == P.STARTED and item.started_on == date(2027, 10, 1)
    actions = list(
        AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="programmatie.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "programmatie.create",
        "programmatie.submit",
        "programmatie.approve",
        "programmatie.start",
    ]


def test_programmatie_refuses_what_the_rules_do_not_allow(coord, school):
    with translation.override("nl-be"):
        with pytest.raises(ValidationError) as late_year:
            prog.programmatie_create(
                actor=coord,
                school=school,
                opleiding=Opleiding.objects.get(code="lassen-constructie"),
                school_year=2027,
                today=date(2026, 12, 1),
            )
        assert "school_year" in late_year.value.message_dict
        item = _concept(coord, school)
        with pytest.raises(ValidationError, match="al een aanvraag"):
            _concept(coord, school)
        with pytest.raises(ValidationError, match="30 november 2026"):
            prog.programmatie_submit(actor=coord, programmatie=item, on=date(2026, 12, 1))
        with pytest.raises(ValidationError):
            prog.programmatie_start(actor=coord, programmatie=item, on=date(2027, 9, 1))
        prog.programmatie_submit(actor=coord, programmatie=item, on=date(2026, 11, 1))
        with pytest.raises(ValidationError) as no_reason:
            prog.programmatie_answer(
                actor=coord, programmatie=item, approved=False, on=date(2027, 1, 5)
            )
        assert "reason" in no_reason.value.message_dict
        prog.programmatie_answer(actor=coord, programmatie=item, approved=True, on=date(2027, 1, 5))
        with pytest.raises(ValidationError, match="1 oktober 2027"):
            prog.programmatie_start(actor=coord, programmatie=item, on=date(2027, 10, 2))
        prog.programmatie_lapse(actor=coord, programmatie=item, on=date(2027, 10, 2))
    item.refresh_from_db()
    assert item.status == P.LAPSED and item.ended_on == date(2027, 10, 2)
    # A lapsed request no longer blocks a new one for a later year, nor the same one.
    assert _concept(coord, school, year=2028).status == P.CONCEPT


def test_a_refusal_keeps_its_reason(coord, school):
    item = _concept(coord, school)
    prog.programmatie_submit(actor=coord, programmatie=item, on=date(2026, 10, 1))
    prog.programmatie_answer(
        actor=coord, programmatie=item, approved=False, on=date(2027, 1, 5), reason=" Te weinig "
    )
    item.refresh_from_db()
    assert item.status == P.REFUSED and item.refusal_reason == "Te weinig"


@pytest.mark.parametrize(
    ("status", "today", "level", "words"),
    [
        (P.CONCEPT, date(2026, 9, 1), "info", "30 november 2026"),
        (P.CONCEPT, date(2026, 11, 1), "warning", "29 dagen"),
        (P.CONCEPT, date(2026, 11, 25), "error", "5 dagen"),
        (P.CONCEPT, date(2026, 12, 1), "error", "verstreken"),
        (P.APPROVED, date(2027, 9, 20), "warning", "1 oktober 2027"),
        (P.APPROVED, date(2027, 10, 2), "error", "vervalt"),
    ],
)
def test_the_page_warns_of_the_next_deadline(coord, school, status, today, level, words):
    item = _concept(coord, school)
    item.status = status
    with translation.override("nl-be"):
        warning = prog.deadline_warning(item, today=today)
    assert warning is not None and warning.level == level
    assert words in warning.text


# --- programmatie: reminders ------------------------------------------------------------------


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 8))


def _candidates(code: str, item: Programmatie, day: date) -> set[tuple[int, int, date]]:
    return {
        (c.recipient_id, c.lead_days, c.due_date)
        for c in rules[code].evaluate(now=_at(day), subject_ids=[item.pk])
    }


def test_a_draft_is_recalled_on_1_october_1_november_and_23_november(coord, school):
    item = _concept(coord, school)
    admins = set(
        Membership.objects.filter(organisation=school, is_admin=True).values_list(
            "user_id", flat=True
        )
    )
    assert coord.pk in admins and len(admins) == 2  # the coördinator and the directie
    due = date(2026, 11, 30)
    assert _candidates("programmatie_deadline", item, date(2026, 9, 30)) == set()
    for day, lead in ((date(2026, 10, 1), 60), (date(2026, 11, 1), 29), (date(2026, 11, 23), 7)):
        assert _candidates("programmatie_deadline", item, day) == {(u, lead, due) for u in admins}
    assert _candidates("programmatie_deadline", item, date(2026, 12, 1)) == set()
    prog.programmatie_submit(actor=coord, programmatie=item, on=date(2026, 11, 24))
    assert _candidates("programmatie_deadline", item, date(2026, 11, 25)) == set()


def test_an_approved_programmatie_without_student_is_recalled_before_1_october(coord, school):
    item = _concept(coord, school)
    prog.programmatie_submit(actor=coord, programmatie=item, on=date(2026, 11, 1))
    prog.programmatie_answer(actor=coord, programmatie=item, approved=True, on=date(2027, 2, 1))
    due = date(2027, 10, 1)
    assert _candidates("programmatie_no_student", item, date(2027, 8, 31)) == set()
    assert {
        lead for _u, lead, _d in _candidates("programmatie_no_student", item, date(2027, 9, 1))
    } == {30}
    assert {
        lead for _u, lead, _d in _candidates("programmatie_no_student", item, date(2027, 9, 24))
    } == {7}
    assert {d for _u, _l, d in _candidates("programmatie_no_student", item, due)} == {due}
    prog.programmatie_start(actor=coord, programmatie=item, on=date(2027, 9, 20))
    assert _candidates("programmatie_no_student", item, date(2027, 9, 24)) == set()


def test_the_reminder_mails_render_in_dutch(coord, school):
    item = _concept(coord, school)
    result = reminders_sweep(now=_at(date(2026, 11, 23)), dispatch=False)
    from notifications.models import Reminder

    reminder = Reminder.objects.filter(
        pk__in=result.claimed, rule="programmatie_deadline", subject_id=item.pk
    ).first()
    assert reminder is not None
    rendered = render_reminder(reminder, rules["programmatie_deadline"], item)
    assert "Lassen-Constructie" in rendered.subject or "Lassen" in rendered.subject
    assert reverse("recognition:programmatie_detail", args=[item.public_id]) in rendered.text
    assert "30 november 2026" in rendered.text or "30 November 2026" in rendered.text


# --- programmatie: screens --------------------------------------------------------------------


def test_the_demo_holds_a_draft_programmatie_of_sint_jozef(school):
    item = Programmatie.objects.get(school=school)
    assert item.opleiding.code == "onderhoudsmechanica" and item.status == P.CONCEPT
    assert item.school_year == prog.first_open_school_year(timezone.localdate())


def test_the_coordinator_files_submits_and_records_the_answer(client, school, login):
    login("coord@sintjozef.demo")
    listing = client.get(reverse("recognition:programmatie_list"), HTTP_ACCEPT_LANGUAGE="nl-BE")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Onderhoudsmechanica" in page and 'data-testid="deadline-warning"' in page
    year = prog.first_open_school_year(timezone.localdate())
    lassen = Opleiding.objects.get(code="lassen-constructie")
    response = client.post(
        reverse("recognition:programmatie_create"),
        {"school": school.pk, "opleiding": lassen.pk, "school_year": year},
    )
    assert response.status_code == 302
    item = Programmatie.objects.get(school=school, opleiding=lassen)
    step = lambda name: reverse("recognition:programmatie_step", args=[item.public_id, name])  # noqa: E731
    assert client.post(step("submit")).status_code == 302
    item.refresh_from_db()
    assert item.status == P.SUBMITTED
    bad = client.post(
        step("answer"),
        {"decision": "refused", "answered_on": timezone.localdate().isoformat()},
        HTTP_ACCEPT_LANGUAGE="nl-BE",
    )
    assert bad.status_code == 400 and "waarom" in bad.content.decode().lower()
    ok = client.post(
        step("answer"),
        {"decision": "approved", "answered_on": timezone.localdate().isoformat()},
    )
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.status == P.APPROVED
    assert client.post(step("nonsense")).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"school": "1", "opleiding": "x", "school_year": "1999"},
        {"school": "99999999999999999999", "opleiding": "", "school_year": "abc"},
        {"school_year": "2027\x00"},
    ],
)
def test_bad_programmatie_input_gets_a_dutch_message(client, school, login, data):
    login("coord@sintjozef.demo")
    response = client.post(
        reverse("recognition:programmatie_create"), data, HTTP_ACCEPT_LANGUAGE="nl-BE"
    )
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not Programmatie.objects.exclude(opleiding__code="onderhoudsmechanica").exists()


def test_programmatie_stays_within_its_school(client, school, login):
    item = Programmatie.objects.get(school=school)
    detail = reverse("recognition:programmatie_detail", args=[item.public_id])
    login("directie@dering.demo")  # another school's administrator
    assert client.get(detail).status_code == 404
    listing = client.get(reverse("recognition:programmatie_list"))
    assert listing.status_code == 200 and "Onderhoudsmechanica" not in listing.content.decode()
    client.logout()
    login("lk@sintjozef.demo")  # reads its school's requests, moves none
    assert client.get(detail).status_code == 200
    step = reverse("recognition:programmatie_step", args=[item.public_id, "submit"])
    assert client.post(step).status_code == 403
    assert client.get(reverse("recognition:programmatie_create")).status_code == 403
    client.logout()
    login("coord@vandenberghe.demo")  # a company: no school, no programmatie
    assert client.get(reverse("recognition:programmatie_list")).status_code == 403
