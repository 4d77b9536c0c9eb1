"""What the contracts services tell the apps above them (the dashboards keep their summaries
with it; docs/decisions/0023-dashboard-summaries.md). No receiver lives here."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the service's transaction, with its ONE audit entry, whenever a contract or an
# item of its start checklist changed (drawn up, updated, signed, registered, started,
# suspended, resumed, ended, taken over; an item done, reopened, given another due date),
# with ``contract`` (the contract as saved) and ``traject_id``. A receiver runs in the same
# transaction: if it raises, the change is undone.
contract_changed = Signal()
