"""The access answers of ``partnerships/permissions.py`` applied to contract rows (decision
0014): which contracts a user reads, fetch-and-authorise one (404 / 403). No rule about *who*
may act lives here — only how the answers meet the contracts' own tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from contracts.models import Contract
from partnerships import permissions
from partnerships.models import TeamMember, Traject


def contracts_visible_to(*, user: User) -> QuerySet[Contract]:
    """The contracts ``user`` reads, filtered in the database."""
    return Contract.objects.filter(permissions.contract_readers_q(user=user))


def traject_contracts_visible_to(
    *, user: User, traject: Traject, team: Iterable[TeamMember] | None = None
) -> QuerySet[Contract]:
    """The contracts of ``traject`` that ``user`` reads (cheapest when ``traject`` was fetched
    for ``user`` by ``permissions.get_traject_for_user``; ``team``: the partnership's whole
    team, see ``permissions.traject_contract_readers_q``)."""
    return Contract.objects.filter(
        permissions.traject_contract_readers_q(user=user, traject=traject, team=team)
    )


def get_contract_for_user(
    *, user: User, public_id: uuid.UUID | str, manage: bool = False
) -> Contract:
    """The contract if ``user`` reads it, else 404; with ``manage``, 403 unless they hold
    "Opmaken contracten" (MANAGE_CONTRACT) on its traject."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    contract = (
        contracts_visible_to(user=user)
        .select_related("traject", "traject__student", "traject__partnership", "company")
        .filter(public_id=key)
        .first()
    )
    if contract is None:
        raise Http404
    if manage and not permissions.may_manage_contracts(user=user, traject=contract.traject):
        raise PermissionDenied
    return contract
