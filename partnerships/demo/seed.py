"""Seeding the partnerships of the demo cast (``cast``) on the organisations and people of
``organisations.demo``. Idempotent: a second run updates the same rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import User
from learning.models import Opleiding
from learning.reference import ensure_opleidingen
from organisations import demo as people
from organisations.models import Membership, Organisation, Vestiging
from partnerships.demo import cast
from partnerships.models import (
    Partnership,
    PartnershipCompany,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    StudentContact,
    TeamMember,
    Traject,
    TrajectStatus,
)
from partnerships.models.partnerships import current_school_year, school_year_bounds
from partnerships.services.grants import partnership_sync_grants
from partnerships.services.partnerships import raci_initialise


def _organisations() -> dict[str, Organisation]:
    return {
        spec.key: Organisation.objects.get(name=spec.name, kind=spec.kind)
        for spec in people.ORGANISATIONS
    }


def seed_partnerships() -> None:
    """Partnerships A1, A2, B1 with their team and RACI matrix; the students, their trajects
    and placements with mentors; then the grants, as the application computes them."""
    organisations = _organisations()
    ensure_opleidingen()
    users = {u.email: u for u in User.objects.filter(email__in=[p.email for p in people.PEOPLE])}
    vestigingen = {
        key: Vestiging.objects.get(vestigingsnummer=number)
        for key, (number, *_address) in people.VESTIGINGEN.items()
    }
    classes = {}
    for school_key, names in cast.CLASSES.items():
        for name in names:
            classes[(school_key, name)], _ = SchoolClass.objects.get_or_create(
                school=organisations[school_key], name=name
            )

    year = current_school_year()
    first_day, _last_day = school_year_bounds(year)
    partnerships = {}
    for spec in cast.PARTNERSHIPS:
        partnership, created = Partnership.objects.get_or_create(
            school=organisations[spec.school],
            name=spec.name,
            school_year=year,
            defaults={
                "opleiding": Opleiding.objects.get(code=spec.opleiding),
                "training_centre": organisations[spec.training_centre]
                if spec.training_centre
                else None,
                "status": "running",
            },
        )
        if created:
            raci_initialise(partnership=partnership)
        for company_key in spec.companies:
            PartnershipCompany.objects.get_or_create(
                partnership=partnership,
                company=organisations[company_key],
                vestiging=vestigingen[company_key],
            )
        for email, role in spec.team:
            membership = Membership.objects.select_related("organisation").get(user=users[email])
            TeamMember.objects.get_or_create(
                partnership=partnership,
                user=users[email],
                role=role,
                defaults={"organisation": membership.organisation},
            )
        partnerships[spec.key] = partnership

    for spec in cast.STUDENTS:
        school = organisations[spec.school]
        student, _ = Student.objects.update_or_create(
            school=school,
            stamnummer=spec.stamnummer,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "birth_date": date.fromisoformat(spec.birth_date),
                "school_class": classes[(spec.school, spec.school_class)],
                "email": spec.account,
                "user": users[spec.account],
            },
        )
        if spec.parent:
            name, email = spec.parent
            StudentContact.objects.update_or_create(
                student=student,
                email=email,
                defaults={"full_name": name, "relation": "parent", "user": users[email]},
            )
        traject, _ = Traject.objects.get_or_create(
            student=student,
            partnership=partnerships[spec.partnership],
            defaults={
                "status": TrajectStatus.RUNNING,
                "intake_notes": "Intakegesprek gevoerd met leerling, ouders en mentor.",
                "beginsituatie": "Basisvaardigheden aanwezig; veiligheidsattitude verder opvolgen.",
                "klassenraad_advice": "duaal_competent",
            },
        )
        placement, _ = Placement.objects.get_or_create(
            traject=traject,
            start_date=first_day,
            defaults={
                "company": organisations[spec.company],
                "vestiging": vestigingen[spec.company],
                "end_date": date(year + 1, 6, 30),
                "workplace_hours_per_week": Decimal(spec.workplace_hours),
                **dict(
                    zip(
                        ["monday", "tuesday", "wednesday", "thursday", "friday"],
                        spec.pattern,
                        strict=True,
                    )
                ),
            },
        )
        PlacementSupervisor.objects.get_or_create(
            placement=placement, user=users[spec.mentor], kind="mentor"
        )

    for partnership in partnerships.values():
        partnership_sync_grants(partnership=partnership)
