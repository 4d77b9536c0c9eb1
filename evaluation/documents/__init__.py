"""The PDFs of evaluation (plug-in of the PDF engine, ``documents``): one module per kind."""

from __future__ import annotations

from evaluation.documents import opdracht, report, softskills  # noqa: F401 - registering
