"""The personal-data engine: what each app holds about one person, for the subject-access
export (GDPR art. 15 and 20). docs/privacy.md is the inventory it follows.

The engine knows no domain. Each app declares, in its own ``<app>/privacy.py`` (discovered at
start-up), a ``Provider`` that collects the rows it keeps about a ``Person``: a user account,
a student file, or both (an adult student with an account). ``collect`` asks every provider in
order and returns labelled sections; ``as_json`` and the readable PDF template
(``templates/privacy/export.html``) present them. Who may export whom is an access question
answered by ``partnerships.permissions``; the view that serves the export writes the audit
trail.

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


providers: Registry[Provider] = Registry("personal data provider")


def register_provider[P: type[Provider]](provider_class: P) -> P:
    providers.register(provider_class.key, provider_class())
    return provider_class


def collect(person: Person, *, internal: bool) -> list[Section]:
    sections: list[Section] = []
    for provider in sorted(providers.values(), key=lambda item: item.order):
        sections.extend(section for section in provider.collect(person, internal=internal))
    return [section for section in sections if section.rows]


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
