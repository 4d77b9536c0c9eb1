"""The demo data of recognition (plug-in of the demo seed, ``duaal.demo``).

``recognition.recognitions``: every demo placement stays valid — Vandenberghe (Genk) is
recognised for Lassen-Constructie and Daems (Hasselt) for Elektromechanische technieken, and
the demo's mentors have profiles that make them eligible. Beside them: Daems' recognition also
names Ilse Daems, whose mentor training is overdue; Daems is recognised for
Lassen-Constructie too (a rotation of an A1 student); Vandenberghe's recognition for
Lasser-Monteerder expires within three months; Daems' request for Onderhoudsmechanica waits,
complete, in the inbox of consulent@sector.demo. Dates follow the day of seeding; idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from duaal import demo


@dataclass(frozen=True)
class DemoRecognition:
    vestigingsnummer: str
    opleiding: str  # Opleiding.code
    mentors: tuple[str, ...]
    status: str
    decided_years_ago: int = 0  # recognised: decided this many years before the school year
    decided_days_ago: int | None = None  # or exactly this many days before today
    complete_days_ago: int | None = None  # pending: complete since


VANDENBERGHE_GENK = "2234567125"
DAEMS_HASSELT = "2345678249"

RECOGNITIONS: tuple[DemoRecognition, ...] = (
    DemoRecognition(
        VANDENBERGHE_GENK,
        "lassen-constructie",
        ("mentor@vandenberghe.demo", "mentor2@vandenberghe.demo"),
        "recognised",
        decided_years_ago=2,
    ),
    DemoRecognition(
        DAEMS_HASSELT,
        "elektromechanische-technieken",
        ("mentor@daems.demo", "coord@daems.demo"),
        "recognised",
        decided_years_ago=2,
    ),
    # Expires in about 75 days: 5 years minus 75 days ago.
    DemoRecognition(
        VANDENBERGHE_GENK,
        "lasser-monteerder",
        ("mentor2@vandenberghe.demo",),
        "recognised",
        decided_days_ago=5 * 365 - 75,
    ),
    # A rotation of a Lassen-Constructie student to Daems (the contracts' tests) is valid.
    DemoRecognition(
        DAEMS_HASSELT,
        "lassen-constructie",
        ("mentor@daems.demo",),
        "recognised",
        decided_years_ago=1,
    ),
    DemoRecognition(
        DAEMS_HASSELT,
        "onderhoudsmechanica",
        ("mentor@daems.demo",),
        "complete",
        complete_days_ago=4,
    ),
)


@dataclass(frozen=True)
class DemoMentor:
    email: str
    birth_date: str
    experience_years: int
    training: bool  # followed the introduction and deepening sessions


MENTORS: tuple[DemoMentor, ...] = (
    DemoMentor("mentor@vandenberghe.demo", "1976-04-18", 22, True),
    DemoMentor("mentor2@vandenberghe.demo", "1988-09-03", 12, True),
    DemoMentor("mentor@daems.demo", "1981-01-27", 17, True),
    # Named as a mentor in Daems' recognition; her mentor training is overdue.
    DemoMentor("coord@daems.demo", "1984-06-12", 15, False),
)

CONSULTANT = "consulent@sector.demo"


@demo.register("recognition.recognitions", after=["organisations.cast"])
def recognitions(*, password: str) -> None:
    seed_recognitions(today=timezone.localdate())


def _school_year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def seed_recognitions(*, today: date) -> None:
    from accounts.models import User
    from learning.models import Opleiding
    from learning.reference import ensure_opleidingen
    from organisations.models import Vestiging
    from recognition.models import (
        DECISION_DAYS,
        VALID_YEARS,
        ExtractStatus,
        MentorProfile,
        Recognition,
    )
    from recognition.selectors import add_years, sector_body_for

    ensure_opleidingen()
    emails = {m for spec in RECOGNITIONS for m in spec.mentors} | {CONSULTANT}
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    consultant = users.get(CONSULTANT)
    first_recognition: dict[str, date] = {}
    last_request: dict[str, date] = {}
    for spec in RECOGNITIONS:
        vestiging = Vestiging.objects.select_related("organisation").get(
            vestigingsnummer=spec.vestigingsnummer
        )
        company = vestiging.organisation
        values: dict[str, object] = {
            "company": company,
            "ondernemingsnummer": company.ondernemingsnummer,
            "vestigingsnummer": vestiging.vestigingsnummer,
            "sector_body": sector_body_for(company),
            "status": spec.status,
        }
        if spec.status == "recognised":
            decided = (
                today - timedelta(days=spec.decided_days_ago)
                if spec.decided_days_ago is not None
                else add_years(_school_year_start(today), -spec.decided_years_ago)
            )
            complete = decided - timedelta(days=10)
            values |= {
                "submitted_on": complete - timedelta(days=7),
                "complete_on": complete,
                "decision_due": complete + timedelta(days=DECISION_DAYS),
                "decided_on": decided,
                "valid_until": add_years(decided, VALID_YEARS) - timedelta(days=1),
            }
            for email in spec.mentors:
                first_recognition[email] = min(first_recognition.get(email, decided), decided)
                last_request[email] = max(
                    last_request.get(email, complete), complete - timedelta(days=7)
                )
        else:
            complete = today - timedelta(days=spec.complete_days_ago or 0)
            values |= {
                "submitted_on": complete - timedelta(days=3),
                "complete_on": complete,
                "decision_due": complete + timedelta(days=DECISION_DAYS),
            }
        recognition, _created = Recognition.objects.update_or_create(
            vestiging=vestiging,
            opleiding=Opleiding.objects.get(code=spec.opleiding),
            defaults=values,
        )
        recognition.mentors.set([users[email] for email in spec.mentors if email in users])

    for mentor in MENTORS:
        user = users.get(mentor.email)
        if user is None:
            continue
        recognised = first_recognition.get(mentor.email, today)
        requested = last_request.get(mentor.email, today)
        training = recognised + timedelta(days=60) if mentor.training else None
        MentorProfile.objects.update_or_create(
            user=user,
            defaults={
                "birth_date": date.fromisoformat(mentor.birth_date),
                "experience_years": mentor.experience_years,
                "extract_status": ExtractStatus.CLEAN,
                # Issued shortly before the latest recognised request naming the mentor.
                "extract_issued_on": requested - timedelta(days=30),
                "extract_checked_by": consultant,
                "extract_checked_on": requested + timedelta(days=5),
                "introduction_session_on": training,
                "deepening_session_on": training + timedelta(days=14) if training else None,
            },
        )


# --- due cases of the recognition reminders (extra, in the reminders' separate tenant) -------

# The tenant of ``partnerships.reminder_cases`` (Technische Diensten Kempen, PC 149 → the
# Vlaams Partnerschap Duaal Leren); named here by its numbers: this app sits below
# partnerships. Its placements for Onderhoudsmechanica stay unrecognised (the due case of
# ``placement_ineligible``).
KEMPEN_LOMMEL = "2456789076"
KEMPEN_MENTOR = "mentor@kempen.demo"
VPDL = {
    "name": "Vlaams Partnerschap Duaal Leren",
    "kind": "sector_body",
    "email_domain": "vpdl.demo",
}
VPDL_CONSULTANT = ("consulent@vpdl.demo", "Ruben Claes", "Consulent erkenningen")
OVERDUE_COMPLETE_AGO = timedelta(days=11)  # day 10 of 14 has passed
TRAINING_RECOGNISED_MONTHS_AGO = 10  # between the 9- and 11-month reminders
EXPIRES_IN_DAYS = 60  # within the 3-month reminder
KEMPEN_COORDINATOR = "coord@kempen.demo"


@demo.register("recognition.reminder_cases", after=["partnerships.reminder_cases"], extra=True)
def recognition_reminder_cases(*, password: str) -> None:
    """In the tenant of the reminders, each recognition reminder is due:

    * Kempen's request for Onderhoudsmechanica has been complete for 11 days without a
      decision → recognition_decision_overdue to consulent@vpdl.demo (a new member of the
      Vlaams Partnerschap Duaal Leren, the body of PC 149);
    * Kempen was recognised for Elektromechanische technieken 10 months ago, naming
      mentor@kempen.demo, who has not followed the mentor training → mentor_training_due to
      the mentor and coord@kempen.demo;
    * Kempen's recognition for Lasser-Monteerder expires in 60 days → recognition_expiring to
      coord@kempen.demo (as Vandenberghe's in the cast does to its coördinators);
    * VTI Maasland's approved programmatie has no student yet → programmatie_no_student as
      the next 1 October nears (``seed_programmatie_case``).
    Idempotent; the dates follow the day of seeding."""
    seed_recognition_reminder_cases(today=timezone.localdate(), password=password)


def seed_recognition_reminder_cases(*, today: date, password: str) -> None:
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from learning.models import Opleiding
    from organisations.models import Membership, Organisation, Vestiging
    from recognition.models import DECISION_DAYS, VALID_YEARS, Recognition
    from recognition.reminders import add_months
    from recognition.selectors import add_years

    vestiging = (
        Vestiging.objects.select_related("organisation")
        .filter(vestigingsnummer=KEMPEN_LOMMEL)
        .first()
    )
    mentor = User.objects.filter(email=KEMPEN_MENTOR).first()
    if vestiging is None or mentor is None:
        return
    company = vestiging.organisation
    body, _created = Organisation.objects.update_or_create(
        name=VPDL["name"], kind=VPDL["kind"], defaults=VPDL
    )
    email, full_name, title = VPDL_CONSULTANT
    consultant, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "password": make_password(password)}
    )
    if not created and not consultant.is_active:
        consultant.is_active = True
        consultant.save(update_fields=["is_active"])
    Membership.objects.update_or_create(
        user=consultant, organisation=body, defaults={"job_title": title}
    )
    common = {
        "company": company,
        "ondernemingsnummer": company.ondernemingsnummer,
        "vestigingsnummer": vestiging.vestigingsnummer,
        "sector_body": body,
    }
    complete = today - OVERDUE_COMPLETE_AGO
    overdue, _created = Recognition.objects.update_or_create(
        vestiging=vestiging,
        opleiding=Opleiding.objects.get(code="onderhoudsmechanica"),
        defaults={
            **common,
            "status": "complete",
            "submitted_on": complete - timedelta(days=3),
            "complete_on": complete,
            "decision_due": complete + timedelta(days=DECISION_DAYS),
        },
    )
    overdue.mentors.set([mentor])
    decided = add_months(today, -TRAINING_RECOGNISED_MONTHS_AGO)
    recognised, _created = Recognition.objects.update_or_create(
        vestiging=vestiging,
        opleiding=Opleiding.objects.get(code="elektromechanische-technieken"),
        defaults={
            **common,
            "status": "recognised",
            "submitted_on": decided - timedelta(days=24),
            "complete_on": decided - timedelta(days=10),
            "decision_due": decided + timedelta(days=DECISION_DAYS - 10),
            "decided_on": decided,
            "valid_until": add_years(decided, VALID_YEARS) - timedelta(days=1),
        },
    )
    recognised.mentors.set([mentor])
    # Recognised five years ago less two months, naming the coördinator as mentor (not
    # mentor@kempen.demo, whose first recognition must stay the recent one).
    decided = today - timedelta(days=5 * 365 - EXPIRES_IN_DAYS)
    expiring, _created = Recognition.objects.update_or_create(
        vestiging=vestiging,
        opleiding=Opleiding.objects.get(code="lasser-monteerder"),
        defaults={
            **common,
            "status": "recognised",
            "submitted_on": decided - timedelta(days=24),
            "complete_on": decided - timedelta(days=10),
            "decision_due": decided + timedelta(days=DECISION_DAYS - 10),
            "decided_on": decided,
            "valid_until": add_years(decided, VALID_YEARS) - timedelta(days=1),
        },
    )
    expiring.mentors.set(User.objects.filter(email=KEMPEN_COORDINATOR))
    seed_programmatie_case(today=today)


MAASLAND_SCHOOL = "999404"  # VTI Maasland, the school of the reminders' tenant


def seed_programmatie_case(*, today: date) -> None:
    """VTI Maasland's approved programmatie of Elektromechanische technieken without a first
    student, for the school year whose 1 October comes next: programmatie_no_student reminds
    coord@ and directie@maasland.demo as that day nears (a rule of fixed calendar days: it is
    due 30 and 7 days before and on 1 October, not on every day of the year)."""
    from learning.models import Opleiding
    from organisations.models import Organisation
    from recognition import programmatie
    from recognition.models import Programmatie, ProgrammatieStatus

    school = Organisation.objects.filter(instellingsnummer=MAASLAND_SCHOOL).first()
    if school is None:
        return
    year = (
        today.year if today <= programmatie.first_student_deadline(today.year) else today.year + 1
    )
    submitted = programmatie.submit_deadline(year) - timedelta(days=30)
    Programmatie.objects.update_or_create(
        school=school,
        opleiding=Opleiding.objects.get(code="elektromechanische-technieken"),
        school_year=year,
        defaults={
            "status": ProgrammatieStatus.APPROVED,
            "submitted_on": submitted,
            "answer_due": programmatie.answer_due(submitted),
            "answered_on": submitted + timedelta(days=60),
        },
    )


# --- The school's side (issue 12 items 6 and 7) ---------------------------------------------

PROGRAMMATIE_SCHOOL = "999101"  # Technisch Instituut Sint-Jozef
PROGRAMMATIE_OPLEIDING = "onderhoudsmechanica"
INTERESTS = ((DAEMS_HASSELT, "onderhoudsmechanica"),)


@demo.register("recognition.school_side", after=["recognition.recognitions"])
def school_side(*, password: str) -> None:
    """Sint-Jozef's draft programmatie request for Onderhoudsmechanica (the first school year
    still open on the day of seeding), and Daems' interest in that opleiding — Daems is
    findable, so Sint-Jozef finds it in the partner search before its recognition is decided."""
    seed_school_side(today=timezone.localdate())


def seed_school_side(*, today: date) -> None:
    from learning.models import Opleiding
    from organisations.models import Organisation, Vestiging
    from recognition.models import (
        OPEN_PROGRAMMATIE_STATUSES,
        CompanyInterest,
        Programmatie,
    )
    from recognition.programmatie import first_open_school_year

    for vestigingsnummer, code in INTERESTS:
        company = Vestiging.objects.get(vestigingsnummer=vestigingsnummer).organisation
        CompanyInterest.objects.get_or_create(
            company=company, opleiding=Opleiding.objects.get(code=code)
        )
    school = Organisation.objects.get(instellingsnummer=PROGRAMMATIE_SCHOOL)
    opleiding = Opleiding.objects.get(code=PROGRAMMATIE_OPLEIDING)
    if not Programmatie.objects.filter(
        school=school, opleiding=opleiding, status__in=OPEN_PROGRAMMATIE_STATUSES
    ).exists():
        Programmatie.objects.create(
            school=school, opleiding=opleiding, school_year=first_open_school_year(today)
        )
