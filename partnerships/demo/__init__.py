"""The demo data of partnerships (plug-in of the demo seed, ``duaal.demo``).

* ``partnerships.partnerships`` — partnerships A1, A2 and B1 of the demo cast (ARCHITECTURE.md),
  their teams, students, trajects and placements (``cast`` holds the data, ``seed`` the code),
  on the organisations and people of ``organisations.cast``;
* ``partnerships.reminder_cases`` (extra) — a separate tenant in which every reminder rule
  has a due case (``reminder_cases``), left out by ``seed_demo --no-reminder-cases``.
"""

from __future__ import annotations

from duaal import demo


@demo.register("partnerships.partnerships", after=["organisations.cast"])
def cast_partnerships(*, password: str) -> None:
    from partnerships.demo.seed import seed_partnerships

    seed_partnerships()


@demo.register("partnerships.reminder_cases", after=["partnerships.partnerships"], extra=True)
def reminder_cases(*, password: str) -> None:
    # So that `manage.py send_reminders` sends real mail on the demo.
    from partnerships.demo.reminder_cases import seed_reminder_cases

    seed_reminder_cases(password=password)
