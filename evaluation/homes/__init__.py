"""The evaluation part of the role homes (plug-in of ``duaal.homes``): the student's day
(``day``), the weekly check-in beside each student of the mentor's week (``mentor``), the
team's review links (``team``). Each module registers itself on import."""

from __future__ import annotations

from evaluation.homes import day, mentor, team  # noqa: F401 - registering
