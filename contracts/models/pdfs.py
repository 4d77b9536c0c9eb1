"""The contract PDFs that were shown for signing and the signed one (issue 11, signatures).

A party signs the SHA-256 of the exact PDF the signing screen shows. That PDF is rendered
**once per contract version**, stored in private storage and never rewritten: the row keeps its
hash, and a file whose bytes no longer hash to it is refused (``contracts.pdf``). When every
required party has signed, the PDF with all signatures printed in the block is stored the same
way (``kind = signed``). Rows are never updated; a new contract version gets new rows.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models.contracts import Contract, sha256_hex


class PdfKind(models.TextChoices):
    TO_SIGN = "to_sign", _("Contract to sign")
    SIGNED = "signed", _("Signed contract")


def contract_pdf_upload_to(instance: ContractPdf, filename: str) -> str:
    """``contracts/<yyyy>/<contract uuid>/v<version>-<kind>-<hash>.pdf`` (nothing personal)."""
    return (
        f"contracts/{timezone.now():%Y}/{instance.contract.public_id}/"
        f"v{instance.contract_version}-{instance.kind}-{instance.sha256}.pdf"
    )


class ContractPdf(models.Model):
    """One stored, immutable PDF of one version of a contract."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="pdfs")
    contract_version = models.PositiveIntegerField(_("contract version"))
    kind = models.CharField(_("kind"), max_length=10, choices=PdfKind.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64, validators=[sha256_hex])
    file = models.FileField(upload_to=contract_pdf_upload_to, max_length=250)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract PDF")
        verbose_name_plural = _("contract PDFs")
        ordering = ["contract", "contract_version", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "contract_version", "kind"],
                name="contract_pdf_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.contract_version} ({self.sha256[:12]})"
