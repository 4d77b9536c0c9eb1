"""The partner search of a school (brochure 3.5, issue 12 item 7).

A school looks for companies for an opleiding near a postcode. It finds the establishments of
companies that opted in to be found (``Organisation.findable``, the one opt-in the company
pickers read too) and that are either **recognised** for the opleiding today (a recognition in
force for that vestiging) or **marked an interest** in it (``recognition.CompanyInterest``).
Nothing else is read or shown: the company's name, the establishment's name and address, the
recognition's end date, and how many more students its mentors can take — counts, never a
student or a mentor's name.

Free mentor capacity: for each mentor the sector's limit (``mentor_max_students``) minus the
students they guide today (``mentor_loads``), never below zero, added up. The mentors counted
are those named on the recognition in force (recognised rows) or, for a company that is only
interested, the mentors named on any of its recognitions in force and its mentors in
partnerships. Sorted by distance (``recognition.postcodes``: haversine between the postcodes'
coordinates); an establishment without a known postcode comes last, by municipality.
A fixed number of queries, whatever the number of companies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q

from learning.models import Opleiding
from organisations.models import Organisation, OrganisationKind, Vestiging
from partnerships.models import MentorLoadRule, TeamMember, TeamRole
from partnerships.selectors.mentors import mentor_loads
from recognition import postcodes
from recognition.models import CompanyInterest
from recognition.selectors import recognitions_in_force


@dataclass(frozen=True)
class PartnerHit:
    vestiging: Vestiging
    company: Organisation
    recognised_until: date | None  # the recognition in force for the opleiding, if any
    interested: bool  # the company marked the opleiding as one that interests it
    distance_km: float | None
    mentors: int
    free_places: int

    @property
    def recognised(self) -> bool:
        return self.recognised_until is not None

    @property
    def province(self) -> str:
        found = postcodes.place(self.vestiging.postcode)
        return found.province_label if found else ""


def find_partners(
    *, opleiding: Opleiding, postcode: str, today: date, only_free: bool = False
) -> list[PartnerHit]:
    """The findable companies' establishments for ``opleiding``, nearest to ``postcode``."""
    in_force = recognitions_in_force(on=today).filter(
        company__findable=True, company__kind=OrganisationKind.COMPANY
    )
    recognised: dict[int, date] = {}
    recognised_mentors: dict[int, set[int]] = defaultdict(set)
    for vestiging_id, valid_until, mentor_id in in_force.filter(opleiding=opleiding).values_list(
        "vestiging_id", "valid_until", "mentors"
    ):
        if valid_until is not None:  # a recognised row always has its period (a constraint)
            recognised[vestiging_id] = max(valid_until, recognised.get(vestiging_id, valid_until))
        if mentor_id is not None:
            recognised_mentors[vestiging_id].add(mentor_id)
    interested = set(
        CompanyInterest.objects.filter(
            opleiding=opleiding, company__findable=True, company__kind=OrganisationKind.COMPANY
        ).values_list("company_id", flat=True)
    )
    vestigingen = list(
        Vestiging.objects.filter(
            organisation__findable=True, organisation__kind=OrganisationKind.COMPANY
        )
        .filter(Q(pk__in=list(recognised)) | Q(organisation_id__in=interested))
        .select_related("organisation")
    )
    if not vestigingen:
        return []
    company_ids = {v.organisation_id for v in vestigingen}
    company_mentors: dict[int, set[int]] = defaultdict(set)
    for company_id, mentor_id in in_force.filter(company_id__in=company_ids).values_list(
        "company_id", "mentors"
    ):
        if mentor_id is not None:
            company_mentors[company_id].add(mentor_id)
    for company_id, user_id in (
        TeamMember.objects.filter(
            organisation_id__in=company_ids, role=TeamRole.MENTOR, user__is_active=True
        )
        .values_list("organisation_id", "user_id")
        .distinct()
    ):
        company_mentors[company_id].add(user_id)
    all_mentors = {
        m for ids in (*company_mentors.values(), *recognised_mentors.values()) for m in ids
    }
    loads = mentor_loads(on=today, mentor_ids=all_mentors)
    rules = dict(MentorLoadRule.objects.values_list("paritair_comite", "max_students"))
    default = settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS

    hits = []
    for vestiging in vestigingen:
        company = vestiging.organisation
        limit = rules.get(company.paritair_comite, default) if company.paritair_comite else default
        mentors = (
            recognised_mentors[vestiging.pk]
            if vestiging.pk in recognised
            else company_mentors[company.pk]
        )
        free = sum(max(0, limit - loads.get(mentor, 0)) for mentor in mentors)
        if only_free and free == 0:
            continue
        hits.append(
            PartnerHit(
                vestiging=vestiging,
                company=company,
                recognised_until=recognised.get(vestiging.pk),
                interested=company.pk in interested,
                distance_km=postcodes.distance_km(postcode, vestiging.postcode),
                mentors=len(mentors),
                free_places=free,
            )
        )
    hits.sort(
        key=lambda hit: (
            hit.distance_km is None,
            hit.distance_km or 0.0,
            hit.vestiging.city.casefold(),
            hit.company.name.casefold(),
            hit.vestiging.name.casefold(),
        )
    )
    return hits


__all__ = ["PartnerHit", "find_partners"]
