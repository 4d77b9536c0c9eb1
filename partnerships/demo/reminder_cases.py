"""Demo data for the reminders: after ``seed_demo`` every rule has at least one due case.

The cast of ARCHITECTURE.md keeps its visible sets: the new students, placements and people
live in a separate school and company ("VTI Maasland" with "Technische Diensten Kempen"), whose
partnership M1 has no member of the cast. The cast itself already has real cases of one rule:
partnerships A2 and B1 miss people for some R/A letters of their RACI matrix.

Due after seeding, with their recipients:

* placement without a mentor, starting in 10 days (M1) → coord@ and directie@maasland.demo;
* gaps in the RACI matrix (A2, B1, M1) → coord@/directie@sintjozef.demo, directie@dering.demo,
  coord@/directie@maasland.demo;
* a mentor above the limit (mentor@kempen.demo guides 3 students, PC 149 allows 2)
  → coord@kempen.demo;
* an invitation sent 8 days ago and not accepted (M1) → coord@maasland.demo, who sent it.

Idempotent: running it again updates the same rows (and moves the two dated cases so that
they are due again).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from duaal import demo
from organisations.models import Membership, Organisation, Vestiging
from partnerships.models import (
    Invitation,
    MentorLoadRule,
    Partnership,
    PartnershipCompany,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    TeamMember,
    Traject,
    TrajectStatus,
)
from partnerships.models.partnerships import current_school_year, school_year_bounds

SCHOOL = {
    "name": "VTI Maasland",
    "kind": "school",
    "instellingsnummer": "999404",
    "email_domain": "maasland.demo",
}
COMPANY = {
    "name": "Technische Diensten Kempen",
    "kind": "company",
    "ondernemingsnummer": "0567890161",
    "paritair_comite": "149",
    "email_domain": "kempen.demo",
}
VESTIGING = ("2456789076", "Technische Diensten Kempen – Lommel", "Kanaalweg 4", "3920", "Lommel")
MENTOR_LIMIT = (COMPANY["paritair_comite"], 2)
PARTNERSHIP_NAME = "Onderhoudsmechanica duaal"
OPLEIDING = "onderhoudsmechanica"
SCHOOL_CLASS = "6 OHM"

# (e-mail, full name, organisation "school"/"company", admin, job title, team role)
PEOPLE = (
    ("coord@maasland.demo", "Hilde Vos", "school", True, "Coördinator duaal", "coordinator_school"),
    ("directie@maasland.demo", "Bart Aerts", "school", True, "Directeur", "directie_school"),
    ("mentor@kempen.demo", "Wim Geerts", "company", False, "Mentor", "mentor"),
    (
        "coord@kempen.demo",
        "Lies Verhoeven",
        "company",
        True,
        "Coördinator duaal",
        "coordinator_bedrijf",
    ),
)
MENTOR = "mentor@kempen.demo"
INVITER = "coord@maasland.demo"
# (first name, last name, stamnummer, birth date); the last one starts soon without a mentor.
STUDENTS = (
    ("Mats", "Dierckx", "VM-2025-001", "2008-02-11"),
    ("Fleur", "Odeurs", "VM-2025-002", "2008-07-30"),
    ("Staf", "Vanhoof", "VM-2025-003", "2007-12-05"),
    ("Yasmine", "Bakkali", "VM-2025-004", "2008-10-19"),
)
INVITEE = ("preventie@kempen.demo", "Sanne Wouters", "preventieadviseur")
SOON = timedelta(days=10)
INVITED_AGO = timedelta(days=8)


@transaction.atomic
def seed_reminder_cases(*, password: str = demo.DEFAULT_PASSWORD) -> dict[str, object]:
    """Create (or refresh) the demo rows that make each reminder rule due; returns them."""
    from learning.models import Opleiding
    from learning.reference import ensure_opleidingen
    from partnerships.services.grants import partnership_sync_grants
    from partnerships.services.partnerships import raci_initialise

    ensure_opleidingen()
    school, _ = Organisation.objects.update_or_create(
        name=SCHOOL["name"], kind=SCHOOL["kind"], defaults=SCHOOL
    )
    company, _ = Organisation.objects.update_or_create(
        name=COMPANY["name"], kind=COMPANY["kind"], defaults=COMPANY
    )
    MentorLoadRule.objects.update_or_create(
        paritair_comite=MENTOR_LIMIT[0], defaults={"max_students": MENTOR_LIMIT[1]}
    )
    number, name, street, postcode, city = VESTIGING
    vestiging, _ = Vestiging.objects.update_or_create(
        vestigingsnummer=number,
        defaults={
            "organisation": company,
            "name": name,
            "street": street,
            "postcode": postcode,
            "city": city,
        },
    )
    password_hash = make_password(password)
    people: dict[str, User] = {}
    for email, full_name, side, is_admin, title, _role in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": full_name, "password": password_hash}
        )
        if not created:
            user.full_name, user.password, user.is_active = full_name, password_hash, True
            user.save(update_fields=["full_name", "password", "is_active"])
        Membership.objects.update_or_create(
            user=user,
            organisation=school if side == "school" else company,
            defaults={"is_admin": is_admin, "job_title": title},
        )
        people[email] = user

    year = current_school_year()
    first_day, last_day = school_year_bounds(year)
    partnership, created = Partnership.objects.get_or_create(
        school=school,
        name=PARTNERSHIP_NAME,
        school_year=year,
        defaults={"opleiding": Opleiding.objects.get(code=OPLEIDING), "status": "running"},
    )
    if created:
        raci_initialise(partnership=partnership)
    elif partnership.status != "running":
        partnership.status = "running"
        partnership.save(update_fields=["status"])
    PartnershipCompany.objects.get_or_create(
        partnership=partnership, company=company, vestiging=vestiging
    )
    for email, _name, side, _admin, _title, role in PEOPLE:
        TeamMember.objects.get_or_create(
            partnership=partnership,
            user=people[email],
            role=role,
            defaults={"organisation": school if side == "school" else company},
        )

    school_class, _ = SchoolClass.objects.get_or_create(school=school, name=SCHOOL_CLASS)
    soon = timezone.localdate() + SOON
    placements = []
    for index, (first_name, last_name, stamnummer, birth_date) in enumerate(STUDENTS):
        student, _ = Student.objects.update_or_create(
            school=school,
            stamnummer=stamnummer,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "birth_date": date.fromisoformat(birth_date),
                "school_class": school_class,
            },
        )
        starts_soon = index == len(STUDENTS) - 1
        traject, _ = Traject.objects.update_or_create(
            student=student,
            partnership=partnership,
            defaults={"status": TrajectStatus.INTAKE if starts_soon else TrajectStatus.RUNNING},
        )
        start, end = (soon, max(soon, last_day)) if starts_soon else (first_day, last_day)
        placement = traject.placements.order_by("pk").first()
        fields = {
            "company": company,
            "vestiging": vestiging,
            "start_date": start,
            "end_date": end,
            "workplace_hours_per_week": Decimal("20"),
            "monday": "school",
            "tuesday": "company",
            "wednesday": "company",
            "thursday": "company",
            "friday": "school",
        }
        if placement is None:
            placement = Placement.objects.create(traject=traject, **fields)
        else:
            for field, value in fields.items():
                setattr(placement, field, value)
            placement.save(update_fields=list(fields))
        if starts_soon:
            placement.supervisors.filter(kind=PlacementSupervisor.Kind.MENTOR).delete()
        else:
            PlacementSupervisor.objects.get_or_create(
                placement=placement, user=people[MENTOR], kind=PlacementSupervisor.Kind.MENTOR
            )
        placements.append(placement)

    email, full_name, role = INVITEE
    sent = timezone.now() - INVITED_AGO
    invitation = Invitation.objects.filter(
        partnership=partnership,
        email=email,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).first()
    if invitation is None:
        invitation = Invitation.objects.create(
            partnership=partnership,
            organisation=company,
            email=email,
            full_name=full_name,
            role=role,
            invited_by=people[INVITER],
            # Nobody can use this link: the stored hash belongs to no secret ever handed out.
            token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            sent_at=sent,
            send_count=1,
            expires_at=sent + timedelta(days=14),
        )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=sent, sent_at=sent, expires_at=sent + timedelta(days=14)
    )
    partnership_sync_grants(partnership=partnership)
    return {
        "partnership": partnership,
        "people": people,
        "placement_soon": placements[-1],
        "invitation": invitation,
    }
