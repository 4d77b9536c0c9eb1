"""What the evaluation services tell the apps above them (the dashboards keep their summaries
with it; docs/decisions/0023-dashboard-summaries.md). No receiver lives here: the evaluation
app never imports the apps that listen."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the service's transaction, after the change and its audit entry, whenever a
# traject's evaluation rows changed, with:
# * ``traject_id`` — the traject;
# * ``kind`` — "criteria" (a column of a practice session: V/O marks, answers, submission),
#   "checkin" (a weekly check-in), "soft_skills" (a soft-skill column) or "werkpunt" (opened,
#   closed, reopened);
# * ``on`` — the day the change is about (the session's date, the check-in's Monday), or None;
# * ``leerfiche_key`` — the session's leerfiche ("" for the other kinds);
# * ``period_id`` — the soft-skill round's period (None for the other kinds);
# * ``marks_changed`` — V/O marks were added, changed or removed;
# * ``handed_in`` — a column or check-in was handed in ("Klaar", "Bewaren") by this save.
# Sent only when one of these, or a werkpunt, changed: an autosave of answers, measurements or
# behaviour ratings sends nothing. A receiver runs in the same transaction: if it raises, the
# save is undone.
evaluation_saved = Signal()

CRITERIA = "criteria"
CHECKIN = "checkin"
SOFT_SKILLS = "soft_skills"
WERKPUNT = "werkpunt"


def send_saved(
    *,
    traject_id: int,
    kind: str,
    on: object = None,
    leerfiche_key: str = "",
    period_id: int | None = None,
    marks_changed: bool = False,
    handed_in: bool = False,
) -> None:
    evaluation_saved.send(
        sender=kind,
        traject_id=traject_id,
        kind=kind,
        on=on,
        leerfiche_key=leerfiche_key,
        period_id=period_id,
        marks_changed=marks_changed,
        handed_in=handed_in,
    )
