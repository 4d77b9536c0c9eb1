"""PDF kinds of learning: plans (registered with ``documents.registry``)."""

from __future__ import annotations
