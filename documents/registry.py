"""What a domain app plugs into the PDF engine: document kinds.

A kind (a ``DocumentKind`` subclass, registered with ``@register_kind`` in
``<app>/documents.py``) says everything about one sort of PDF that the engine cannot know:

* ``code`` — stored in ``GeneratedDocument.kind``: never change it once documents exist;
* ``slug`` — in the request URL, ``/documents/request/<slug>/<subject public id>/``;
* ``label`` — the name people read; ``template_name`` — the template under ``templates/pdf/``;
* ``subject_field`` — which scope column of ``GeneratedDocument`` holds the subject
  (``partnership``, ``traject`` or ``leerfiche``; a row always has exactly one); URLs name
  the subject by its UUID ``public_id``. A subject that is none of these (a recognition) is
  ``subject_field = "subject"``, the generic column: the kind names its model in
  ``subject_model_label`` ("app_label.Model") and the row keeps the primary key in
  ``subject_id`` (no foreign key, so no cascade: the kind's ``subjects_visible_to`` no longer
  lists a deleted subject, and its documents are then nobody's to open);
* who may **request** it (``get_subject_for_user``: fetch and authorise, 404 / 403) and who may
  **download** it (``subjects_visible_to``: the requester still sees the subject, in SQL);
* the template ``context`` (for the requester: ``viewer``, e.g. to leave out what they may
  not read), the page's ``title`` and ``subject_path``, the file name.

The engine (``documents.services``, ``documents.views``) handles the rest: the row, the
``pdf`` queue, the deny-by-default fetcher, private storage and the download. It imports no
domain app; see docs/decisions/0007-engines-and-plugins.md.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise

from accounts.models import User
from duaal.registry import AlreadyRegistered, Registry

# The scope columns (foreign keys) of GeneratedDocument that can hold a document's subject,
# and the generic one (the primary key of any model, in ``subject_id``).
SCOPE_FIELDS = ("partnership", "traject", "leerfiche")
GENERIC_SUBJECT = "subject"
SUBJECT_FIELDS = (*SCOPE_FIELDS, GENERIC_SUBJECT)


class DocumentKind:
    """Base class of a kind of PDF; a plug-in fills in the class attributes and methods."""

    code: ClassVar[str]
    slug: ClassVar[str]
    label: ClassVar[Promise]
    template_name: ClassVar[str]
    subject_field: ClassVar[str]
    subject_model_label: ClassVar[str] = ""  # "app_label.Model", with subject_field "subject"
    # Relations of the subject that ``title``, ``subject_path`` and ``filename_stem`` read
    # (e.g. ``("student",)`` of a traject): loaded with the document on its status page.
    subject_related: ClassVar[tuple[str, ...]] = ()

    @property
    def subject_model(self) -> type[models.Model]:
        """The model of the subject (the related model of ``subject_field``)."""
        if self.subject_field == GENERIC_SUBJECT:
            return apps.get_model(self.subject_model_label)
        document = apps.get_model("documents", "GeneratedDocument")
        return document._meta.get_field(self.subject_field).related_model

    @property
    def subject_column(self) -> str:
        """The column of ``GeneratedDocument`` holding the subject's primary key."""
        return f"{self.subject_field}_id"

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> models.Model:
        """The subject ``user`` asks a PDF of: 404 when not visible, 403 when not allowed."""
        raise NotImplementedError

    def subjects_visible_to(self, *, user: User) -> QuerySet:
        """Subjects whose documents ``user`` (their requester) may still open and download."""
        raise NotImplementedError

    def load_subject(self, *, pk: int) -> models.Model:
        """The subject with what ``context`` needs (for rendering, in the worker)."""
        return self.subject_model._default_manager.get(pk=pk)

    def context(self, *, subject: Any, viewer: User) -> dict[str, Any]:
        """Template context of ``template_name`` for ``viewer`` (the requester), who may see
        ``subject`` (a fixed number of queries)."""
        raise NotImplementedError

    def title(self, subject: Any) -> str:
        """What the document is about, as the status page's heading shows it."""
        return str(subject)

    def subject_path(self, subject: Any) -> str:
        """The page of the subject (the status page's breadcrumb)."""
        raise NotImplementedError

    def filename_stem(self, subject: Any) -> str:
        """The download's file name before slugifying and ``.pdf``."""
        return f"{self.slug}-{subject}"

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self.code!r}>"


kinds: Registry[DocumentKind] = Registry("document kind")


def register_kind[K: type[DocumentKind]](kind_class: K) -> K:
    """Class decorator: register one instance of ``kind_class`` under its ``code``.

    The slug must be unique too (it names the kind in URLs), and the subject must sit in one
    of the scope columns (``SUBJECT_FIELDS``).
    """
    if kind_class.subject_field not in SUBJECT_FIELDS:
        raise ImproperlyConfigured(
            f"{kind_class.__name__}.subject_field must be one of {SUBJECT_FIELDS}."
        )
    if kind_class.subject_field == GENERIC_SUBJECT and "." not in kind_class.subject_model_label:
        raise ImproperlyConfigured(
            f"{kind_class.__name__}.subject_model_label must name the subject's model "
            "(app_label.Model) when subject_field is 'subject'."
        )
    if len(kind_class.code) > 20:  # GeneratedDocument.kind's max_length
        raise ImproperlyConfigured(f"{kind_class.__name__}.code is longer than 20 characters.")
    taken = {kind.slug: code for code, kind in kinds.items()}
    if kind_class.slug in taken:
        raise AlreadyRegistered(
            f"document kind slug {kind_class.slug!r} is already used by {taken[kind_class.slug]!r}."
        )
    kinds.register(kind_class.code, kind_class())
    return kind_class


def kind_choices() -> list[tuple[str, Promise]]:
    """(code, label) of the registered kinds: the choices of ``GeneratedDocument.kind``."""
    return [(kind.code, kind.label) for kind in kinds.values()]


def kind_for_slug(slug: str) -> DocumentKind:
    """The kind named ``slug`` in a URL; 404 when there is none."""
    for kind in kinds.values():
        if kind.slug == slug:
            return kind
    raise Http404
