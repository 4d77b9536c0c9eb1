"""Audit-trail retention (docs/privacy.md): the purge deletes entries older than the
configured period (``DUAAL_RETENTION_DAYS["audit_trail"]``, 5 years by default) and nothing
else; every other DELETE stays refused — by the model's guards everywhere and, on PostgreSQL,
by the trigger, whose one exception (migration duaal/0003) holds only inside the purge."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from duaal import audit, privacy
from duaal.models import AuditEntry, AuditTrailIsAppendOnly

FIVE_YEARS = dt.timedelta(days=5 * 365)
DELETE_SQL = "DELETE FROM duaal_auditentry WHERE id = %s"


def _entry_at(at: dt.datetime) -> AuditEntry:
    return AuditEntry.objects.create(
        at=at, actor_kind=AuditEntry.ActorKind.SYSTEM, action="traject.update"
    )


@pytest.fixture
def entries(db):
    """An entry just past the five years, one just inside them and one of today."""
    now = timezone.now()
    return {
        "old": _entry_at(now - FIVE_YEARS - dt.timedelta(days=1)),
        "edge": _entry_at(now - FIVE_YEARS + dt.timedelta(days=1)),
        "new": _entry_at(now),
    }


def _left(entries) -> set[str]:
    kept = set(AuditEntry.objects.values_list("pk", flat=True))
    return {name for name, entry in entries.items() if entry.pk in kept}


def _refused(*statements: tuple[str, list]) -> bool:
    """Whether PostgreSQL refuses the statements, run in one savepoint, with the trigger's
    error (rolled back either way)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


def _purge_moment() -> str:
    """The trigger's exception as the connection has it now ('' or unset: closed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('duaal.purge_audit_before', true)")
        return cursor.fetchone()[0] or ""


def test_the_purge_deletes_only_entries_past_the_retention(entries):
    now = timezone.now()
    assert privacy.purge(now, apply=False)["audit_trail"] == 1
    assert _left(entries) == {"old", "edge", "new"}  # a dry run deletes nothing
    assert privacy.purge(now, apply=True)["audit_trail"] == 1
    assert _left(entries) == {"edge", "new"}
    assert privacy.purge(now, apply=True)["audit_trail"] == 0


def test_the_period_comes_from_the_settings(entries):
    now = timezone.now()
    with override_settings(DUAAL_RETENTION_DAYS={"audit_trail": 6 * 365}):
        assert privacy.purge(now, apply=True)["audit_trail"] == 0
    assert _left(entries) == {"old", "edge", "new"}
    with override_settings(DUAAL_RETENTION_DAYS={"audit_trail": 30}):
        assert privacy.purge(now, apply=True)["audit_trail"] == 2
    assert _left(entries) == {"new"}


def test_the_nightly_command_purges_the_trail_and_leaves_it_closed(entries):
    out = io.StringIO()
    call_command("purge_expired", "--apply", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("audit_trail"))
    assert line.split()[1] == "1"
    assert _left(entries) == {"edge", "new"}
    # The command ran inside the test's transaction, which is still open: the purge cleared
    # its moment, so the trigger's exception is closed again for what follows.
    if connection.vendor == "postgresql":
        assert _purge_moment() == ""
        assert _refused((DELETE_SQL, [entries["edge"].pk]))
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entries["edge"].pk).delete()
    assert _left(entries) == {"edge", "new"}


def test_a_plain_delete_is_still_refused(entries):
    """The Python guards on every database; the queryset never deletes, old or new."""
    for entry in entries.values():
        with pytest.raises(AuditTrailIsAppendOnly):
            entry.delete()
        with pytest.raises(AuditTrailIsAppendOnly):
            AuditEntry.objects.filter(pk=entry.pk).delete()
    assert _left(entries) == {"old", "edge", "new"}


def test_postgresql_admits_a_delete_only_of_rows_before_the_purge_moment(entries):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only (SQLite: the Python guards)")
    old, new = entries["old"], entries["new"]
    cutoff = (old.at + dt.timedelta(days=1)).isoformat()
    set_cutoff = ("SELECT set_config('duaal.purge_audit_before', %s, true)", [cutoff])
    # Without the setting: refused, however old the row.
    assert _refused((DELETE_SQL, [old.pk]))
    # The pseudonymisation's setting does not open it.
    pseudonymise = ("SELECT set_config('duaal.pseudonymise', 'on', true)", [])
    assert _refused(pseudonymise, (DELETE_SQL, [old.pk]))
    # With the purge's moment set, a row at or after it stays refused...
    assert _refused(set_cutoff, (DELETE_SQL, [new.pk]))
    # ... and an UPDATE is no purge.
    update = ("UPDATE duaal_auditentry SET action = 'x' WHERE id = %s", [old.pk])
    assert _refused(set_cutoff, update)
    assert _left(entries) == {"old", "edge", "new"}
    assert AuditEntry.objects.get(pk=old.pk).action == "traject.update"
    # The purge service: its moment, its DELETE, and the moment cleared afterwards.
    assert audit.delete_expired(before=old.at + dt.timedelta(days=1)) == 1
    assert _left(entries) == {"edge", "new"}
    assert _purge_moment() == ""
    assert _refused((DELETE_SQL, [entries["edge"].pk]))
