"""What a domain app plugs into the agenda engine: event providers.

A provider (registered in ``<app>/agenda.py`` with ``@register_provider("<app>.<name>")``) is
called as ``provider(user=..., start=..., end=...)`` and returns the ``AgendaEvent`` items in
[start, end] (inclusive dates) that concern ``user`` and that ``user`` may see at this moment;
the access question is the provider's app's to answer. It runs a constant number of queries,
whatever the number of events, and gives every event a stable ``uid``. The engine merges the
providers' events, sorts them by day and serves them on the calendar page and the iCal feed.

An **audience** (registered with ``@register_audience("<app>.<name>")``, usually beside the
providers) answers cheaply whether a viewer (``duaal.homes.Viewer``) may have events from that
app at all: the main menu offers the agenda only to people for whom it is not always empty.

The engine imports no domain app; see docs/decisions/0007-engines-and-plugins.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Protocol

from accounts.models import User
from agenda.events import AgendaEvent
from duaal.homes import Viewer
from duaal.registry import Registry


class EventProvider(Protocol):
    def __call__(self, *, user: User, start: date, end: date) -> Iterable[AgendaEvent]: ...


providers: Registry[EventProvider] = Registry("agenda event provider")


def register_provider(key: str) -> Callable[[EventProvider], EventProvider]:
    """Decorator: register the function as the event provider ``key``."""

    def decorator(provider: EventProvider) -> EventProvider:
        providers.register(key, provider)
        return provider

    return decorator


class Audience(Protocol):
    def __call__(self, viewer: Viewer) -> bool: ...


audiences: Registry[Audience] = Registry("agenda audience")


def register_audience(key: str) -> Callable[[Audience], Audience]:
    """Decorator: register the function as the audience ``key`` (see the module's doc)."""

    def decorator(audience: Audience) -> Audience:
        audiences.register(key, audience)
        return audience

    return decorator


def has_agenda(viewer: Viewer) -> bool:
    """Whether some app may have agenda events for ``viewer``."""
    return any(audience(viewer) for audience in audiences.values())
