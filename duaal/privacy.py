"""The personal-data engine: what each app holds about one person, for the subject-access
export (GDPR art. 15 and 20). docs/privacy.md is the inventory it follows.

The engine knows no domain. Each app declares, in its own ``<app>/privacy.py`` (discovered at
start-up), a ``Provider`` that collects the rows it keeps about a ``Person``: a user account,
a student file, or both (an adult student with an account). ``collect`` asks every provider in
order and returns labelled sections; ``as_json`` and the readable PDF template
(``templates/privacy/export.html``) present them. Who may export whom is an access question
answered by ``partnerships.permissions``; the view that serves the export writes the audit
trail. ``erase`` is the other half: each provider anonymises or deletes what it keeps about
the person when the law allows it (the caller decides that).

``internal`` says whether the team's internal text (``partnerships.sharing``) is included:
yes when the school's coordinator exports (they decide what to hand over), no when the
student or a parent downloads their own copy (the product never shows them internal notes;
the export says they can ask the school for them).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.functional import Promise

from duaal.registry import Registry


@dataclass(frozen=True)
class Person:
    """One data subject: their account (``user_id``) and/or their student file
    (``student_id``, opaque to the engine), with a name to print."""

    label: str
    user_id: int | None = None
    student_id: int | None = None


@dataclass
class Section:
    """Rows of one kind of data (e.g. "Evaluaties"), each a mapping of label → value."""

    key: str
    title: str | Promise
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str | Promise = ""


class Provider:
    """What one app holds about a person. Subclasses set ``key`` and ``order`` and implement
    ``collect``; they return only sections with rows."""

    key: ClassVar[str]
    order: ClassVar[int] = 100

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        raise NotImplementedError

    def purge(self, now: dt.datetime, *, apply: bool) -> dict[str, int]:
        """What passed its retention period (``retention(kind)``): {kind: rows}; with
        ``apply``, anonymise or delete them (``manage.py purge_expired``, the nightly job)."""
        return {}

    def erase(self, person: Person) -> int:
        """Erase or anonymise what this app keeps about ``person`` (GDPR art. 17); the rows
        changed. Called inside the erasure's transaction, providers in their order (the audit
        trail's provider comes last)."""
        return 0


providers: Registry[Provider] = Registry("personal data provider")


def register_provider[P: type[Provider]](provider_class: P) -> P:
    providers.register(provider_class.key, provider_class())
    return provider_class


def collect(person: Person, *, internal: bool) -> list[Section]:
    sections: list[Section] = []
    for provider in sorted(providers.values(), key=lambda item: item.order):
        sections.extend(section for section in provider.collect(person, internal=internal))
    return [section for section in sections if section.rows]


def erase(person: Person) -> dict[str, int]:
    """Every provider's ``erase``, in order; {provider key: rows changed}. The caller
    (a service that checked the law allows it) holds the transaction and writes the audit."""
    done: dict[str, int] = {}
    for provider in sorted(providers.values(), key=lambda item: item.order):
        done[provider.key] = provider.erase(person)
    return done


# Retention periods in days, per kind of data (docs/privacy.md); DUAAL_RETENTION_DAYS in the
# settings overrides any of them.
RETENTION_DAYS: dict[str, int] = {
    "student_file": 5 * 365,  # after the end of the traject's school year (or its early end)
    "reminders": 365,  # sent, cancelled or failed reminders, and read notifications
    "documents": 90,  # generated PDFs (regenerated on demand)
    "student_imports": 30,  # uploaded class lists (their raw rows)
    "invitations": 365,  # accepted, withdrawn or expired invitations
    "calendar_feeds": 30,  # after being withdrawn
    "login_attempts": 30,  # the login throttle's records
    "audit_trail": 5 * 365,  # audit entries, from the moment they were recorded
}


def retention(kind: str) -> dt.timedelta:
    from django.conf import settings

    days = {**RETENTION_DAYS, **getattr(settings, "DUAAL_RETENTION_DAYS", {})}[kind]
    return dt.timedelta(days=days)


def purge(now: dt.datetime, *, apply: bool) -> dict[str, int]:
    """Every provider's ``purge``: {kind: rows past their retention} (anonymised or deleted
    when ``apply``)."""
    found: dict[str, int] = {}
    for provider in sorted(providers.values(), key=lambda item: item.order):
        for kind, count in provider.purge(now, apply=apply).items():
            found[kind] = found.get(kind, 0) + count
    return found


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | Promise):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return str(value)


def as_json(person: Person, sections: list[Section], *, generated_at: dt.datetime) -> bytes:
    document = {
        "person": person.label,
        "generated_at": _plain(generated_at),
        "sections": {
            section.key: {
                "title": str(section.title),
                **({"note": str(section.note)} if section.note else {}),
                "rows": [_plain(row) for row in section.rows],
            }
            for section in sections
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
