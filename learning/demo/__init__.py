"""The demo data of learning (plug-in of the demo seed, ``duaal.demo``).

* ``learning.catalogue`` — the sector body's leerfiche sets (``learning/seeds/``), published;
* ``learning.plans`` — A1 and A2 adopt them, with a full opleidingsplan and one deliberate gap;
* ``learning.bedrijfsfiches`` — Metaalbouw Vandenberghe's two bedrijfsfiches in A1.

Each part lives in its own module and registers itself on import.
"""

from __future__ import annotations

from learning.demo import bedrijfsfiches, catalogue, plans  # noqa: F401 - registering
