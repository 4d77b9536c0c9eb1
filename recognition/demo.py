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
