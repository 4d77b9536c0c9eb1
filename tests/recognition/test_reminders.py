"""The recognition reminders (issue 12 item 8), plug-ins of the reminder engine: who gets each,
when, not after it is resolved, recipients who may read what it is about, and a number of
queries that does not grow with the recognitions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from learning.models import Opleiding
from notifications.models import DeliveryStatus, Reminder
from notifications.registry import Candidate, rules
from organisations.models import Membership, Organisation, Vestiging
from partnerships import permissions
from recognition import services
from recognition.models import MentorProfile, Recognition, RecognitionStatus
from recognition.reminders import add_months
from recognition.selectors import add_years

pytestmark = pytest.mark.django_db

VANDENBERGHE_GENK = "2234567125"
DAEMS_HASSELT = "2345678249"


def today() -> date:
    return timezone.localdate()


def at(day: date) -> datetime:
    """Noon of ``day`` in the current time zone (a sweep on that day)."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=12))


def evaluate(code: str, day: date | None = None) -> list[Candidate]:
    return rules[code].evaluate(now=at(day or today()))


def emails(candidates: list[Candidate], subject_id: int | None = None) -> set[str]:
    ids = {c.recipient_id for c in candidates if subject_id is None or c.subject_id == subject_id}
    return set(User.objects.filter(pk__in=ids).values_list("email", flat=True))


def recognition(vestiging: str, opleiding: str) -> Recognition:
    return Recognition.objects.get(vestiging__vestigingsnummer=vestiging, opleiding__code=opleiding)


def expiring() -> Recognition:
    """The demo's recognition that expires within three months."""
    return recognition(VANDENBERGHE_GENK, "lasser-monteerder")


def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 8, 31), -6) == date(2028, 2, 29)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert add_months(date(2027, 3, 15), -3) == date(2026, 12, 15)


# --- expiry: 6 and 3 months before valid_until, to the company's coördinators ---------------


def test_the_demos_expiring_recognition_reminds_the_companys_coordinators(demo_cast):
    subject = expiring()
    until = subject.valid_until
    found = evaluate("recognition_expiring")
    assert {c.subject_id for c in found} == {subject.pk}
    assert emails(found) == {"coord@vandenberghe.demo", "directie@vandenberghe.demo"}
    # Within three months: the 3-month reminder, due on the last valid day.
    assert {(c.due_date, c.lead_days) for c in found} == {
        (until, (until - add_months(until, -3)).days)
    }
    # Every recipient may read and renew it; no mentor, no school, no consultant gets it.
    for user in User.objects.filter(email__in=emails(found)):
        assert permissions.recognitions_visible_to(user=user).filter(pk=subject.pk).exists()
        assert permissions.may_manage_recognition(user=user, recognition=subject)


def test_expiry_is_reminded_six_then_three_months_before_and_not_after(demo_cast):
    subject = expiring()
    until = subject.valid_until
    six, three = add_months(until, -6), add_months(until, -3)
    assert evaluate("recognition_expiring", six - timedelta(days=1)) == []
    [lead] = {c.lead_days for c in evaluate("recognition_expiring", six)}
    assert lead == (until - six).days
    assert {c.lead_days for c in evaluate("recognition_expiring", three - timedelta(days=1))} == {
        lead
    }
    assert {c.lead_days for c in evaluate("recognition_expiring", three)} == {(until - three).days}
    assert evaluate("recognition_expiring", until)  # still valid on its last day
    assert evaluate("recognition_expiring", until + timedelta(days=1)) == []


def test_a_filed_renewal_or_a_newer_recognition_resolves_the_expiry(demo_cast):
    subject = expiring()
    renewal = Recognition.objects.create(
        company=subject.company,
        vestiging=subject.vestiging,
        opleiding=subject.opleiding,
        ondernemingsnummer=subject.ondernemingsnummer,
        vestigingsnummer=subject.vestigingsnummer,
    )
    # A draft is not filed yet: still reminded.
    assert {c.subject_id for c in evaluate("recognition_expiring")} == {subject.pk}
    Recognition.objects.filter(pk=renewal.pk).update(status=RecognitionStatus.SUBMITTED)
    assert evaluate("recognition_expiring") == []
    Recognition.objects.filter(pk=renewal.pk).update(
        status=RecognitionStatus.RECOGNISED,
        decided_on=today(),
        valid_until=add_years(today(), 5) - timedelta(days=1),
    )
    assert evaluate("recognition_expiring") == []
    renewal.delete()
    services.recognition_withdraw(
        actor=User.objects.get(email="consulent@sector.demo"), recognition=subject, reason="Stop."
    )
    assert evaluate("recognition_expiring") == []


# --- decision overdue: day 10 and day 14 after "complete", to the routed body's consultants --


def pending() -> Recognition:
    """The demo's request waiting in the consultant's inbox (complete 4 days ago)."""
    return recognition(DAEMS_HASSELT, "onderhoudsmechanica")


def test_decision_overdue_on_day_ten_and_day_fourteen_to_the_consultants(demo_cast):
    subject = pending()
    complete = subject.complete_on
    assert subject.decision_due == complete + timedelta(days=14)
    assert evaluate("recognition_decision_overdue") == []  # day 4
    assert evaluate("recognition_decision_overdue", complete + timedelta(days=9)) == []
    day10 = evaluate("recognition_decision_overdue", complete + timedelta(days=10))
    assert emails(day10) == {"consulent@sector.demo"}
    assert {(c.subject_id, c.due_date, c.lead_days) for c in day10} == {
        (subject.pk, subject.decision_due, 4)
    }
    day14 = evaluate("recognition_decision_overdue", complete + timedelta(days=14))
    assert {c.lead_days for c in day14} == {0}
    # Overdue, the day-14 reminder stays the one asked for (its row is sent once).
    later = evaluate("recognition_decision_overdue", complete + timedelta(days=30))
    assert {c.key for c in later} == {c.key for c in day14}
    consultant = User.objects.get(email="consulent@sector.demo")
    assert permissions.may_decide_recognition(user=consultant, recognition=subject)


def test_the_overdue_reminder_opens_the_request_in_the_inbox(client, demo_cast):
    subject = pending()
    link = rules["recognition_decision_overdue"].link(subject, partnership=None)
    assert link == f"/recognitions/inbox/{subject.public_id}/"
    client.force_login(User.objects.get(email="consulent@sector.demo"))
    assert client.get(link).status_code == 200


def test_the_expiry_reminder_opens_the_request_on_the_companys_side(client, demo_cast):
    subject = expiring()
    link = rules["recognition_expiring"].link(subject, partnership=None)
    assert link == f"/recognitions/requests/{subject.public_id}/"
    for email in emails(evaluate("recognition_expiring")):
        client.force_login(User.objects.get(email=email))
        assert client.get(link).status_code == 200


def test_a_decision_resolves_the_overdue_reminder(demo_cast):
    subject = pending()
    day14 = subject.complete_on + timedelta(days=14)
    services.recognition_decide(
        actor=User.objects.get(email="consulent@sector.demo"),
        recognition=subject,
        recognised=False,
        reason="Geen uitrusting.",
        on=today(),
    )
    assert evaluate("recognition_decision_overdue", day14) == []


def test_an_appeal_has_its_own_fourteen_days(demo_cast):
    subject = pending()
    consultant = User.objects.get(email="consulent@sector.demo")
    services.recognition_decide(
        actor=consultant, recognition=subject, recognised=False, reason="Nee.", on=today()
    )
    services.recognition_appeal(
        actor=User.objects.get(email="coord@daems.demo"),
        recognition=subject,
        reason="Nieuwe machine.",
        on=today(),
    )
    found = evaluate("recognition_decision_overdue", today() + timedelta(days=10))
    assert emails(found) == {"consulent@sector.demo"}
    assert {c.due_date for c in found} == {today() + timedelta(days=14)}


# --- mentor training: 9 and 11 months after the first recognition naming the mentor ----------


@pytest.fixture
def new_mentor(demo_cast) -> tuple[User, Recognition]:
    """A new mentor at Daems, named by a recognition decided today (no training yet)."""
    daems = Organisation.objects.get(name="Koeltechniek Daems")
    mentor = User.objects.create_user(email="nieuw@daems.demo", full_name="Nieuwe Mentor")
    Membership.objects.create(user=mentor, organisation=daems, job_title="Mentor")
    vestiging = Vestiging.objects.get(vestigingsnummer=DAEMS_HASSELT)
    decided = today()
    recognised = Recognition.objects.create(
        company=daems,
        vestiging=vestiging,
        opleiding=Opleiding.objects.get(code="lasser-monteerder"),
        ondernemingsnummer=daems.ondernemingsnummer,
        vestigingsnummer=vestiging.vestigingsnummer,
        status=RecognitionStatus.RECOGNISED,
        submitted_on=decided - timedelta(days=20),
        complete_on=decided - timedelta(days=10),
        decided_on=decided,
        valid_until=add_years(decided, 5) - timedelta(days=1),
    )
    recognised.mentors.set([mentor])
    return mentor, recognised


def test_training_due_at_nine_and_eleven_months_to_the_mentor_and_the_coordinator(new_mentor):
    mentor, recognised = new_mentor
    first = recognised.decided_on
    due = add_years(first, 1)
    nine, eleven = add_months(first, 9), add_months(first, 11)
    assert evaluate("mentor_training_due", nine - timedelta(days=1)) == []
    found = evaluate("mentor_training_due", nine)
    assert {c.subject_id for c in found} == {mentor.pk}
    assert emails(found) == {"nieuw@daems.demo", "coord@daems.demo"}
    assert {(c.due_date, c.lead_days) for c in found} == {(due, (due - nine).days)}
    assert {c.lead_days for c in evaluate("mentor_training_due", eleven)} == {(due - eleven).days}
    assert evaluate("mentor_training_due", due)
    # After the year, the training is overdue: placement_ineligible takes over.
    assert evaluate("mentor_training_due", due + timedelta(days=1)) == []
    # Who gets it may read the mentor's profile.
    for user in User.objects.filter(email__in=emails(found)):
        assert permissions.mentor_profiles_visible_to(user=user).filter(pk=mentor.pk).exists()


def test_the_training_reminder_opens_the_mentors_profile(client, new_mentor):
    mentor, recognised = new_mentor
    link = rules["mentor_training_due"].link(mentor, partnership=None)
    assert link == (
        f"/organisations/{recognised.company.public_id}/mentors/{mentor.public_id}/profile/"
    )
    # The coordinator edits the profile there; the mentor reads their own.
    for email in ("coord@daems.demo", "nieuw@daems.demo"):
        client.force_login(User.objects.get(email=email))
        response = client.get(link)
        assert response.status_code == 200
        assert "Nieuwe Mentor" in response.content.decode()


def test_a_completed_training_resolves_the_reminder(new_mentor):
    mentor, recognised = new_mentor
    nine = add_months(recognised.decided_on, 9)
    MentorProfile.objects.create(user=mentor, introduction_session_on=nine)
    assert evaluate("mentor_training_due", nine)  # half of it
    MentorProfile.objects.filter(user=mentor).update(deepening_session_on=nine)
    assert evaluate("mentor_training_due", nine) == []


def test_the_first_recognition_counts_and_one_in_force_must_name_the_mentor(new_mentor):
    mentor, recognised = new_mentor
    nine = add_months(recognised.decided_on, 9)
    # An older recognition naming the mentor: the year ran from that one, long past.
    recognition(DAEMS_HASSELT, "elektromechanische-technieken").mentors.add(mentor)
    assert evaluate("mentor_training_due", nine) == []
    recognition(DAEMS_HASSELT, "elektromechanische-technieken").mentors.remove(mentor)
    # Withdrawn: no recognition in force names the mentor any more.
    services.recognition_withdraw(
        actor=User.objects.get(email="consulent@sector.demo"),
        recognition=recognised,
        reason="Stopgezet.",
        on=nine - timedelta(days=5),
    )
    assert evaluate("mentor_training_due", nine) == []


def test_the_demo_mentors_are_not_due(demo_cast):
    # Ilse Daems' training is overdue (past the year): flagged by placement_ineligible only.
    assert evaluate("mentor_training_due") == []


# --- through the sweep ---------------------------------------------------------------------


def test_the_sweep_sends_each_once_in_dutch_and_cancels_what_was_resolved(
    demo_cast, django_capture_on_commit_callbacks
):
    from notifications.services.reminders import reminders_sweep

    subject = pending()
    # Complete 10 days ago (the send task re-checks the rule at the real time).
    Recognition.objects.filter(pk=subject.pk).update(
        complete_on=today() - timedelta(days=10), decision_due=today() + timedelta(days=4)
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep(limit=1000)
    rows = Reminder.objects.filter(rule="recognition_decision_overdue")
    assert rows.count() == 1 and rows.get().status == DeliveryStatus.SENT
    assert rows.get().partnership_id is None and rows.get().traject_id is None
    [message] = [m for m in mail.outbox if m.to == ["consulent@sector.demo"]]
    assert "Beslissing" in message.subject and "Onderhoudsmechanica" in message.subject
    assert "Koeltechniek Daems" in message.body
    expiring_rows = Reminder.objects.filter(rule="recognition_expiring")
    assert set(expiring_rows.values_list("recipient__email", flat=True)) == {
        "coord@vandenberghe.demo",
        "directie@vandenberghe.demo",
    }
    expiry_mail = next(m for m in mail.outbox if m.to == ["coord@vandenberghe.demo"])
    assert "erkenning" in expiry_mail.subject.lower()
    # Again the same day: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_sweep(limit=1000)
    assert again.created == 0
    # A pending row whose subject was resolved meanwhile is cancelled, never sent.
    Reminder.objects.filter(rule="recognition_decision_overdue").update(
        status=DeliveryStatus.PENDING
    )
    Recognition.objects.filter(pk=subject.pk).update(
        status=RecognitionStatus.RECOGNISED,
        decided_on=today(),
        valid_until=add_years(today(), 5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep(limit=1000)
    assert rows.get().status == DeliveryStatus.CANCELLED


# --- set-based ----------------------------------------------------------------------------


def _populate(size: int, offset: int) -> None:
    """``size`` more subjects of each rule: companies with a coördinator and a vestiging, a
    recognition decided 9 months ago that expires within three months (a shortened period)
    naming a new mentor without training, and a request complete for 12 days at the demo's
    sector body."""
    from organisations.models import OrganisationKind

    body = Organisation.objects.get(name="Sectoraal Partnerschap Technologische Industrie")
    opleidingen = list(Opleiding.objects.order_by("pk")[:2])
    for n in range(offset, offset + size):
        company = Organisation.objects.create(
            name=f"Bedrijf {n}",
            kind=OrganisationKind.COMPANY,
            paritair_comite="111",
            ondernemingsnummer=f"09{n:08d}",
        )
        coordinator = User.objects.create_user(email=f"coord{n}@bedrijf.demo")
        mentor = User.objects.create_user(email=f"mentor{n}@bedrijf.demo")
        Membership.objects.create(user=coordinator, organisation=company, is_admin=True)
        Membership.objects.create(user=mentor, organisation=company)
        vestiging = Vestiging.objects.create(
            organisation=company, name=f"Vestiging {n}", vestigingsnummer=f"2{n:09d}"
        )
        decided = add_months(today(), -9) - timedelta(days=1)
        old = Recognition.objects.create(
            company=company,
            vestiging=vestiging,
            opleiding=opleidingen[0],
            status=RecognitionStatus.RECOGNISED,
            decided_on=decided,
            valid_until=today() + timedelta(days=40),
        )
        old.mentors.set([mentor])
        Recognition.objects.create(
            company=company,
            vestiging=vestiging,
            opleiding=opleidingen[1],
            status=RecognitionStatus.COMPLETE,
            sector_body=body,
            complete_on=today() - timedelta(days=12),
            decision_due=today() + timedelta(days=2),
        )


RECOGNITION_RULES = ["recognition_expiring", "mentor_training_due", "recognition_decision_overdue"]


@pytest.mark.parametrize("code", RECOGNITION_RULES)
def test_rule_query_count_is_constant(demo_cast, code):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts, sizes = [], []
    offset = 0
    for size in (2, 12):
        _populate(size, offset)
        offset += size
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            found = rules[code].evaluate(now=timezone.now())
        counts.append(len(queries))
        sizes.append(len({c.subject_id for c in found}))
    assert sizes[1] > sizes[0] >= 2, sizes
    assert counts[0] == counts[1], counts
    assert counts[0] <= 4
