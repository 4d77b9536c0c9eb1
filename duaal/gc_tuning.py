"""Garbage-collector settings for a long-running web process (issue 13, decision 0022).

A request allocates tens of thousands of short-lived objects (querysets, model instances,
template nodes' contexts); with CPython's default first-generation threshold (2 000) the
collector runs dozens of times per request, and every third older collection walks the whole
heap: Django, the URL resolvers, the compiled templates, the translations, none of which is
ever garbage. ``tune()``, called once the application is loaded, moves everything that exists
by then to the permanent generation (``gc.freeze()``: never scanned again) and raises the
first threshold, so the collector runs a few times per request over young objects only.
Reference cycles are still collected; only less often.

``DUAAL_GC_THRESHOLD`` (default 50 000; ``0`` leaves the collector as CPython sets it).
"""

from __future__ import annotations

import gc
import os

DEFAULT_THRESHOLD = 50_000


def tune(environ: os._Environ[str] | dict[str, str] = os.environ) -> bool:
    """Freeze what exists and raise the first threshold; False (nothing changed) when
    ``DUAAL_GC_THRESHOLD`` is 0."""
    raw = environ.get("DUAAL_GC_THRESHOLD", "").strip()
    threshold = int(raw) if raw else DEFAULT_THRESHOLD
    if threshold <= 0:
        return False
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(threshold, second, third)
    return True
