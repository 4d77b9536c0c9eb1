"""Registries of the engines: ordered, typed tables of plug-ins, filled at start-up.

An engine (reminders, documents, agenda, the demo seed) knows no domain. Each domain app
plugs in through a module of its own (``<app>/reminders.py``, ``<app>/documents.py``,
``<app>/agenda.py``, ``<app>/demo.py``) that calls the engine's ``register`` function when it
is imported; the engine's ``AppConfig.ready`` imports that module of every installed app with
``discover`` (docs/decisions/0007-engines-and-plugins.md).

A registry keeps registration order (apps in ``INSTALLED_APPS`` order, then the order inside
each module) and refuses a second entry under a key it already holds: two plug-ins claiming
one rule code or document kind is a mistake to see at start-up, not a silent override.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


class AlreadyRegistered(ImproperlyConfigured):
    """A plug-in used a key another plug-in registered first."""


class Registry[T](Mapping[str, T]):
    """An ordered, read-only mapping ``key -> plug-in`` with one way in: ``register``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        """Add ``item`` under ``key``; ``AlreadyRegistered`` when the key is taken."""
        if not key:
            raise ImproperlyConfigured(f"A {self.name} needs a non-empty key.")
        if key in self._entries:
            raise AlreadyRegistered(
                f"{self.name} {key!r} is already registered (by {self._entries[key]!r})."
            )
        self._entries[key] = item
        return item

    def __getitem__(self, key: str) -> T:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._entries) or 'empty'}>"

    @contextmanager
    def restored(self) -> Iterator[Registry[T]]:
        """Undo, on exit, whatever was registered inside the block (tests that plug in)."""
        saved = dict(self._entries)
        try:
            yield self
        finally:
            self._entries = saved


def discover(module_name: str) -> None:
    """Import ``<app>.<module_name>`` of every installed app that has one, in app order.

    Importing is registering: each plug-in module calls its engine's ``register`` at import
    time. A module imported before is not run again, so calling this twice is harmless.
    """
    autodiscover_modules(module_name)
