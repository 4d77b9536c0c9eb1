"""The start checklist's state changes (``contracts.checklist``): an item done with its proof,
reopened, its due date moved; another owner for an item in a whole partnership.

Each service runs in one transaction, locks the row, checks the version the screen showed
(``version=None`` skips it), refuses bad input with a Dutch message per field and writes ONE
audit entry. Who may call them is asked by the caller (``partnerships.permissions``:
``may_tick_checklist_item``, ``may_manage_contracts``, CHANGE_RACI).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contracts.checklist import AUTOMATIC
from contracts.models import ChecklistCode, ChecklistItem, ChecklistOwnerOverride
from contracts.signals import contract_changed
from duaal import audit
from partnerships import audit as trail
from partnerships.models import Partnership, TeamRole
from partnerships.models.partnerships import TEAM_ROLES

PROOF_MAX_BYTES = 10 * 1024 * 1024
# What a proof may be: a PDF or a photo of the paper (checked on the first bytes, not the name).
PROOF_SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "pdf",
    b"\xff\xd8\xff": "jpg",
    b"\x89PNG\r\n\x1a\n": "png",
}
ITEM_FIELDS = ("done_on", "done_by_name", "reference", "proof_name", "due_on")


def _lock(item: ChecklistItem, version: int | None) -> ChecklistItem:
    locked = (
        ChecklistItem.objects.select_for_update()
        .select_related("contract__traject__partnership", "contract__company")
        .get(pk=item.pk)
    )
    if version is not None and locked.version != version:
        raise ValidationError(
            _("Someone else changed this item meanwhile. Check it again and retry."),
            code="stale",
        )
    return locked


def _record(*, actor: User, action: str, item: ChecklistItem, changes: dict[str, Any]) -> None:
    trail.record(
        actor=actor,
        action=action,
        traject=item.contract.traject,
        obj=item,
        object_label=f"{item.get_code_display()} – {item.contract}",
        changes=changes,
    )
    contract_changed.send(
        sender=ChecklistItem, contract=item.contract, traject_id=item.contract.traject_id
    )


def _refuse_automatic(item: ChecklistItem) -> None:
    if item.code in AUTOMATIC and not item.contract.taken_over:
        raise ValidationError(
            _("This item follows the contract itself: it is done when the contract is %(state)s.")
            % {"state": _("signed") if item.code == "signed" else _("registered")},
            code="automatic",
        )


def _proof_extension(proof: UploadedFile) -> str:
    if proof.size is not None and proof.size > PROOF_MAX_BYTES:
        raise ValidationError(
            {"proof": _("The file is larger than 10 MB.")}, code="proof_too_large"
        )
    head = proof.read(8)
    proof.seek(0)
    for signature, extension in PROOF_SIGNATURES.items():
        if head.startswith(signature):
            return extension
    raise ValidationError({"proof": _("Upload a PDF, JPEG or PNG file.")}, code="proof_type")


@transaction.atomic
def item_mark_done(
    *,
    actor: User,
    item: ChecklistItem,
    version: int | None,
    done_on: date | None,
    reference: str = "",
    proof: UploadedFile | None = None,
    today: date | None = None,
) -> ChecklistItem:
    """Mark ``item`` done on ``done_on`` by ``actor``, with an optional reference number and
    an optional file (PDF, JPEG or PNG, at most 10 MB, kept in private storage)."""
    today = today or timezone.localdate()
    item = _lock(item, version)
    _refuse_automatic(item)
    errors: dict[str, str] = {}
    if done_on is None:
        errors["done_on"] = _("Enter the date it was done.")
    elif done_on > today:
        errors["done_on"] = _("The date cannot lie in the future.")
    reference = " ".join((reference or "").split())
    if len(reference) > 100:
        errors["reference"] = _("The reference is at most 100 characters long.")
    extension = ""
    if proof is not None:
        try:
            extension = _proof_extension(proof)
        except ValidationError as error:
            errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors, code="invalid")
    before = audit.snapshot(item, ITEM_FIELDS)
    old_file = item.proof.name if proof is not None else ""
    item.done_on = done_on
    item.done_by = actor
    item.done_by_name = actor.full_name or actor.email
    item.reference = reference
    item.automatic = False
    if proof is not None:
        item.proof_name = (proof.name or "")[:200]
        item.proof.save(f"proof.{extension}", proof, save=False)
    item.version += 1
    item.full_clean(exclude=["contract", "proof"])
    item.save()
    if old_file:
        _delete_after_commit(item, old_file)
    _record(
        actor=actor,
        action="checklist.done",
        item=item,
        changes=audit.diff(before, audit.snapshot(item, ITEM_FIELDS)),
    )
    return item


def _delete_after_commit(item: ChecklistItem, name: str) -> None:
    storage = item.proof.storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def item_reopen(*, actor: User, item: ChecklistItem, version: int | None) -> ChecklistItem:
    """Open ``item`` again: its proof goes (the audit entry keeps what it said)."""
    item = _lock(item, version)
    _refuse_automatic(item)
    if item.done_on is None:
        raise ValidationError(_("This item is still open."), code="already_open")
    before = audit.snapshot(item, ITEM_FIELDS)
    old_file = item.proof.name
    item.done_on = None
    item.done_by = None
    item.done_by_name = ""
    item.reference = ""
    item.proof = ""
    item.proof_name = ""
    item.automatic = False
    item.version += 1
    item.save()
    if old_file:
        _delete_after_commit(item, old_file)
    _record(
        actor=actor,
        action="checklist.reopen",
        item=item,
        changes=audit.diff(before, audit.snapshot(item, ITEM_FIELDS)),
    )
    return item


@transaction.atomic
def item_set_due(
    *, actor: User, item: ChecklistItem, version: int | None, due_on: date | None
) -> ChecklistItem:
    """Another due date for ``item``; it then stays when the contract's start moves. A blocking
    item stays due before the contract's start at the latest."""
    item = _lock(item, version)
    if due_on is None:
        raise ValidationError({"due_on": _("Enter a due date.")}, code="invalid")
    if item.blocking and due_on > item.contract.start_date:
        raise ValidationError(
            {"due_on": _("A blocking item is due on the start date at the latest.")},
            code="invalid",
        )
    before = audit.snapshot(item, ["due_on"])
    item.due_on = due_on
    item.due_set_by_hand = True
    item.version += 1
    item.save(update_fields=["due_on", "due_set_by_hand", "version", "updated_at"])
    _record(
        actor=actor,
        action="checklist.due",
        item=item,
        changes=audit.diff(before, audit.snapshot(item, ["due_on"])),
    )
    return item


@transaction.atomic
def owner_set(
    *, actor: User, partnership: Partnership, code: str, role: str | None
) -> ChecklistOwnerOverride | None:
    """The partnership's own owner of item ``code`` (a team role, or the student); ``None``
    goes back to the RACI task's Responsible."""
    if code not in ChecklistCode.values:
        raise ValidationError({"code": _("Unknown checklist item.")}, code="invalid")
    if role is not None and role not in TEAM_ROLES and role != TeamRole.LEERLING:
        raise ValidationError({"role": _("Choose a role of the duaal team.")}, code="invalid")
    existing = (
        ChecklistOwnerOverride.objects.select_for_update()
        .filter(partnership=partnership, code=code)
        .first()
    )
    old = existing.role if existing else None
    if old == role:
        return existing
    override = None
    if role is None:
        if existing:
            existing.delete()
    elif existing:
        existing.role = role
        existing.save(update_fields=["role"])
        override = existing
    else:
        override = ChecklistOwnerOverride.objects.create(
            partnership=partnership, code=code, role=role
        )
    trail.record(
        actor=actor,
        action="checklist.owner",
        partnership=partnership,
        object_label=str(ChecklistCode(code).label),
        changes={"owner": (old, role)},
    )
    return override
