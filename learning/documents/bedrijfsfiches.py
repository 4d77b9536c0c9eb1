"""PDF kinds of learning: bedrijfsfiches (registered with ``documents.registry``)."""

from __future__ import annotations
