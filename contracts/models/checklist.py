"""The start checklist of a contract (brochure chapter 5, "Aanvang van het duale traject").

One ``ChecklistItem`` per contract and item code: what must be in order before the student's
first company day, with its due date (derived from the contract's start), whether it blocks the
start, and its proof (date, who, a reference number and/or an uploaded file in private storage).
Which items a contract has follows from the contract (``contracts.checklist.item_specs``:
Dimona only for an OAO, the company's civil liability insurance only for an SOAO, …); the rows
are created and kept in step with the contract by ``contracts.checklist.sync_checklist``.

The owner of an item is not stored on the item: it is the Responsible (R) of the matching RACI
task of the partnership, or — when the partnership set one — the role of a
``ChecklistOwnerOverride`` (see ``contracts.checklist.owners``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models.contracts import Contract
from duaal.validators import no_control_characters
from partnerships.models import Partnership, TeamRole


class ChecklistCode(models.TextChoices):
    INTAKE = "intake", _("Intake conversation of company, student and school")
    AGREEMENTS = "afsprakenkader", _("Agreements framework")
    SIGNED = "signed", _("Contract signed by every party before the start")
    REGISTERED = "registered", _("Registered on the Werkplek duaal loket")
    DIMONA = "dimona", _("Dimona declaration by the employer")
    RISK_ANALYSIS = "risicoanalyse", _("Risk analysis and werkpostfiche")
    HEALTH = "gezondheidstoezicht", _("Health surveillance")
    WELCOME = "onthaal", _("Documented welcome")
    INSURANCE = "verzekering", _("Work accident insurance")
    LIABILITY = "ba_verzekering", _("Civil liability insurance of the company")
    WORK_CLOTHES = "werkkledij", _("Work clothes and personal protective equipment")


def proof_path(instance: ChecklistItem, filename: str) -> str:
    # Never the uploaded name: a random name under the private storage root.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"checklist/{uuid.uuid4().hex}.{extension}"


class ChecklistItem(models.Model):
    """One item of a contract's start checklist, open or done with its proof."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="checklist_items")
    code = models.CharField(_("item"), max_length=30, choices=ChecklistCode.choices)
    blocking = models.BooleanField(_("blocks the start"), default=False)
    due_on = models.DateField(_("due date"))
    # A due date set by hand stays when the contract's start moves.
    due_set_by_hand = models.BooleanField(default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who did it as the proof shows it (kept when the account goes).
    done_by_name = models.CharField(
        _("done by"), max_length=200, blank=True, validators=[no_control_characters]
    )
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, validators=[no_control_characters]
    )
    proof = models.FileField(_("proof"), upload_to=proof_path, max_length=200, blank=True)
    proof_name = models.CharField(max_length=200, blank=True)
    # Closed by the contract itself (signed, registered) or taken over with the contract.
    automatic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("start checklist item")
        verbose_name_plural = _("start checklist items")
        ordering = ["contract", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "code"], name="checklist_item_once_per_contract"
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(done_by_name=""),
                name="checklist_item_done_says_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.contract})"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class ChecklistOwnerOverride(models.Model):
    """A partnership's own owner of a checklist item, instead of the RACI task's Responsible."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="checklist_owners"
    )
    code = models.CharField(_("item"), max_length=30, choices=ChecklistCode.choices)
    role = models.CharField(_("owner"), max_length=30, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("start checklist owner")
        verbose_name_plural = _("start checklist owners")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "code"], name="checklist_owner_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.code} → {self.role}"
