from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from partnerships.models.partnerships import Partnership


class StudentImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking")
    INVALID = "invalid", _("Errors found")
    VALID = "valid", _("Ready to import")
    IMPORTED = "imported", _("Imported")


class StudentImport(models.Model):
    """A CSV upload of students: checked row by row in the background, imported all at once.

    ``rows`` holds one entry per data row: ``{"row": <spreadsheet row>, "values": {...},
    "errors": [{"code": ..., "params": {...}}]}``. Errors are stored as codes and rendered in
    the reader's language (see ``partnerships.services.imports.row_error_message``).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="student_imports"
    )
    # Trajects are started in this partnership when the rows are imported (optional).
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="student_imports",
        verbose_name=_("partnership"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StudentImportStatus.choices,
        default=StudentImportStatus.VALIDATING,
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list)
    imported_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("student import")
        verbose_name_plural = _("student imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=StudentImportStatus.values),
                name="student_import_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")),
                name="student_import_progress_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100
        return int(self.processed_rows * 100 / self.total_rows)
