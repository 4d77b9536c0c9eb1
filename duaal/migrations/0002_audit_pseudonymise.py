"""The audit trail may be pseudonymised (GDPR erasure), and only that.

PostgreSQL's append-only trigger (0001) now lets one kind of UPDATE through: inside a
transaction that set ``duaal.pseudonymise = 'on'`` (``duaal.audit.pseudonymise``), and only
when the row keeps what happened — its time, action, object type and id, actor kind and id
and its scopes. Labels, changed values, IP address and user agent may be blanked; DELETE stays
refused. SQLite relies on the model's guards (docs/decisions/0005-audit-trail.md).
"""

from django.db import migrations

PSEUDONYMISE_SQL = """
CREATE OR REPLACE FUNCTION duaal_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION duaal_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'The audit trail is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PSEUDONYMISE_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


class Migration(migrations.Migration):
    dependencies = [("duaal", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
