"""Generated documents: one row per requested PDF, rendered by a worker on the ``pdf`` queue.

What a kind of document is (its template, context, who may ask for it) is the business of the
plug-in that registered it (``documents.registry``). The file lives in the default storage
(the private storage root, never under a URL) and is served only by a permission-checked view.
A document belongs to its subject: deleting the partnership or the traject deletes the row
(CASCADE) and, after commit, its file.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.registry import kind_choices, kinds

# A document normally takes a second or two; after this the status page offers a new request.
OVERDUE_AFTER = timedelta(minutes=10)


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RENDERING = "rendering", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentFailure(models.TextChoices):
    """Why a document failed, as the requester reads it (translated when shown)."""

    TIMEOUT = "timeout", _("Rendering took too long.")
    TEMPLATE = "template", _("The template of this document is missing or broken.")
    INTERRUPTED = "interrupted", _("The rendering was interrupted several times.")
    ERROR = "error", _("An unexpected error stopped the rendering.")


def document_upload_to(instance: GeneratedDocument, filename: str) -> str:
    """A generated name: ``documents/<yyyy>/<random uuid>.pdf`` (nothing from the subject)."""
    return f"documents/{timezone.now():%Y}/{uuid.uuid4()}.pdf"


class GeneratedDocument(models.Model):
    """A PDF someone asked for: kind, subject, requester, status and, once ready, the file."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The code of a registered kind (documents.registry); the kinds come from the plug-ins.
    kind = models.CharField(_("kind"), max_length=20, choices=kind_choices)
    # The subject: exactly one of these scope columns, the one its kind names.
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="generated_documents",
    )
    traject = models.ForeignKey(
        "partnerships.Traject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="generated_documents",
    )
    # Catalogue content (not tenant data): a leerfiche, readable by whoever reads its version.
    leerfiche = models.ForeignKey(
        "learning.Leerfiche",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="generated_documents",
    )
    # Any other subject (its kind names the model): its primary key, without a foreign key
    # (docs/decisions/0007-engines-and-plugins.md, "the generic subject column").
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generated_documents"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    file = models.FileField(upload_to=document_upload_to, max_length=200, blank=True)
    failure = models.CharField(
        _("reason"), max_length=20, choices=DocumentFailure.choices, blank=True
    )
    # Technical detail of the failure (exception class, template name), for support.
    error = models.CharField(_("detail"), max_length=500, blank=True)
    # Deliveries of the render task; a worker killed mid-render redelivers it (acks_late).
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="document_requester_idx"),
            models.Index(
                fields=["kind", "subject_id"],
                name="document_subject_idx",
                condition=Q(subject_id__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="document_status_valid"
            ),
            # Which column a kind uses is the kind's (checked by ``document_request``).
            models.CheckConstraint(
                condition=(
                    Q(
                        partnership__isnull=False,
                        traject__isnull=True,
                        leerfiche__isnull=True,
                        subject_id__isnull=True,
                    )
                    | Q(
                        partnership__isnull=True,
                        traject__isnull=False,
                        leerfiche__isnull=True,
                        subject_id__isnull=True,
                    )
                    | Q(
                        partnership__isnull=True,
                        traject__isnull=True,
                        leerfiche__isnull=False,
                        subject_id__isnull=True,
                    )
                    | Q(
                        partnership__isnull=True,
                        traject__isnull=True,
                        leerfiche__isnull=True,
                        subject_id__isnull=False,
                    )
                ),
                name="document_has_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.READY) | ~Q(file=""),
                name="document_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.FAILED) | ~Q(failure=""),
                name="document_failed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def subject(self) -> models.Model:
        if self.partnership_id is not None:
            return self.partnership
        if self.traject_id is not None:
            return self.traject
        if self.leerfiche_id is not None:
            return self.leerfiche
        return kinds[self.kind].load_subject(pk=self.subject_id)

    @property
    def is_finished(self) -> bool:
        return self.status in {DocumentStatus.READY, DocumentStatus.FAILED}

    @property
    def is_overdue(self) -> bool:
        """Still waiting long after the request: the page offers to ask again."""
        return not self.is_finished and self.created_at < timezone.now() - OVERDUE_AFTER
