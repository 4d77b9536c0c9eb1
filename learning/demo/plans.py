"""Demo data of learning: plans (registered with ``duaal.demo``; see learning/demo/__init__.py).

A1 (Lassen-Constructie duaal) and A2 (Elektromechanische technieken duaal) adopt the sector
body's published leerfiche sets (found by opleiding and owner), get three trimesters and a
full opleidingsplan: theory at school first, practice at the company, TIG and electrode
welding at the training centre (A1), PLC in gesimuleerd leren (A2). Metaalbouw Vandenberghe
and Koeltechniek Daems fill in their activiteitenlijst.

Exactly one gap, on purpose, so the coverage view has something to show: A2's
``pneumatiek-hydrauliek`` has no place (a leerfiche nobody teaches). The only warning: A1's
``elektrodelassen`` at Vandenberghe, which can offer it only partly. Every company entry falls
in a period in which a student of the partnership is placed there (the demo's placements run
the whole school year), so there is no other gap.

Until the sector's sets are published by ``learning.catalogue`` this step skips and says so.
Idempotent: a second run finds the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from duaal import demo
from duaal.demo import DemoReport

SECTOR_BODY = "Sectoraal Partnerschap Technologische Industrie"
SCHOOL = "Technisch Instituut Sint-Jozef"

# Trimesters of the school year starting in ``year``: (name, start, end).
TRIMESTERS = (
    ("Trimester 1", (0, 9, 1), (0, 12, 23)),
    ("Trimester 2", (1, 1, 4), (1, 3, 31)),
    ("Trimester 3", (1, 4, 1), (1, 6, 30)),
)

# Places of the table below.
S, C, OC, SIM = "school", "company", "training_centre", "simulated"


@dataclass(frozen=True)
class DemoPlan:
    partnership: str  # name, of school SCHOOL
    opleiding: str  # Opleiding.code
    company: str  # the organisation whose vestiging is the company place
    # leerfiche key -> [(place, trimester 1..3, week from, week to)]
    entries: dict[str, list[tuple[str, int, int, int]]]
    # the company's activiteitenlijst: leerfiche key -> "yes" / "partly" / "no"
    offers: dict[str, str]


PLANS: tuple[DemoPlan, ...] = (
    DemoPlan(
        "Lassen-Constructie duaal",
        "lassen-constructie",
        "Metaalbouw Vandenberghe",
        {
            "plan-en-tekening-lezen": [(S, 1, 1, 4), (C, 2, 1, 2)],
            "lasnaadvoorbereiding": [(S, 1, 3, 6), (C, 1, 7, 12)],
            "geintegreerde-lasopdracht": [(C, 2, 3, 12), (C, 3, 1, 8)],
            "hoeklas-pb": [(S, 1, 5, 10), (C, 2, 1, 6)],
            "stompe-las-pa": [(S, 1, 8, 14), (C, 2, 5, 10)],
            "elektrodelassen": [(OC, 1, 6, 12), (C, 3, 1, 4)],
            "tig-lassen": [(OC, 2, 1, 8), (OC, 3, 1, 4)],
            "thermisch-snijden": [(S, 1, 1, 3), (C, 1, 4, 8)],
            "samenstellen-en-hechten": [(C, 2, 6, 12), (C, 3, 5, 10)],
            "visuele-lascontrole": [(S, 2, 1, 3), (C, 3, 3, 10)],
            "veilig-lassen": [(S, 1, 1, 2), (C, 1, 1, 2), (OC, 1, 1, 1)],
        },
        {
            "plan-en-tekening-lezen": "yes",
            "lasnaadvoorbereiding": "yes",
            "geintegreerde-lasopdracht": "yes",
            "hoeklas-pb": "yes",
            "stompe-las-pa": "yes",
            "elektrodelassen": "partly",
            "tig-lassen": "no",
            "thermisch-snijden": "yes",
            "samenstellen-en-hechten": "yes",
            "visuele-lascontrole": "yes",
            "veilig-lassen": "yes",
        },
    ),
    DemoPlan(
        "Elektromechanische technieken duaal",
        "elektromechanische-technieken",
        "Koeltechniek Daems",
        {
            "smeren": [(S, 1, 1, 4), (C, 1, 5, 12)],
            "conditiebewaking": [(C, 2, 1, 8)],
            "lagers": [(S, 1, 5, 8), (C, 2, 3, 10)],
            "aandrijvingen": [(S, 2, 1, 4), (C, 3, 1, 6)],
            "schemas-lezen": [(S, 1, 1, 6)],
            "motorsturingen": [(S, 1, 7, 12), (C, 2, 5, 12)],
            "elektrische-metingen": [(S, 1, 3, 8), (C, 2, 1, 4)],
            "plc-basis": [(SIM, 2, 1, 10), (SIM, 3, 1, 6)],
            # "pneumatiek-hydrauliek": the deliberate gap, no place at all.
            "veilig-stellen": [(S, 1, 1, 2), (C, 1, 1, 3)],
        },
        {
            "smeren": "yes",
            "conditiebewaking": "yes",
            "lagers": "yes",
            "aandrijvingen": "yes",
            "schemas-lezen": "yes",
            "motorsturingen": "yes",
            "elektrische-metingen": "yes",
            "plc-basis": "no",
            "pneumatiek-hydrauliek": "partly",
            "veilig-stellen": "yes",
        },
    ),
)

NOTES = {
    "partly": "Enkel op de onderhoudsafdeling, niet in productie.",
    "no": "Geen installatie of opdrachten hiervoor in het bedrijf.",
}


def seed_plans() -> str:
    """Adopt, plan and fill in the activiteitenlijsten; returns the summary line."""
    from learning.models import (
        Activiteitenlijst,
        ActiviteitenlijstEntry,
        Leerfiche,
        Opleiding,
        Opleidingsplan,
        Period,
        PlanEntry,
        SetVersion,
        VersionStatus,
    )
    from organisations.models import Organisation
    from partnerships.models import Partnership, PartnershipCompany

    done = []
    missing = []
    for spec in PLANS:
        opleiding = Opleiding.objects.get(code=spec.opleiding)
        version = (
            SetVersion.objects.filter(
                leerfiche_set__owner__name=SECTOR_BODY,
                leerfiche_set__opleiding=opleiding,
                status=VersionStatus.PUBLISHED,
            )
            .order_by("-number")
            .first()
        )
        if version is None:
            missing.append(opleiding.name)
            continue
        partnership = (
            Partnership.objects.filter(name=spec.partnership, school__name=SCHOOL)
            .order_by("-school_year")
            .first()
        )
        if partnership is None:
            continue
        year = partnership.school_year
        periods = {}
        for order, (name, start, end) in enumerate(TRIMESTERS, start=1):
            periods[order], _ = Period.objects.update_or_create(
                partnership=partnership,
                name=name,
                defaults={
                    "order": order,
                    "start_date": date(year + start[0], start[1], start[2]),
                    "end_date": date(year + end[0], end[1], end[2]),
                },
            )
        plan, _ = Opleidingsplan.objects.get_or_create(
            partnership=partnership, traject=None, defaults={"set_version": version}
        )
        company = Organisation.objects.get(name=spec.company)
        vestiging = (
            PartnershipCompany.objects.filter(partnership=partnership, company=company)
            .select_related("vestiging")
            .first()
            .vestiging
        )
        fiches = {
            fiche.key: fiche
            for fiche in Leerfiche.objects.filter(
                version_id=plan.set_version_id, key__in=spec.entries
            )
        }
        for key, places in spec.entries.items():
            if key not in fiches:  # a set without this key: plan what is there
                continue
            for place, trimester, week_from, week_to in places:
                PlanEntry.objects.update_or_create(
                    plan=plan,
                    leerfiche=fiches[key],
                    period=periods[trimester],
                    place=place,
                    vestiging=vestiging if place == C else None,
                    defaults={"week_from": week_from, "week_to": week_to},
                )
        activiteiten, _ = Activiteitenlijst.objects.get_or_create(
            vestiging=vestiging, opleiding=opleiding
        )
        for key, offer in spec.offers.items():
            ActiviteitenlijstEntry.objects.update_or_create(
                activiteitenlijst=activiteiten,
                leerfiche_key=key,
                defaults={"offer": offer, "note": NOTES.get(offer, "")},
            )
        done.append(partnership.name)
    summary = ""
    if done:
        summary = "Opleidingsplannen: " + ", ".join(done) + "."
    if missing:
        summary += (
            " Geen opleidingsplan voor "
            + ", ".join(missing)
            + ": de sector heeft nog geen gepubliceerde leerfiches (learning.catalogue)."
        )
    return summary.strip()


# Run after the catalogue's sets (when that part of the demo is installed) and the partnerships.
_AFTER = ["partnerships.partnerships"]
if "learning.catalogue" in demo.contributions:
    _AFTER.insert(0, "learning.catalogue")


@demo.register("learning.plans", after=_AFTER)
def plans(*, password: str) -> DemoReport:
    return DemoReport(summary=seed_plans())
