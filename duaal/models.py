"""The audit trail's table (written by ``duaal.audit``), append-only.

No foreign keys: an entry must outlive the user, organisation, traject or object it names
(a cascade would delete history, SET_NULL would edit it), so it keeps ids and the labels as
they were. Python refuses updates and deletes here; on PostgreSQL a trigger refuses them too
(migration 0001). Only the erasure procedure of a later issue may pseudonymise values.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    """An attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditTrailIsAppendOnly("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("Audit entries cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditTrailIsAppendOnly("Audit entries cannot be changed.")

    def _raw_delete(self, using: str) -> int:
        raise AuditTrailIsAppendOnly("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    class ActorKind(models.TextChoices):
        USER = "user", _("User")
        SYSTEM = "system", _("System")

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    # who
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind.choices)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True)
    organisation_label = models.CharField(_("organisation"), max_length=200, blank=True)
    # what
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # where it is listed
    partnership_id = models.BigIntegerField(_("partnership id"), null=True, blank=True)
    traject_id = models.BigIntegerField(_("traject id"), null=True, blank=True)
    student_id = models.BigIntegerField(_("student id"), null=True, blank=True)
    # from where
    source = models.CharField(_("source"), max_length=100, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            # The traject page's history: newest first, for one traject (and its student).
            models.Index(fields=["traject_id", "-at", "-id"], name="audit_traject_idx"),
            models.Index(fields=["student_id", "-at", "-id"], name="audit_student_idx"),
            models.Index(fields=["partnership_id", "-at", "-id"], name="audit_partnership_idx"),
            models.Index(fields=["organisation_id", "-at"], name="audit_organisation_idx"),
            models.Index(fields=["actor_id", "-at"], name="audit_actor_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor_kind="system", actor_id__isnull=True)
                | models.Q(actor_kind="user", actor_id__isnull=False),
                name="audit_actor_kind_matches_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label or self.actor_kind} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("Audit entries cannot be deleted.")
