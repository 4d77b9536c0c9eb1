"""The demo seed engine: ``python manage.py seed_demo`` runs every app's demo contribution.

An app adds its part of the demo in ``<app>/demo.py`` (discovered at start-up by
``DuaalConfig.ready``) with ``@register("<app>.<part>", after=(...))`` on a function
``run(*, password: str) -> DemoReport | None``. A contribution must be idempotent (running the
seed again updates the same rows, it never adds a second copy), must keep the demo cast of
ARCHITECTURE.md as it is (later features extend the demo, they never rename the cast) and runs
inside the one transaction of ``seed_demo``.

Order: a contribution runs after those named in ``after`` (which must be registered), and
otherwise in registration order (``INSTALLED_APPS`` order, then the order in the module).
``extra=True`` marks data outside the documented cast (a separate tenant for the reminders);
``seed_demo --no-reminder-cases`` leaves those out.

This module imports no domain app; see docs/decisions/0007-engines-and-plugins.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from duaal.registry import Registry

DEFAULT_PASSWORD = "duaal-demo"


@dataclass(frozen=True)
class DemoReport:
    """What ``seed_demo`` prints about a contribution: a line, and accounts to log in with."""

    summary: str = ""
    accounts: Sequence[tuple[str, str]] = ()  # (e-mail, who) in the order to list them


@dataclass(frozen=True)
class DemoContribution:
    key: str
    run: Callable[..., DemoReport | None]  # run(*, password: str)
    after: tuple[str, ...] = ()
    extra: bool = False


contributions: Registry[DemoContribution] = Registry("demo contribution")


def register(
    key: str, *, after: Sequence[str] = (), extra: bool = False
) -> Callable[[Callable[..., DemoReport | None]], Callable[..., DemoReport | None]]:
    """Decorator: register the function as the demo contribution ``key``."""

    def decorator(run: Callable[..., DemoReport | None]) -> Callable[..., DemoReport | None]:
        contributions.register(key, DemoContribution(key, run, tuple(after), extra))
        return run

    return decorator


def ordered(*, include_extra: bool = True) -> list[DemoContribution]:
    """The contributions in the order to run them: each after those it names in ``after``,
    otherwise in registration order. ``ImproperlyConfigured`` for an unknown or circular
    ``after``. With ``include_extra=False`` the extras, and whatever runs after one, are left
    out."""
    for contribution in contributions.values():
        missing = [key for key in contribution.after if key not in contributions]
        if missing:
            raise ImproperlyConfigured(
                f"demo contribution {contribution.key!r} runs after {missing}, "
                "which no installed app registers."
            )
    pending = list(contributions.values())
    left_out = set() if include_extra else {c.key for c in pending if c.extra}
    result: list[DemoContribution] = []
    done: set[str] = set()
    while pending:
        ready = next((c for c in pending if set(c.after) <= done | left_out), None)
        if ready is None:
            raise ImproperlyConfigured(
                f"demo contributions wait for each other: {[c.key for c in pending]}"
            )
        pending.remove(ready)
        if ready.key in left_out or set(ready.after) & left_out:
            left_out.add(ready.key)
        else:
            result.append(ready)
            done.add(ready.key)
    return result
