"""The audit trail: one append-only row per state change made by a service.

Services call ``record`` once per change; the request it came from (id, IP address, method,
path, user agent) is read from a context variable that ``AuditContextMiddleware`` sets, so no
service takes a request argument. Background work runs under ``system_context`` (Celery tasks
automatically, see ``duaal.celery``; management commands by decorating ``handle``) and is
recorded with the actor "system".

The engine knows no domain: the apps say which objects, actions and fields they record, and
how the entries are shown (``partnerships/audit.py``). Why this is hand-written rather than a
library: docs/decisions/0005-audit-trail.md.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
import ipaddress
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import Promise

if TYPE_CHECKING:
    from duaal.models import AuditEntry

SYSTEM = "system"
USER_AGENT_MAX = 300
PATH_MAX = 500
LABEL_MAX = 200


@dataclass(frozen=True)
class AuditContext:
    """Where the current work comes from: a web request, a task or a command."""

    source: str = SYSTEM  # "web", "task <name>", "command <name>", or "system"
    request_id: str = ""
    ip_address: str | None = None
    method: str = ""
    path: str = ""
    user_agent: str = ""


_SYSTEM_CONTEXT = AuditContext()
_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "duaal_audit_context", default=None
)


def current_context() -> AuditContext:
    """The context of the current work; outside any request, task or command: the system."""
    return _context.get() or _SYSTEM_CONTEXT


@contextlib.contextmanager
def use_context(context: AuditContext) -> Iterator[AuditContext]:
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


class system_context(contextlib.ContextDecorator):
    """Run the block (or decorated function) as background work: the actor is "system".

    ``source`` names the work, e.g. ``"command seed_demo"``; ``request_id`` may carry a task id.
    """

    def __init__(self, source: str, *, request_id: str = "") -> None:
        self.source = source
        self.request_id = request_id
        self._tokens: list[contextvars.Token[AuditContext | None]] = []

    def _recreate_cm(self) -> system_context:
        # A decorated function gets a fresh context manager per call (threads, recursion).
        return type(self)(self.source, request_id=self.request_id)

    def __enter__(self) -> AuditContext:
        context = AuditContext(
            source=self.source[:100], request_id=self.request_id[:64] or uuid.uuid4().hex
        )
        self._tokens.append(_context.set(context))
        return context

    def __exit__(self, *exc: object) -> None:
        _context.reset(self._tokens.pop())


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind ``DUAAL_PROXY_COUNT`` proxies, the address the
    outermost trusted proxy saw (each proxy appends to X-Forwarded-For, so it is the
    N-th entry from the right; entries further left come from the client and are not
    trusted), else REMOTE_ADDR. None when that is not an IP address."""
    proxies = getattr(settings, "DUAAL_PROXY_COUNT", 0) or 0
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def throttle_client_ip(request: HttpRequest) -> str | None:
    """The address login throttling (django-axes) and the password-reset throttle key on:
    ``client_ip``, falling back to REMOTE_ADDR so a malformed header never merges clients.
    None when neither is an IP address (a request built in code, such as the test client's
    ``login``): axes stores the address in an IP column, which PostgreSQL checks."""
    found = client_ip(request)
    if found:
        return found
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def context_from_request(request: HttpRequest, *, request_id: str) -> AuditContext:
    return AuditContext(
        source="web",
        request_id=request_id,
        ip_address=client_ip(request),
        method=request.method or "",
        path=request.path[:PATH_MAX],
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
    )


# --- values ------------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """A JSON-serialisable form of a field value, readable without the database.

    Model instances become ``{"id": pk, "label": str(obj)}`` (the label as it was then, in the
    site's language);
    dates ISO strings; decimals and UUIDs strings; choices their stored value.
    """
    if value is None or isinstance(value, bool | int | float | str):
        if isinstance(value, enum.Enum):  # TextChoices members are str: store the value
            return value.value
        return value
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": _label(value)}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return json_value(value.value)
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [json_value(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON values of ``fields`` of ``obj`` now (foreign keys as id + label)."""
    return {name: json_value(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{field: (old, new)}`` for the fields whose JSON value differs."""
    names = list(dict.fromkeys([*before, *after]))
    return {
        name: (before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    }


def created(values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Changes of a new object: every non-empty value, from nothing."""
    return {name: (None, value) for name, value in values.items() if value not in (None, "", [])}


def deleted(values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Changes of a removed object: every non-empty value, to nothing."""
    return {name: (value, None) for name, value in values.items() if value not in (None, "", [])}


# --- recording ---------------------------------------------------------------------------


def _label(value: Any) -> str:
    """``str(value)`` in the site's language: stored labels do not depend on who acted."""
    if value is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)[:LABEL_MAX]


def record(
    *,
    action: str,
    actor: Any = None,
    organisation: models.Model | None = None,
    obj: models.Model | None = None,
    object_label: str | Promise | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    partnership: models.Model | int | None = None,
    traject: models.Model | int | None = None,
    student: models.Model | int | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail, in the caller's transaction.

    ``actor`` is the acting user, or None for the system (then the context's source tells
    which task or command). ``organisation`` is the one the actor acted for. ``obj`` is the
    object changed (type, id and label are stored, not a foreign key: the trail outlives the
    object and never cascades). ``changes`` maps field names to ``(old, new)``; the values are
    made JSON-serialisable here. ``partnership``, ``traject`` and ``student`` (instances or
    ids) are the scopes under which the entry is listed.
    """
    entry = _build(
        action=action,
        actor=actor,
        organisation=organisation,
        obj=obj,
        object_label=object_label,
        changes=changes,
        partnership=partnership,
        traject=traject,
        student=student,
    )
    pending = _batch.get()
    if pending is not None:
        pending.entries.append(entry)
    else:
        entry.save()
    return entry


@dataclass
class _Batch:
    entries: list[AuditEntry]
    memo: dict[Any, Any]


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar(
    "duaal_audit_batch", default=None
)


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Within the block, ``record`` collects its entries and they are written in one INSERT
    when the block ends without an error (a service that changes several objects at once,
    such as the weekly check-in). Use it inside the service's transaction: the entries then
    commit or roll back with the changes. Nested blocks join the outermost one."""
    from duaal.models import AuditEntry

    if _batch.get() is not None:
        yield
        return
    batch = _Batch(entries=[], memo={})
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    if batch.entries:
        AuditEntry.objects.bulk_create(batch.entries)


def batch_memo() -> dict[Any, Any] | None:
    """A dict that lives as long as the current ``batched`` block (None outside one): what
    the entries of one service call share, such as the organisation an actor acts for."""
    pending = _batch.get()
    return pending.memo if pending is not None else None


def record_many(entries: Iterable[Mapping[str, Any]]) -> None:
    """``record`` for many objects in one INSERT (bulk services such as the CSV import);
    each item holds the keyword arguments of ``record``."""
    from duaal.models import AuditEntry

    AuditEntry.objects.bulk_create([_build(**kwargs) for kwargs in entries])


def _build(
    *,
    action: str,
    actor: Any = None,
    organisation: models.Model | None = None,
    obj: models.Model | None = None,
    object_label: str | Promise | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    partnership: models.Model | int | None = None,
    traject: models.Model | int | None = None,
    student: models.Model | int | None = None,
) -> AuditEntry:
    from duaal.models import AuditEntry

    context = current_context()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor_kind=AuditEntry.ActorKind.USER if is_user else AuditEntry.ActorKind.SYSTEM,
        actor_id=actor.pk if is_user else None,
        actor_label=_label(actor) if is_user else "",
        organisation_id=organisation.pk if organisation is not None else None,
        organisation_label=_label(organisation),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=_label(object_label if object_label is not None else obj),
        changes={
            name: [json_value(old), json_value(new)] for name, (old, new) in (changes or {}).items()
        },
        partnership_id=_pk(partnership),
        traject_id=_pk(traject),
        student_id=_pk(student),
        source=context.source,
        request_id=context.request_id,
        ip_address=context.ip_address,
        method=context.method,
        path=context.path,
        user_agent=context.user_agent,
    )


def _pk(value: models.Model | int | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return value.pk


# --- erasure ------------------------------------------------------------------------------------

ERASED = "[verwijderd]"


def _scrub(value: Any) -> Any:
    """Every value blanked, its shape kept: a change stays visible, its content does not."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Mapping):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return ERASED


def pseudonymise(
    *, about: Iterable[int] = (), by: Iterable[int] = (), actor_label: str = ""
) -> int:
    """Pseudonymise the audit entries of an erased person (GDPR art. 17, docs/privacy.md).

    Entries ``about`` (their pks: the entries listed under the person) lose their object label
    and the values of their changes; entries ``by`` the person lose the actor's name (replaced
    by ``actor_label``, their role), IP address and user agent. What happened, when, and the
    ids stay. The one path that may change audit rows: on PostgreSQL the trigger admits it only
    inside this transaction's ``duaal.pseudonymise`` setting (migration duaal/0002).
    """
    from duaal.models import AuditEntry

    about, by = set(about), set(by)
    if not about and not by:
        return 0
    changed = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('duaal.pseudonymise', 'on', true)")
        for entry in AuditEntry.objects.filter(pk__in=about | by).only(
            "pk", "changes", "object_label", "actor_label"
        ):
            values: dict[str, Any] = {}
            if entry.pk in about:
                values["changes"] = _scrub(entry.changes)
                values["object_label"] = ERASED
            if entry.pk in by:
                values["actor_label"] = actor_label[:LABEL_MAX]
                values["ip_address"] = None
                values["user_agent"] = ""
            # The queryset's own update() refuses audit rows; this is the sanctioned bypass.
            changed += models.QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), **values)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('duaal.pseudonymise', 'off', true)")
    return changed


def delete_expired(*, before: dt.datetime) -> int:
    """Delete the audit entries recorded before ``before`` (the retention job, docs/privacy.md);
    the number deleted.

    The one path that may delete audit rows: the queryset refuses ``delete``, so this runs its
    own DELETE, and on PostgreSQL the trigger admits it only for rows older than this
    transaction's ``duaal.purge_audit_before`` (migration duaal/0003), set here and cleared
    before the transaction goes on. SQLite has no trigger; the same statement runs there.
    """
    from duaal.models import AuditEntry

    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT set_config('duaal.purge_audit_before', %s, true)", [before.isoformat()]
            )
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [before])  # noqa: S608
        deleted = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('duaal.purge_audit_before', '', true)")
    return deleted


def count_expired(*, before: dt.datetime) -> int:
    """How many audit entries were recorded before ``before`` (the retention job's dry run)."""
    from duaal.models import AuditEntry

    return AuditEntry.objects.filter(at__lt=before).count()
