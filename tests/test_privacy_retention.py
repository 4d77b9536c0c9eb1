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


def test_only_invitations_finished_before_the_period_are_deleted(demo_cast):
    """An account invitation that expired more than a year ago goes; one that expired last
    month stays (the retention runs from the end of the invitation)."""
    lotte, emma = Student.objects.get(first_name="Lotte"), Student.objects.get(first_name="Emma")
    now = timezone.now()
    old = AccountInvitation.objects.create(
        student=lotte, email="oud@example.org", token_hash="a" * 64, expires_at=now
    )
    recent = AccountInvitation.objects.create(
        student=emma, email="recent@example.org", token_hash="b" * 64, expires_at=now
    )
    AccountInvitation.objects.filter(pk=old.pk).update(
        created_at=now - dt.timedelta(days=400), expires_at=now - dt.timedelta(days=386)
    )
    AccountInvitation.objects.filter(pk=recent.pk).update(
        created_at=now - dt.timedelta(days=44), expires_at=now - dt.timedelta(days=30)
    )
    before = set(AccountInvitation.objects.values_list("pk", flat=True))
    assert privacy.purge(now, apply=False)["invitations"] >= 1
    privacy.purge(now, apply=True)
    assert not AccountInvitation.objects.filter(pk=old.pk).exists()
    assert AccountInvitation.objects.filter(pk=recent.pk).exists()
    assert set(AccountInvitation.objects.values_list("pk", flat=True)) == before - {old.pk}


def test_the_nightly_job_is_scheduled():
    from duaal.celery import app

    assert app.conf.beat_schedule["purge-expired"]["task"] == "duaal.purge_expired"
