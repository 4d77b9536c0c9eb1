"""The PDFs of learning (plug-in of the PDF engine, ``documents``): one module per kind."""

from __future__ import annotations

from learning.documents import bedrijfsfiches, catalogue, plans  # noqa: F401 - registering
