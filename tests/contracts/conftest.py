"""Fixtures of the contracts tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from notifications.services.reminders import reminders_sweep


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """``sweep(now)``: the reminder sweep with the clock pinned at ``now``, its mails sent."""

    def _sweep(now: dt.datetime):
        with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep()

    return _sweep
