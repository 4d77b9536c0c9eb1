"""The demo data of evaluation (plug-in of the demo seed, ``duaal.demo``)."""

from __future__ import annotations

from evaluation.demo import school_year  # noqa: F401 - registering
