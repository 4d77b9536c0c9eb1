"""Demo data of learning: catalogue (registered with ``duaal.demo``; see learning/demo/__init__.py)."""

from __future__ import annotations
