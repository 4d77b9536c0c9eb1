"""The demo data of contracts (plug-in of the demo seed, ``duaal.demo``).

``contracts.contracts`` — every running traject of the demo gets the contract of each company
it is placed at, as the data migration gives them to an existing database: signed (on paper,
taken over) and running — Lotte's, Mohamed's and Jonas's OAO (22.5 h) and Emma's SOAO (8 h).
Each gets its start checklist with every item done, marked "taken over"
(``contracts.checklist.sync_checklist``, run when the contract is saved).
Idempotent: a traject × company that has its contract keeps it.

``contracts.noor`` — Noor Peeters (``leerling4@sintjozef.demo``, a minor, 6 LAS in A1) with her
mother Sofie (``ouder2@sintjozef.demo``) starts at Metaalbouw Vandenberghe three weeks after
seeding (mentor ``mentor@vandenberghe.demo``). Her traject is in intake; her OAO is "ter
ondertekening", signed by the school and by Noor — the company and her mother have not signed
yet. The two signatures go through ``record_signature``; there is no contract PDF to hash in
the seed, so they carry the taken-over marker (``SignatureMethod.TAKEN_OVER``). Of her start
checklist the school's items are done (intake, afsprakenkader, health surveillance, insurance);
Dimona and the risk analysis — the company's, blocking — are open, and so are the welcome and
the work clothes of her first day. Idempotent.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from duaal import demo
from duaal.demo import DemoReport

NOOR = "leerling4@sintjozef.demo"
NOOR_PARENT = ("Sofie Peeters", "ouder2@sintjozef.demo")
NOOR_STAMNUMMER = "SJ-2025-058"
NOOR_BIRTH_DATE = date(2010, 2, 11)
NOOR_CLASS = "6 LAS"
NOOR_MENTOR = "mentor@vandenberghe.demo"
NOOR_HOURS = Decimal("22.5")
NOOR_PATTERN = {
    "monday": "school",
    "tuesday": "training_centre",
    "wednesday": "company",
    "thursday": "company",
    "friday": "company",
}
NOOR_STARTS_AFTER = timedelta(weeks=3)
# The items of her start checklist the school has done (the others stay open).
NOOR_DONE = ("intake", "afsprakenkader", "gezondheidstoezicht", "verzekering")


@demo.register("contracts.contracts", after=["partnerships.partnerships"])
def running_contracts(*, password: str) -> DemoReport:
    from contracts.models import Contract
    from contracts.services.lifecycle import contract_take_over
    from partnerships.models import Placement, TrajectStatus

    placements = (
        Placement.objects.filter(traject__status=TrajectStatus.RUNNING)
        .select_related("traject", "traject__student", "traject__partnership", "company")
        .order_by("traject_id", "start_date", "pk")
    )
    have = set(Contract.objects.values_list("traject_id", "company_id"))
    made = 0
    for placement in placements:
        key = (placement.traject_id, placement.company_id)
        if key in have:
            continue
        have.add(key)
        contract_take_over(actor=None, traject=placement.traject, company=placement.company)
        made += 1
    running = Contract.objects.filter(state="running").count()
    return DemoReport(summary=f"Contracten: {running} lopend ({made} nieuw overgenomen).")


@demo.register("contracts.noor", after=["contracts.contracts"])
def noor(*, password: str) -> DemoReport:
    from django.utils import timezone

    from accounts.models import User
    from contracts.models import Contract, ContractState, PartyRole, SignatureMethod
    from contracts.services import lifecycle
    from organisations.models import Organisation, Vestiging
    from partnerships.models import Partnership, SchoolClass, Student, Traject
    from partnerships.models.partnerships import current_school_year
    from partnerships.services.grants import partnership_sync_grants
    from partnerships.services.trajects import (
        placement_create,
        student_contact_add,
        traject_create,
    )

    school = Organisation.objects.get(name="Technisch Instituut Sint-Jozef")
    company = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    partnership = Partnership.objects.get(
        school=school, name="Lassen-Constructie duaal", school_year=current_school_year()
    )
    coord = User.objects.get(email="coord@sintjozef.demo")
    account = User.objects.get(email=NOOR)
    student, _ = Student.objects.update_or_create(
        school=school,
        stamnummer=NOOR_STAMNUMMER,
        defaults={
            "first_name": "Noor",
            "last_name": "Peeters",
            "birth_date": NOOR_BIRTH_DATE,
            "school_class": SchoolClass.objects.get(school=school, name=NOOR_CLASS),
            "email": NOOR,
            "user": account,
        },
    )
    name, email = NOOR_PARENT
    if not student.contacts.filter(email=email).exists():
        student_contact_add(
            actor=coord, student=student, full_name=name, relation="parent", email=email
        )
    traject = Traject.objects.filter(student=student, partnership=partnership).first()
    if traject is None:
        traject = traject_create(
            actor=coord,
            partnership=partnership,
            student=student,
            intake_notes="Intakegesprek gevoerd met Noor en haar moeder.",
        )
    if not traject.placements.exists():
        start = timezone.localdate() + NOOR_STARTS_AFTER
        placement_create(
            actor=coord,
            traject=traject,
            company=company,
            vestiging=Vestiging.objects.filter(organisation=company).order_by("pk").first(),
            start_date=start,
            end_date=date(partnership.school_year + 1, 6, 30),
            weekly_pattern=NOOR_PATTERN,
            workplace_hours_per_week=NOOR_HOURS,
            mentors=[User.objects.get(email=NOOR_MENTOR)],
        )
    partnership_sync_grants(partnership=partnership)
    contract = Contract.objects.filter(traject=traject, company=company).first()
    if contract is None:
        contract = lifecycle.contract_create(
            actor=coord, traject=traject, company=company, leervergoeding_category=1
        )
    if contract.state == ContractState.CONCEPT:
        contract = lifecycle.contract_send_for_signing(
            actor=coord, contract=contract, version=contract.version
        )
    if contract.state == ContractState.TO_SIGN:
        signers = {PartyRole.SCHOOL: coord, PartyRole.STUDENT: account}
        waiting = {party.role: party for party in lifecycle.missing_signatures(contract)}
        for role, user in signers.items():
            if role in waiting:
                lifecycle.record_signature(
                    contract=contract,
                    party=waiting[role],
                    user=user,
                    typed_name=user.full_name,
                    pdf_sha256="",
                    ip_address=None,
                    version=contract.version,
                    method=SignatureMethod.TAKEN_OVER,  # seeded: no contract PDF to hash
                )
    # Her start checklist: the school did its part; Dimona and the risk analysis (the
    # company's, blocking) are open, the welcome and work clothes are for her first day.
    from contracts.checklist import checklist_of
    from contracts.services.checklist import item_mark_done

    for item in checklist_of(contract):
        if item.code in NOOR_DONE and item.done_on is None:
            item_mark_done(
                actor=coord, item=item, version=item.version, done_on=timezone.localdate()
            )
    waiting_for = ", ".join(p.name for p in lifecycle.missing_signatures(contract))
    return DemoReport(
        summary=f"Noor Peeters: OAO {contract.get_state_display().lower()}, "
        f"wacht op {waiting_for or 'niemand'}."
    )


# Partnership M1 of partnerships' reminder cases (VTI Maasland with Technische Diensten Kempen,
# no member of the cast): one due case of each contracts reminder after seeding.
REMINDER_STUDENTS = {"suspended": "VM-2025-003", "renewal": "VM-2025-002", "soon": "VM-2025-004"}
SUSPENDED_AGO = timedelta(days=15)
RENEWAL_IN = timedelta(days=20)
INTAKE_DUE_IN = timedelta(days=3)


@demo.register(
    "contracts.reminder_cases",
    after=["partnerships.reminder_cases", "contracts.noor"],
    extra=True,
)
def reminder_cases(*, password: str) -> DemoReport:
    """In M1: Staf's contract suspended 15 days ago without an end (→ coord@maasland.demo);
    Fleur's risk analysis a year old in 20 days (→ coord@kempen.demo); Yasmine, who starts in
    10 days, has her SOAO out for signing (→ the coördinators and Yasmine have not signed) and
    her intake due in 3 days by hand (→ coord@maasland.demo). Idempotent; the dated cases move
    with the day of seeding."""
    from django.utils import timezone

    from accounts.models import User
    from contracts.models import ChecklistItem, Contract, ContractState
    from contracts.services import checklist as items
    from contracts.services import lifecycle
    from partnerships.models import Traject

    today = timezone.localdate()
    coord = User.objects.get(email="coord@maasland.demo")
    company_coord = User.objects.get(email="coord@kempen.demo")
    trajects = {
        key: Traject.objects.select_related("partnership").get(student__stamnummer=number)
        for key, number in REMINDER_STUDENTS.items()
    }

    def contract_of(traject: Traject) -> Contract:
        placement = traject.placements.select_related("company").get()
        found = Contract.objects.filter(traject=traject, company=placement.company).first()
        if found is not None:
            lifecycle.follow_placements(
                actor=None, traject=traject, company_ids={placement.company_id}
            )
            return Contract.objects.get(pk=found.pk)
        if traject.status == "running":
            return lifecycle.contract_take_over(
                actor=None, traject=traject, company=placement.company
            )
        return lifecycle.contract_create(actor=coord, traject=traject, company=placement.company)

    suspended = contract_of(trajects["suspended"])
    if suspended.state == ContractState.RUNNING:
        lifecycle.contract_suspend(
            actor=coord, contract=suspended, version=None, on=today - SUSPENDED_AGO,
            reason="Langdurig ziek; de einddatum is nog niet bekend.",
        )  # fmt: skip
    analysis = ChecklistItem.objects.get(
        contract=contract_of(trajects["renewal"]), code="risicoanalyse"
    )
    made = today + RENEWAL_IN - timedelta(days=365)
    if analysis.done_on != made:
        if analysis.done_on is not None:
            analysis = items.item_reopen(actor=company_coord, item=analysis, version=None)
        items.item_mark_done(actor=company_coord, item=analysis, version=None, done_on=made)
    soon = contract_of(trajects["soon"])
    if soon.state == ContractState.CONCEPT:
        soon = lifecycle.contract_send_for_signing(actor=coord, contract=soon, version=None)
    intake = ChecklistItem.objects.get(contract=soon, code="intake")
    if intake.due_on != today + INTAKE_DUE_IN:
        items.item_set_due(actor=coord, item=intake, version=None, due_on=today + INTAKE_DUE_IN)
    return DemoReport(summary="Contracten M1: geschorst, risicoanalyse te vernieuwen, te tekenen.")
