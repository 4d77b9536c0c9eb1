"""The audit trail's old entries may be deleted by the retention job, and only those.

PostgreSQL's append-only trigger (0001, 0002) now also lets one kind of DELETE through: of a
row older than the moment named in the transaction-local setting ``duaal.purge_audit_before``,
which only ``duaal.audit.delete_expired`` sets (inside its own transaction, from the retention
period of ``duaal.privacy``). A DELETE without the setting, or of a row at or after that
moment, is refused as before; the pseudonymisation exception of 0002 is unchanged.
"""

from importlib import import_module

from django.db import migrations

RETENTION_SQL = """
CREATE OR REPLACE FUNCTION duaal_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    purge_before timestamptz;
BEGIN
    IF TG_OP = 'DELETE' THEN
        purge_before := NULLIF(current_setting('duaal.purge_audit_before', true), '')::timestamptz;
        IF purge_before IS NOT NULL AND OLD.at < purge_before THEN
            RETURN OLD;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE'
       AND current_setting('duaal.pseudonymise', true) = 'on'
       AND NEW.at = OLD.at
       AND NEW.action = OLD.action
       AND NEW.object_type = OLD.object_type
       AND NEW.object_id = OLD.object_id
       AND NEW.actor_kind = OLD.actor_kind
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id
       AND NEW.partnership_id IS NOT DISTINCT FROM OLD.partnership_id
       AND NEW.traject_id IS NOT DISTINCT FROM OLD.traject_id
       AND NEW.student_id IS NOT DISTINCT FROM OLD.student_id
       AND NEW.request_id = OLD.request_id
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'The audit trail is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$;
"""
# Back to migration 0002's function (pseudonymisation only).
PSEUDONYMISE_ONLY_SQL = import_module("duaal.migrations.0002_audit_pseudonymise").PSEUDONYMISE_SQL


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RETENTION_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PSEUDONYMISE_ONLY_SQL)


class Migration(migrations.Migration):
    dependencies = [("duaal", "0002_audit_pseudonymise")]

    operations = [migrations.RunPython(forwards, backwards)]
