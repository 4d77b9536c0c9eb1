"""A company's listing in the partner search: whether it may be found, and for which opleidingen.

``Organisation.findable`` is the company's one opt-in (the company pickers read it too); the
opleidingen that interest it are ``CompanyInterest`` rows. The caller has checked the
permission (``partnerships.permissions.get_company_for_listing``: the company's
administrators). Recorded in the audit trail as ``partner_listing.update``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from duaal import audit
from learning.models import Opleiding
from organisations.models import Organisation
from recognition.models import CompanyInterest


def interests_of(company: Organisation) -> list[Opleiding]:
    return list(
        Opleiding.objects.filter(
            pk__in=CompanyInterest.objects.filter(company=company).values("opleiding_id")
        ).order_by("name")
    )


@transaction.atomic
def listing_update(
    *, actor: User, company: Organisation, findable: bool, opleidingen: Iterable[Opleiding]
) -> None:
    """Set the company's opt-in and the opleidingen that interest it (others removed)."""
    company = Organisation.objects.select_for_update().get(pk=company.pk)
    wanted = {opleiding.pk: opleiding for opleiding in opleidingen}
    before = {o.pk: o.name for o in interests_of(company)}
    CompanyInterest.objects.filter(company=company).exclude(opleiding_id__in=wanted).delete()
    CompanyInterest.objects.bulk_create(
        [
            CompanyInterest(company=company, opleiding=opleiding)
            for pk, opleiding in wanted.items()
            if pk not in before
        ]
    )
    changes: dict[str, tuple[object, object]] = {}
    if company.findable != findable:
        changes["findable"] = (company.findable, findable)
        company.findable = findable
        company.save(update_fields=["findable"])
    after = sorted(opleiding.name for opleiding in wanted.values())
    if sorted(before.values()) != after:
        changes["opleidingen"] = (sorted(before.values()), after)
    if changes:
        audit.record(
            action="partner_listing.update",
            actor=actor,
            organisation=company,
            obj=company,
            changes=changes,
        )
