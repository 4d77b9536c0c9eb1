"""Demo data of evaluation for the reminders (extra, like ``partnerships.reminder_cases``):
in the separate tenant "VTI Maasland" / "Technische Diensten Kempen" (never in the cast, whose
evaluations are up to date on the day of seeding), every evaluation reminder rule is due:

* M1 adopts a small leerfiche set of the school (one leerfiche, published), and Mats Dierckx
  gets a student account (``leerling@maasland.demo``) and has never evaluated himself: the
  self-evaluation reminder;
* nobody did the weekly check-ins of Mats, Fleur and Staf: the weekly reminder to
  mentor@kempen.demo;
* partnership M1 has an evaluation period that ends in five days (moved on every seed) and
  no soft-skill round: the soft-skill reminder;
* Mats has an open werkpunt: the open-werkpunten reminder, to him and his mentor.

Idempotent: a second run finds the same rows and moves the period so that it is due again.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from duaal import demo
from duaal.demo import DemoReport
from partnerships.models import Partnership

STUDENT_ACCOUNT = ("leerling@maasland.demo", "Mats Dierckx")
PERIOD_NAME = "Evaluatieperiode"
PERIOD_ENDS_IN = timedelta(days=5)
WERKPUNT = (
    "Werkbon volledig invullen",
    "De werkbon van de pompherstelling bleef leeg bij 'gebruikte onderdelen'.",
    "Mats vult de werkbon in voor hij de opdracht afmeldt; Wim kijkt hem na.",
)


def seed_evaluation_reminder_cases(*, password: str = demo.DEFAULT_PASSWORD) -> None:
    from accounts.models import User
    from evaluation.models import Werkpunt
    from evaluation.services import werkpunten
    from learning.models import Period
    from partnerships import permissions
    from partnerships.demo.reminder_cases import MENTOR, PARTNERSHIP_NAME, SCHOOL, STUDENTS
    from partnerships.models import Traject
    from partnerships.models.partnerships import current_school_year
    from partnerships.services.grants import partnership_sync_grants

    partnership = Partnership.objects.filter(
        name=PARTNERSHIP_NAME, school__name=SCHOOL["name"], school_year=current_school_year()
    ).first()
    if partnership is None:
        return
    today = timezone.localdate()
    Period.objects.update_or_create(
        partnership=partnership,
        name=PERIOD_NAME,
        defaults={
            "order": 1,
            "start_date": today - timedelta(days=60),
            "end_date": today + PERIOD_ENDS_IN,
        },
    )
    first_name, last_name, stamnummer, _birth = STUDENTS[0]
    traject = Traject.objects.select_related("student").get(
        partnership=partnership, student__stamnummer=stamnummer
    )
    email, full_name = STUDENT_ACCOUNT
    account, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "password": make_password(password)}
    )
    if traject.student.user_id != account.pk:
        traject.student.user = account
        traject.student.email = email
        traject.student.save(update_fields=["user", "email"])
    _plan(partnership)
    partnership_sync_grants(partnership=partnership)
    mentor = User.objects.get(email=MENTOR)
    text, example, afspraak = WERKPUNT
    if not Werkpunt.objects.filter(traject=traject, text=text, closed_on__isnull=True).exists():
        seen = permissions.get_traject_for_evaluation(user=mentor, public_id=traject.public_id)
        werkpunten.open_werkpunt(
            actor=mentor,
            traject=seen,
            text=text,
            example=example,
            afspraak=afspraak,
            on=today - timedelta(days=14),
        )


def _plan(partnership: Partnership) -> None:
    """A published set of one leerfiche of the school, adopted by M1 (when it has no plan)."""
    from learning.models import (
        Criterion,
        Leerfiche,
        LeerficheSet,
        Opleidingsplan,
        SetVersion,
        Theme,
        VersionStatus,
    )

    if Opleidingsplan.objects.filter(partnership=partnership).exists():
        return
    leerfiche_set, _ = LeerficheSet.objects.get_or_create(
        owner=partnership.school,
        opleiding=partnership.opleiding,
        defaults={"name": "Leerfiches onderhoudsmechanica (VTI Maasland)"},
    )
    version, _ = SetVersion.objects.get_or_create(
        leerfiche_set=leerfiche_set,
        number=1,
        defaults={"status": VersionStatus.PUBLISHED, "published_at": timezone.now()},
    )
    theme, _ = Theme.objects.get_or_create(
        version=version, key="onderhoud", defaults={"title": "Onderhoud", "order": 1}
    )
    fiche, _ = Leerfiche.objects.get_or_create(
        version=version,
        key="pomp-onderhouden",
        defaults={"theme": theme, "title": "Een centrifugaalpomp onderhouden", "order": 1},
    )
    for order, (key, text) in enumerate(
        (
            ("veilig-gesteld", "Stelt de pomp veilig (lockout/tagout) voor de demontage."),
            ("afdichting", "Vervangt de asafdichting volgens de handleiding."),
            ("werkbon", "Vult de werkbon volledig in."),
        ),
        start=1,
    ):
        Criterion.objects.get_or_create(
            leerfiche=fiche, key=key, defaults={"order": order, "text": text}
        )
    Opleidingsplan.objects.create(partnership=partnership, set_version=version)


@demo.register(
    "evaluation.reminder_cases",
    after=["partnerships.reminder_cases", "evaluation.school_year"],
    extra=True,
)
def reminder_cases(*, password: str) -> DemoReport:
    seed_evaluation_reminder_cases(password=password)
    return DemoReport(accounts=[(STUDENT_ACCOUNT[0], "Mats Dierckx, student (VTI Maasland)")])
