"""What every evaluator's column shares: taking it for a save under its optimistic version,
and the lock once it is handed in.

A column is a row with an ``author``, a ``version`` and a hand-in moment (``submitted_at``,
or ``done_at`` for the weekly check-in): the criterion columns of a session
(``Evaluation``), the soft-skill columns of a round and the weekly check-in. Each service
keeps its own values; the rules for taking the row are written once, here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import User


class StaleVersion(ValidationError):
    """Someone saved the same sheet since it was loaded; ``current`` holds what is there now."""

    def __init__(self, message: str, *, current: Any) -> None:
        super().__init__(message, code="stale")
        self.current = current


class Locked(ValidationError):
    """The column was handed in by someone else: only its author may change it."""


def edit_window() -> dt.timedelta:
    """How long the author may change a handed-in column before each change is also kept as
    a correction (``settings.EVALUATION_EDIT_DAYS``)."""
    return dt.timedelta(days=settings.EVALUATION_EDIT_DAYS)


def stale(current: Any) -> StaleVersion:
    return StaleVersion(
        gettext("Someone else saved this sheet just now: check their changes."), current=current
    )


def take_column[ColumnT: models.Model](
    model: type[ColumnT],
    *,
    actor: User,
    version: int | None,
    empty: Any,
    state_of: Callable[[ColumnT], Any],
    handed_in: str = "submitted_at",
    locked: ColumnT | None = None,
    **lookup: Any,
) -> ColumnT:
    """The column ``lookup`` of ``model``, locked for this save (made, at version 0, on the
    first save).

    ``version`` is the one the screen started from (0 for a new column; None skips the check,
    for the demo and the dataset generator): another one raises ``StaleVersion`` with
    ``state_of(column)`` (``empty`` when the column is gone). A column handed in (its
    ``handed_in`` moment set) by someone else raises ``Locked``. ``locked``: the column as
    the caller read it locked (``select_for_update``) in this transaction, not read again.
    """
    column = (
        locked
        if locked is not None
        else model._default_manager.select_for_update().filter(**lookup).first()
    )
    if column is None:
        if version not in (None, 0):
            raise StaleVersion(
                gettext("This sheet was emptied in the meantime: check it again."),
                current=empty,
            )
        return model._default_manager.create(**lookup, author=actor, version=0)
    if version is not None and column.version != version:  # type: ignore[attr-defined]
        raise stale(state_of(column))
    at = getattr(column, handed_in)
    if at is not None and column.author_id != actor.pk:  # type: ignore[attr-defined]
        author = column.author  # type: ignore[attr-defined]
        raise Locked(
            gettext("%(name)s handed this evaluation in on %(date)s: only they can change it.")
            % {
                "name": author.get_full_name() or author.email,
                "date": date_format(timezone.localtime(at), "SHORT_DATE_FORMAT"),
            },
            code="locked",
        )
    return column


def correcting(submitted_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a change now is a correction: the column was handed in longer ago than the
    edit window."""
    return submitted_at is not None and now - submitted_at > edit_window()
