"""Helpers of the contracts tests: trajects of new students in the demo's A1, placed at company
X (and, for a rotation, at Daems) through the partnerships services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from organisations.models import Organisation, Vestiging
from partnerships.models import Partnership, Placement, SchoolClass, Student, Traject
from partnerships.services.partnerships import partnership_company_add
from partnerships.services.trajects import placement_create, student_contact_add, traject_create

VANDENBERGHE = "Metaalbouw Vandenberghe"
DAEMS = "Koeltechniek Daems"


def user(email: str) -> User:
    return User.objects.get(email=email)


def a1() -> Partnership:
    return Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )


def company(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def new_traject(first_name: str, *, birth_date: date, parent: str | None = None) -> Traject:
    partnership = a1()
    coord = user("coord@sintjozef.demo")
    student = Student.objects.create(
        school=partnership.school,
        first_name=first_name,
        last_name="Test",
        birth_date=birth_date,
        school_class=SchoolClass.objects.get(school=partnership.school, name="6 LAS"),
    )
    if parent:
        student_contact_add(actor=coord, student=student, full_name=parent, relation="parent")
    return traject_create(actor=coord, partnership=partnership, student=student)


PATTERN_3 = {"monday": "school", "tuesday": "school", "wednesday": "company",
             "thursday": "company", "friday": "company"}  # fmt: skip
PATTERN_2 = {"monday": "school", "tuesday": "school", "wednesday": "school",
             "thursday": "company", "friday": "company"}  # fmt: skip


def place(
    traject: Traject,
    *,
    at: str = VANDENBERGHE,
    start: date,
    end: date,
    hours: str,
    pattern: dict[str, str] = PATTERN_3,
    mentor: str = "mentor@vandenberghe.demo",
) -> Placement:
    """A placement through ``placement_create`` (adds the company to A1 when needed)."""
    organisation = company(at)
    vestiging = Vestiging.objects.filter(organisation=organisation).first()
    partnership = traject.partnership
    if not partnership.companies.filter(company=organisation).exists():
        partnership_company_add(
            actor=user("coord@sintjozef.demo"),
            partnership=partnership,
            company=organisation,
            vestiging=vestiging,
        )
    return placement_create(
        actor=user("coord@sintjozef.demo"),
        traject=traject,
        company=organisation,
        vestiging=vestiging,
        start_date=start,
        end_date=end,
        weekly_pattern=pattern,
        workplace_hours_per_week=Decimal(hours),
        mentors=[user(mentor)],
    )


def shown(contract) -> str:
    """The SHA-256 of the PDF the signing screen shows for ``contract``'s current version: a
    stand-in file stored the way ``contracts.pdf`` stores the real one (no WeasyPrint here)."""
    from contracts import pdf
    from contracts.models import Contract, PdfKind

    contract = Contract.objects.get(pk=contract.pk)
    stored = pdf.stored_pdf(contract)
    if stored is None:
        stored = pdf._store(contract, PdfKind.TO_SIGN, f"%PDF-1.7 v{contract.version}".encode())
    return stored.sha256


def complete_checklist(contract, *, on: date | None = None) -> None:
    """Every open item of ``contract``'s start checklist done by the school's coördinator
    (``contracts.services.checklist``), dated ``on`` (the day before the start by default)."""
    from contracts.checklist import AUTOMATIC, checklist_of
    from contracts.services.checklist import item_mark_done

    on = on or contract.start_date - timedelta(days=1)
    for item in checklist_of(contract):
        if item.done_on is None and item.code not in AUTOMATIC:
            item_mark_done(
                actor=user("coord@sintjozef.demo"), item=item, version=item.version,
                done_on=on, today=on,
            )  # fmt: skip
