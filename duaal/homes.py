"""The home engine: a home per person, assembled from panels the apps plug in.

The home page answers "what do I do now" for whoever opens it. The engine knows no domain:
each app contributes, in its own ``<app>/homes.py`` (discovered at start-up by
``DuaalConfig.ready``, docs/decisions/0007-engines-and-plugins.md and 0011-role-homes.md):

* **panels** (``Panel`` subclasses, ``@register_panel``): a key, an order, a template, a
  predicate ``applies(viewer)`` ("does this person have this role or need?") and the
  ``context(viewer)`` the template shows. The home renders, in order, every panel that
  applies; a person with several roles sees each of their panels.
* **navigation items** (``NavItem`` subclasses, ``@register_nav``): the main menu shows an
  item only when ``applies(viewer)``: never a link to a page that would be empty or
  forbidden for that person. With a shared cache the entries are kept per person
  (``nav_for``): an item whose answer depends on rows other than grants, memberships and
  students' names and contacts must call ``invalidate_navigation()`` when those change.
* **actions** in a named slot of another app's panel (``@register_actions(slot, key)``):
  e.g. the evaluation app's weekly check-in beside each student of the mentor's week
  (slot ``MENTOR_WEEK_SLOT``). A provider answers for all rows at once, in a fixed number of
  queries.

Access questions are the plug-in's app's to answer (``partnerships/permissions.py``); the
engine only orders and renders. A ``Viewer`` is made once per request and shared by the
menu and the home, so a fact two plug-ins need ("does this person see any traject?") is
computed once (``Viewer.remember``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar, Protocol, cast

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise, SimpleLazyObject

from accounts.models import User
from duaal.registry import Registry

# The slot beside each student on the mentor's week (the evaluation issue's weekly check-in).
MENTOR_WEEK_SLOT = "mentor_week.student"


@dataclass
class Viewer:
    """The person looking at the home or the menu, on ``today``, with a per-request memo."""

    user: User
    today: date
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def remember[T](self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per viewer (per request): plug-ins share facts through it."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def week_start(self) -> date:
        """The Monday of the working week the home shows: this week, or on a Saturday or
        Sunday the coming one (what a mentor plans then)."""
        monday = self.today - timedelta(days=self.today.weekday())
        return monday + timedelta(days=7) if self.today.weekday() >= 5 else monday

    @property
    def week_days(self) -> list[date]:
        """Monday to Friday of ``week_start``'s week."""
        return [self.week_start + timedelta(days=offset) for offset in range(5)]


VIEWER_ATTRIBUTE = "_duaal_home_viewer"


def viewer_for(request: HttpRequest) -> Viewer:
    """The request's viewer (made on first use, then shared by the menu and the home)."""
    viewer = getattr(request, VIEWER_ATTRIBUTE, None)
    if viewer is None:
        # Only for signed-in people: the home is login_required, the menu asks first.
        viewer = Viewer(user=cast(User, request.user), today=timezone.localdate())
        setattr(request, VIEWER_ATTRIBUTE, viewer)
    return viewer


# --- Panels ---------------------------------------------------------------------------------


class Panel:
    """One block of the home. Subclasses set ``key``, ``order``, ``template_name`` and
    implement ``applies``; ``context`` gives the template its ``panel`` variable."""

    key: ClassVar[str]
    order: ClassVar[int] = 100
    template_name: ClassVar[str]

    def applies(self, viewer: Viewer) -> bool:
        """Whether ``viewer`` has the role or need this panel serves (cheap; use the memo)."""
        raise NotImplementedError

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        """What the template shows, in a number of queries that does not grow with rows."""
        return {}

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self.key!r}>"


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template_name: str
    context: Mapping[str, Any]


panels: Registry[Panel] = Registry("home panel")


def register_panel[P: type[Panel]](panel_class: P) -> P:
    """Class decorator: register one instance of ``panel_class`` under its ``key``."""
    panels.register(panel_class.key, panel_class())
    return panel_class


def _ordered[I: Panel | NavItem](items: Registry[I]) -> list[I]:
    # Stable: equal orders keep registration order (apps in INSTALLED_APPS order).
    return sorted(items.values(), key=lambda item: item.order)


def panels_for(viewer: Viewer) -> list[RenderedPanel]:
    """The panels that apply to ``viewer``, in order, with their context."""
    return [
        RenderedPanel(panel.key, panel.template_name, panel.context(viewer))
        for panel in _ordered(panels)
        if panel.applies(viewer)
    ]


# --- Navigation -----------------------------------------------------------------------------


class NavItem:
    """One entry of the main menu. ``label`` and ``url`` may depend on the viewer (a parent's
    "Traject van Lotte"); ``testid`` names it for the tests."""

    key: ClassVar[str]
    order: ClassVar[int] = 100
    testid: ClassVar[str] = ""

    def applies(self, viewer: Viewer) -> bool:
        raise NotImplementedError

    def label(self, viewer: Viewer) -> str | Promise:
        raise NotImplementedError

    def url(self, viewer: Viewer) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self.key!r}>"


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str | Promise
    url: str
    testid: str
    current: bool = False


nav_items: Registry[NavItem] = Registry("navigation item")


def register_nav[N: type[NavItem]](item_class: N) -> N:
    """Class decorator: register one instance of ``item_class`` under its ``key``."""
    nav_items.register(item_class.key, item_class())
    return item_class


def _nav_entries(viewer: Viewer) -> list[tuple[str, str, str, str]]:
    """(key, label, url, testid) of every menu entry ``viewer`` can use, labels translated."""
    return [
        (item.key, str(item.label(viewer)), item.url(viewer), item.testid)
        for item in _ordered(nav_items)
        if item.applies(viewer)
    ]


# The menu's answers are access questions (about five permission-filtered queries, a third of
# a simple page's CPU), asked again on every page. With ``DUAAL_NAV_CACHE_SECONDS`` > 0 (on
# when a cache shared by every process is configured, ``DUAAL_CACHE_URL``) the entries are
# kept per person, language and *navigation version*; every change that may change someone's
# menu bumps the version (``invalidate_navigation``: grants, memberships, students' names and
# contacts), which abandons every kept menu at once. The timeout bounds what a change made
# outside the services (a raw SQL statement, the database shell) can leave behind. The menu is
# no access decision: every page it opens checks the person's rights itself.
NAV_VERSION_KEY = "duaal:nav:version"


def _nav_cache_seconds() -> int:
    return int(getattr(settings, "DUAAL_NAV_CACHE_SECONDS", 0) or 0)


def _read_nav_version() -> int:
    version = cache.get(NAV_VERSION_KEY)
    if version is None:
        # A fresh cache (or an evicted key): start from a value no earlier entry can carry.
        version = time.time_ns()
        cache.add(NAV_VERSION_KEY, version, timeout=None)
        version = cache.get(NAV_VERSION_KEY, version)
    return int(version)


# Within a request (between Django's ``request_started`` and ``request_finished``) the version
# is read once and a person's kept entries are fetched together, in one ``get_many`` of every
# name this process has kept so far: two cache round trips for the menu, the switcher and the
# rest, instead of two per entry. Outside a request (a job, the shell) nothing is remembered.
_request_memo: ContextVar[dict[Any, Any] | None] = ContextVar("duaal_kept", default=None)
_kept_names: set[str] = set()


@receiver(request_started)
def _request_begins(**kwargs: Any) -> None:
    _request_memo.set({})


@receiver(request_finished)
def _request_ends(**kwargs: Any) -> None:
    _request_memo.set(None)


def _nav_version() -> int:
    memo = _request_memo.get()
    if memo is None:
        return _read_nav_version()
    if "version" not in memo:
        memo["version"] = _read_nav_version()
    return int(memo["version"])


def invalidate_navigation() -> None:
    """Forget every kept menu (now, and again when the current transaction commits: a menu
    computed meanwhile from the old rows must not outlive the change)."""
    if not _nav_cache_seconds():
        return

    def bump() -> None:
        try:
            cache.incr(NAV_VERSION_KEY)
        except ValueError:  # no version yet: the next reader starts a new one
            cache.add(NAV_VERSION_KEY, time.time_ns(), timeout=None)
        memo = _request_memo.get()
        if memo is not None:
            memo.clear()  # this request reads the new version and the entries again

    bump()
    transaction.on_commit(bump)


def keeps_per_person() -> bool:
    """Whether ``kept_per_person`` keeps anything (a shared cache is configured)."""
    return bool(_nav_cache_seconds())


def _kept_key(name: str, user_pk: int, version: int) -> str:
    return f"duaal:{name}:{user_pk}:{translation.get_language()}:{version}"


def kept_per_person[T](name: str, user_pk: int, compute: Callable[[], T]) -> T:
    """``compute()``, kept like the menu (per person, language and navigation version, for
    ``DUAAL_NAV_CACHE_SECONDS``) when a shared cache is configured: for what the page's frame
    shows on every page and only changes with the menu's sources (e.g. the organisation
    switcher's memberships). Never for an access decision."""
    seconds = _nav_cache_seconds()
    if not seconds:
        return compute()
    version = _nav_version()
    key = _kept_key(name, user_pk, version)
    memo = _request_memo.get()
    if memo is None:
        value = cache.get(key)
    else:
        fetched = memo.get(("fetched", user_pk))
        if fetched is None:
            _kept_names.add(name)
            keys = {_kept_key(n, user_pk, version): n for n in _kept_names}
            found = cache.get_many(list(keys))
            fetched = memo[("fetched", user_pk)] = {keys[k]: v for k, v in found.items()}
            memo[("asked", user_pk)] = set(keys.values())
        value = fetched.get(name)
        if value is None and name not in memo[("asked", user_pk)]:
            _kept_names.add(name)  # new to this process: fetched with the others next time
            memo[("asked", user_pk)].add(name)
            value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=seconds)
        if memo is not None and ("fetched", user_pk) in memo:
            memo[("fetched", user_pk)][name] = value
    return cast(T, value)


def nav_for(viewer: Viewer, *, path: str = "") -> list[NavLink]:
    """The menu entries ``viewer`` can use; ``current`` marks the one ``path`` is under."""
    entries = kept_per_person("nav", viewer.user.pk, lambda: _nav_entries(viewer))
    return [
        NavLink(
            key=key,
            label=label,
            url=url,
            testid=testid,
            current=bool(path) and url != "/" and path.startswith(url),
        )
        for key, label, url, testid in entries
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``main_nav``, computed only when a template renders the menu."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"main_nav": SimpleLazyObject(lambda: nav_for(viewer_for(request), path=request.path))}


# --- Actions in a slot of another app's panel -------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A link offered beside a row of a panel (a real page, never a placeholder)."""

    label: str | Promise
    url: str
    primary: bool = False
    testid: str = ""


class ActionProvider(Protocol):
    def __call__(self, *, viewer: Viewer, subjects: list[Any]) -> Mapping[int, list[Action]]:
        """Actions per subject primary key, for all ``subjects`` at once (fixed queries)."""
        ...


@dataclass(frozen=True)
class SlotEntry:
    slot: str
    provider: ActionProvider


actions: Registry[SlotEntry] = Registry("home action provider")


def register_actions(slot: str, key: str) -> Callable[[ActionProvider], ActionProvider]:
    """Decorator: ``provider`` offers actions in ``slot`` (e.g. ``MENTOR_WEEK_SLOT``)."""

    def decorator(provider: ActionProvider) -> ActionProvider:
        actions.register(key, SlotEntry(slot, provider))
        return provider

    return decorator


def actions_for(slot: str, *, viewer: Viewer, subjects: list[Any]) -> dict[int, list[Action]]:
    """{subject pk: actions} from every provider of ``slot``, in registration order."""
    found: dict[int, list[Action]] = {}
    if not subjects:
        return found
    for entry in actions.values():
        if entry.slot != slot:
            continue
        for pk, offered in entry.provider(viewer=viewer, subjects=subjects).items():
            found.setdefault(pk, []).extend(offered)
    return found
