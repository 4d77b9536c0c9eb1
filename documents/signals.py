"""A deleted document takes its file along, once the deletion is committed.

Rows go with their subject (CASCADE), which the ORM does in bulk: this receiver is the one
place that also sees those deletions. Removing the file only after commit keeps it when the
deletion is rolled back.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from documents.models import GeneratedDocument


@receiver(post_delete, sender=GeneratedDocument, dispatch_uid="documents.delete_file")
def delete_file_with_document(sender, instance: GeneratedDocument, **kwargs: Any) -> None:  # noqa: ANN001
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    transaction.on_commit(lambda: storage.delete(name))
