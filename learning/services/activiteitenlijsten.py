"""The activiteitenlijst of a company vestiging: what it can offer of an opleiding's leerfiches.

Part of the catalogue layer (docs/ARCHITECTURE.md): this module imports no domain app but
``organisations``, so the recognition app — below partnerships — may call it too. Who may
write is decided by the caller: on the opleidingsplan page a coördinator or mentor of that
company in the partnership, or the company's administrators
(``partnerships.permissions.get_vestiging_for_offer_editor``); later the recognition visit
writes through this same service. ``learning.services.plans`` re-exports ``set_offer``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from duaal import audit
from learning.models.catalogue import Activiteitenlijst, ActiviteitenlijstEntry, Offer, Opleiding
from organisations.models import OrganisationKind, Vestiging

NOTE_MAX = ActiviteitenlijstEntry._meta.get_field("note").max_length or 500


@transaction.atomic
def set_offer(
    *,
    vestiging: Vestiging,
    opleiding: Opleiding,
    leerfiche_key: str,
    offer: str,
    note: str = "",
    actor: Any = None,
) -> ActiviteitenlijstEntry | None:
    """Record what ``vestiging`` can offer of the leerfiche ``leerfiche_key`` (yes, partly,
    no); an empty ``offer`` removes the line (unknown again). Written by the company, and by
    the recognition visit through this same service. Returns the line, or None when removed.
    """
    if vestiging.organisation.kind != OrganisationKind.COMPANY:
        raise ValidationError(
            _("Only a company vestiging has an activiteitenlijst."), code="not_company"
        )
    if offer and offer not in Offer.values:
        raise ValidationError(_("Choose yes, partly or no."), code="offer")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("The note is at most %(max)d characters long."), code="note", params={"max": NOTE_MAX}
        )
    if not leerfiche_key:
        raise ValidationError(_("Which leerfiche?"), code="leerfiche")
    lijst, _created = Activiteitenlijst.objects.select_for_update().get_or_create(
        vestiging=vestiging, opleiding=opleiding
    )
    entry = ActiviteitenlijstEntry.objects.filter(
        activiteitenlijst=lijst, leerfiche_key=leerfiche_key
    ).first()
    before = {"offer": entry.offer, "note": entry.note} if entry else {}
    if not offer:
        if entry is None:
            return None
        entry.delete()
        after: dict[str, Any] = {}
        result = None
    else:
        if entry is None:
            entry = ActiviteitenlijstEntry(activiteitenlijst=lijst, leerfiche_key=leerfiche_key)
        entry.offer = offer
        entry.note = note
        entry.save()
        after = {"offer": offer, "note": note}
        result = entry
    changes = audit.diff(before, after)
    if not changes:
        return result
    lijst.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    lijst.save(update_fields=["updated_by", "updated_at"])
    audit.record(
        action="activiteitenlijst.set",
        actor=actor,
        organisation=vestiging.organisation,
        obj=lijst,
        object_label=f"{lijst} · {leerfiche_key}",
        changes=changes,
    )
    return result


def offers_of(*, vestiging_ids: list[int], opleiding: Opleiding) -> dict[tuple[int, str], Any]:
    """{(vestiging id, leerfiche key): entry} for the given vestigingen, in one query."""
    return {
        (entry.activiteitenlijst.vestiging_id, entry.leerfiche_key): entry
        for entry in ActiviteitenlijstEntry.objects.filter(
            activiteitenlijst__vestiging_id__in=vestiging_ids,
            activiteitenlijst__opleiding=opleiding,
        ).select_related("activiteitenlijst")
    }
