"""Retention (docs/privacy.md): ``purge_expired`` lists what passed its period and, with
``--apply``, anonymises student files and deletes the rest; a dry run changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from duaal import privacy
from duaal.models import AuditEntry
from partnerships.models import AccountInvitation, Partnership, Student, StudentImport


@pytest.fixture
def old_emma(demo_cast):
    """Emma's partnership (A2) ran in 2015-2016: her file is past the five years."""
    emma = Student.objects.get(first_name="Emma")
    Partnership.objects.filter(trajects__student=emma).update(school_year=2015)
    return emma


def _purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_and_changes_nothing(old_emma):
    entries = AuditEntry.objects.count()
    output = _purge()
    assert "student_file" in output and "dry run" in output
    line = next(line for line in output.splitlines() if line.startswith("student_file"))
    assert line.split()[1] == "1"
    assert Student.objects.get(pk=old_emma.pk).first_name == "Emma"
    assert AuditEntry.objects.count() == entries


def test_apply_anonymises_expired_files_only(old_emma):
    output = _purge("--apply")
    assert "purged" in output
    assert Student.objects.get(pk=old_emma.pk).first_name == "[verwijderd]"
    assert Student.objects.get(first_name="Lotte")  # this year's students stay
    entry = AuditEntry.objects.get(action="privacy.erase")
    assert entry.actor_kind == AuditEntry.ActorKind.SYSTEM
    assert entry.source == "command purge_expired"
    # Nothing left to do: a second run finds nothing.
    assert privacy.purge(timezone.now(), apply=False)["student_file"] == 0


def test_other_kinds_follow_their_own_period(demo_cast):
    school = Student.objects.get(first_name="Lotte").school
    student_import = StudentImport.objects.create(
        school=school, file_name="klas.csv", rows=[{"row": 2, "values": {"voornaam": "X"}}]
    )
    StudentImport.objects.filter(pk=student_import.pk).update(
        created_at=timezone.now() - dt.timedelta(days=31)
    )
    found = privacy.purge(timezone.now(), apply=False)
    assert found["student_imports"] == 1
    with override_settings(DUAAL_RETENTION_DAYS={"student_imports": 60}):
        assert privacy.purge(timezone.now(), apply=False)["student_imports"] == 0
    privacy.purge(timezone.now(), apply=True)
    assert StudentImport.objects.get(pk=student_import.pk).rows == []
    assert (
        AccountInvitation.objects.filter(
            expires_at__lt=timezone.now() - dt.timedelta(days=365)
        ).count()
        == 0
    )


def test_the_nightly_job_is_scheduled():
    from duaal.celery import app

    assert app.conf.beat_schedule["purge-expired"]["task"] == "duaal.purge_expired"
