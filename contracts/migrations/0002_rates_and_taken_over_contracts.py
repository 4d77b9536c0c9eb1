"""Seed the leervergoeding table, and give every running placement its contract.

1. The dated table (``contracts.models.rates``): the percentages 29 / 32 / 34.5 % of the GGMMI
   per category come from DOMAIN.md, the GGMMI amount from the federal minimum-wage rules —
   neither is in the brochure, so each row is marked ``external`` with a note to verify it.
   An administrator corrects or adds rows in the admin.
2. Before this app, a traject became running as soon as it had a placement, without any
   contract. Every placement of a running traject now gets the contract it must have had: one
   per traject × company, marked ``taken_over`` (signed on paper, registered outside Duaal),
   its type derived from the hours like any other (``contracts.hours``), running from its start
   date (registered when it lies ahead), every party's signature recorded as taken over. So
   running trajects stay running. The reverse removes only the taken-over contracts.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

from contracts.hours import PeriodHours, average_hours_per_week, contract_type_from_hours

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
NOTE_RATE = "DOMAIN.md (Contracts); not in the brochure — verify against the official rules."
NOTE_GGMMI = (
    "GGMMI (cao nr. 43, NAR) as known to the team; not in the brochure — verify the current "
    "amount and add a row per indexation."
)


def seed_rates(apps, schema_editor):
    MinimumIncome = apps.get_model("contracts", "MinimumIncome")
    LeervergoedingRate = apps.get_model("contracts", "LeervergoedingRate")
    MinimumIncome.objects.get_or_create(
        valid_from=date(2024, 4, 1),
        defaults={
            "monthly_amount": Decimal("2070.48"),
            "source": "external",
            "source_note": NOTE_GGMMI,
        },
    )
    for category, percentage in ((1, "29"), (2, "32"), (3, "34.5")):
        LeervergoedingRate.objects.get_or_create(
            category=category,
            valid_from=date(2023, 9, 1),
            defaults={
                "percentage": Decimal(percentage),
                "source": "external",
                "source_note": NOTE_RATE,
            },
        )


def _minor(birth_date, on):
    try:
        eighteenth = birth_date.replace(year=birth_date.year + 18)
    except ValueError:
        eighteenth = date(birth_date.year + 18, 3, 1)
    return on < eighteenth


def take_over_running_placements(apps, schema_editor):
    Traject = apps.get_model("partnerships", "Traject")
    Placement = apps.get_model("partnerships", "Placement")
    StudentContact = apps.get_model("partnerships", "StudentContact")
    Contract = apps.get_model("contracts", "Contract")
    ContractParty = apps.get_model("contracts", "ContractParty")
    Signature = apps.get_model("contracts", "Signature")
    today = timezone.localdate()
    now = timezone.now()
    trajects = Traject.objects.filter(status="running").select_related(
        "student", "partnership__school"
    )
    for traject in trajects.iterator():
        placements = list(
            Placement.objects.filter(traject=traject).select_related("company").order_by(
                "start_date", "pk"
            )
        )
        companies = {}
        for placement in placements:
            companies.setdefault(placement.company_id, []).append(placement)
        for company_id, here in companies.items():
            if Contract.objects.filter(traject=traject, company_id=company_id).exists():
                continue
            periods = [
                PeriodHours(
                    start=p.start_date,
                    end=p.end_date,
                    hours_per_week=p.workplace_hours_per_week,
                    company_days=sum(1 for d in WEEKDAYS if getattr(p, d) == "company"),
                )
                for p in here
            ]
            start = min(p.start for p in periods)
            contract = Contract.objects.create(
                traject=traject,
                company_id=company_id,
                vestiging_id=here[0].vestiging_id,
                contract_type=str(contract_type_from_hours(periods)),
                state="running" if start <= today else "registered",
                start_date=start,
                end_date=max(p.end for p in periods),
                workplace_hours_per_week=average_hours_per_week(periods),
                hours_basis=[p.as_json() for p in periods],
                taken_over=True,
            )
            student = traject.student
            parties = [
                ContractParty(
                    contract=contract,
                    role="company",
                    organisation_id=company_id,
                    name=here[0].company.name,
                ),
                ContractParty(
                    contract=contract,
                    role="school",
                    organisation_id=traject.partnership.school_id,
                    name=traject.partnership.school.name,
                ),
                ContractParty(
                    contract=contract,
                    role="student",
                    name=f"{student.first_name} {student.last_name}",
                ),
            ]
            if _minor(student.birth_date, start):
                parties += [
                    ContractParty(
                        contract=contract, role="parent", contact=contact, name=contact.full_name
                    )
                    for contact in StudentContact.objects.filter(student=student).order_by("pk")
                ]
            for party in parties:
                party.save()
                Signature.objects.create(
                    contract=contract,
                    party=party,
                    method="taken_over",
                    typed_name=party.name,
                    signed_at=now,
                    contract_version=1,
                )


def remove_taken_over(apps, schema_editor):
    apps.get_model("contracts", "Contract").objects.filter(taken_over=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0001_initial"),
        ("partnerships", "0010_placement_suspended_on_traject_ended_on"),
    ]

    operations = [
        migrations.RunPython(seed_rates, migrations.RunPython.noop),
        migrations.RunPython(take_over_running_placements, remove_taken_over),
    ]
