"""The demo data of evaluation (plug-in of the demo seed, ``duaal.demo``).

* ``evaluation.school_year`` — ten weeks of a school year in progress for the cast (Lotte,
  Mohamed, Emma): self-evaluations, check-ins, a soft-skill round, werkpunten;
* ``evaluation.reminder_cases`` (extra) — in the reminders' separate tenant, a due case of
  every evaluation reminder rule.
"""

from __future__ import annotations

from evaluation.demo import reminder_cases, school_year  # noqa: F401 - registering
