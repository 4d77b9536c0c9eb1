"""The daily expiry job (Celery beat) and a mentor's personal data (``recognition/privacy.py``,
decision 0016): in the subject-access export as JSON and PDF, and gone after an erasure."""

from __future__ import annotations

import datetime as dt
import io
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from duaal import privacy
from duaal.celery import app
from duaal.models import AuditEntry
from recognition.models import MentorProfile, Recognition, RecognitionStatus

pytestmark = pytest.mark.django_db


def test_the_daily_job_expires_recognitions_past_their_validity(demo_cast):
    from recognition.tasks import expire_recognitions

    entry = app.conf.beat_schedule["expire-recognitions"]
    assert entry["task"] == expire_recognitions.name == "recognition.expire_recognitions"
    # The demo's recognitions are all valid today: nothing expires.
    assert expire_recognitions() == 0
    old = Recognition.objects.get(
        vestiging__vestigingsnummer="2234567125", opleiding__code="lasser-monteerder"
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    Recognition.objects.filter(pk=old.pk).update(valid_until=yesterday)
    assert expire_recognitions.delay().get() == 1  # eager without a broker, as the beat runs it
    old.refresh_from_db()
    assert (old.status, old.ended_on) == (RecognitionStatus.EXPIRED, timezone.localdate())
    entry = AuditEntry.objects.get(action="recognition.expire", object_id=str(old.pk))
    assert entry.actor_id is None
    assert expire_recognitions() == 0  # once


# --- personal data --------------------------------------------------------------------------

MENTOR = "mentor@vandenberghe.demo"  # Patrick Hermans, born 1976-04-18 (recognition/demo.py)
PROOF = "diploma-lassen-hermans.pdf"


@pytest.fixture
def mentor(demo_cast) -> User:
    user = User.objects.get(email=MENTOR)
    profile = MentorProfile.objects.get(user=user)
    profile.prior_education_proof.save(PROOF, ContentFile(b"%PDF-1.4 diploma"), save=True)
    return user


def test_a_mentor_finds_their_profile_in_their_own_export(client, login, mentor):
    login(MENTOR)
    data = json.loads(client.get(reverse("partnerships:my_data_json")).content)
    [profile] = data["sections"]["mentor_profile"]["rows"]
    assert profile["geboortedatum"] == "1976-04-18"
    assert profile["uittreksel uit het strafregister"]
    assert PROOF in json.dumps(profile)
    assert "strafregister" in data["sections"]["mentor_profile"]["note"]
    named = data["sections"]["recognitions"]["rows"]
    assert {row["opleiding"] for row in named} == {"Lassen-Constructie duaal"}
    response = client.get(reverse("partnerships:my_data_pdf"))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Mentorprofiel" in text


def test_someone_without_a_profile_has_no_mentor_sections(demo_cast):
    person = privacy.Person(label="Koen", user_id=User.objects.get(email="coord@sintjozef.demo").pk)
    keys = {section.key for section in privacy.collect(person, internal=False)}
    assert "mentor_profile" not in keys and "recognitions" not in keys


def _dump() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                parts.append(" | ".join(str(value) for value in row))
    return "\n".join(parts)


def test_erasing_a_mentor_removes_the_profile_and_its_proofs(mentor):
    profile = MentorProfile.objects.get(user=mentor)
    stored = profile.prior_education_proof.name
    storage = profile.prior_education_proof.storage
    assert storage.exists(stored)
    assert "1976-04-18" in _dump() and PROOF in _dump()
    done = privacy.erase(privacy.Person(label="Patrick", user_id=mentor.pk))
    assert done["recognition.mentor"] == 1
    assert not MentorProfile.objects.filter(user=mentor).exists()
    assert not storage.exists(stored)
    after = _dump()
    assert "1976-04-18" not in after and PROOF not in after
    # The recognition stays, naming the (anonymised) account.
    assert Recognition.objects.filter(mentors=mentor).exists()
    assert dt.date(1976, 4, 18) not in MentorProfile.objects.values_list("birth_date", flat=True)
