"""PDF kinds of learning: catalogue (registered with ``documents.registry``)."""

from __future__ import annotations
