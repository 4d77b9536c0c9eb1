"""The recognition rules as blocking checks of the start (issue 12 item 5, issue 11 item 4).

A contract's placements (its traject at its company) cannot begin while

* **geldige erkenning** — the placement's vestiging is not recognised for the traject's
  opleiding on every day of the placement (``recognition.selectors.first_uncovered_day``,
  the rule ``partnerships.selectors.mentors.recognition_refusal`` applies at assignment), or
* **erkende mentor** — the placement has no mentor, or a mentor is not eligible on its first
  day (``recognition.selectors.mentor_eligibilities_on``: every unmet condition, each its own
  item with its Dutch reason).

Only contracts that have not started are checked: a running placement that loses its
recognition or mentor is flagged by the reminder ``placement_ineligible``, never blocked.
Both checks answer for many contracts at once in a fixed number of queries (six), so the
coordinator's starts list does not grow with its contracts. The company's coördinator owns
them: the company renews its recognition and completes its mentors' profiles (the school may
name another mentor).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from contracts.checklist import BlockingItem, register_batch_check
from contracts.models import Contract, ContractState
from partnerships.models import Placement, PlacementSupervisor, TeamRole
from partnerships.selectors.mentors import recognition_refusal_text
from recognition.models import Recognition, RecognitionStatus
from recognition.selectors import first_uncovered_day, mentor_eligibilities_on

NOT_STARTED = frozenset(
    {ContractState.CONCEPT, ContractState.TO_SIGN, ContractState.SIGNED, ContractState.REGISTERED}
)


def _owner(contract: Contract) -> str:
    return f"{TeamRole(TeamRole.COORDINATOR_BEDRIJF).label} ({contract.company})"


def _placements(contracts: list[Contract]) -> dict[int, list[Placement]]:
    """{contract pk: the placements of its traject at its company} (one query)."""
    wanted = {(c.traject_id, c.company_id): c.pk for c in contracts if c.state in NOT_STARTED}
    found: dict[int, list[Placement]] = defaultdict(list)
    if not wanted:
        return found
    for placement in (
        Placement.objects.filter(
            traject_id__in={t for t, _c in wanted}, company_id__in={c for _t, c in wanted}
        )
        .select_related("vestiging", "traject__partnership__opleiding")
        .order_by("start_date", "pk")
    ):
        pk = wanted.get((placement.traject_id, placement.company_id))
        if pk is not None:
            found[pk].append(placement)
    return found


@register_batch_check("recognition.valid_erkenning")
def valid_erkenning(contracts: list[Contract]) -> dict[int, list[BlockingItem]]:
    """Geldige erkenning: each placement's vestiging recognised for the opleiding on every day
    of the placement (two queries)."""
    placements = _placements(contracts)
    vestigingen = {p.vestiging_id for found in placements.values() for p in found}
    periods: dict[tuple[int, int], list[tuple[date, date]]] = defaultdict(list)
    if vestigingen:
        for vestiging_id, opleiding_id, first, last in Recognition.objects.filter(
            status=RecognitionStatus.RECOGNISED, vestiging_id__in=vestigingen
        ).values_list("vestiging_id", "opleiding_id", "decided_on", "valid_until"):
            if first and last:  # always, for a recognised one (a constraint)
                periods[(vestiging_id, opleiding_id)].append((first, last))
    result: dict[int, list[BlockingItem]] = {}
    for contract in contracts:
        items = []
        for placement in placements.get(contract.pk, []):
            opleiding = placement.traject.partnership.opleiding
            gap = first_uncovered_day(
                periods.get((placement.vestiging_id, opleiding.pk), []),
                start=placement.start_date,
                end=placement.end_date,
            )
            if gap is not None:
                reason = recognition_refusal_text(
                    vestiging=placement.vestiging, opleiding=opleiding, day=gap
                )
                items.append(
                    BlockingItem(
                        code="erkenning",
                        label=_("Valid recognition: %(reason)s") % {"reason": reason},
                        owner=_owner(contract),
                    )
                )
        result[contract.pk] = items
    return result


@register_batch_check("recognition.erkende_mentor")
def erkende_mentor(contracts: list[Contract]) -> dict[int, list[BlockingItem]]:
    """Erkende mentor: each placement has a mentor, and every mentor is eligible on the
    placement's first day (four queries)."""
    placements = _placements(contracts)
    ids = [p.pk for found in placements.values() for p in found]
    mentors: dict[int, list[User]] = defaultdict(list)
    if ids:
        for supervision in (
            PlacementSupervisor.objects.filter(
                placement_id__in=ids, kind=PlacementSupervisor.Kind.MENTOR
            )
            .select_related("user")
            .order_by("pk")
        ):
            mentors[supervision.placement_id].append(supervision.user)
    pairs = {
        (mentor, placement.start_date)
        for found in placements.values()
        for placement in found
        for mentor in mentors.get(placement.pk, [])
    }
    unmet = mentor_eligibilities_on(pairs) if pairs else {}
    result: dict[int, list[BlockingItem]] = {}
    for contract in contracts:
        items = []
        for placement in placements.get(contract.pk, []):
            start = date_format(placement.start_date, "SHORT_DATE_FORMAT")
            if not mentors.get(placement.pk):
                reasons = [_("The placement from %(start)s has no mentor yet.") % {"start": start}]
            else:
                reasons = [
                    condition.reason
                    for mentor in mentors[placement.pk]
                    for condition in unmet.get((mentor.pk, placement.start_date), [])
                ]
            items += [
                BlockingItem(
                    code="erkende_mentor",
                    label=_("Eligible mentor: %(reason)s") % {"reason": reason},
                    owner=_owner(contract),
                )
                for reason in reasons
            ]
        result[contract.pk] = items
    return result
