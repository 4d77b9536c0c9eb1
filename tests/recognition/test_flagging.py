"""An existing placement that loses eligibility is flagged to its coordinators, never changed
(issue 12, item 5): the reminder rule ``placement_ineligible``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.models import User
from notifications.registry import rules
from partnerships.models import Placement
from partnerships.selectors.mentors import placements_losing_eligibility
from recognition import services
from recognition.models import MentorProfile, Recognition, RecognitionStatus

pytestmark = pytest.mark.django_db


def test_no_demo_placement_is_flagged(demo_cast):
    assert placements_losing_eligibility(today=timezone.localdate()) == {}
    assert rules["placement_ineligible"].evaluate(now=timezone.now()) == []


def test_a_withdrawn_recognition_flags_the_placements_to_their_coordinators(demo_cast):
    recognition = Recognition.objects.get(
        vestiging__vestigingsnummer="2234567125",
        opleiding__code="lassen-constructie",
        status=RecognitionStatus.RECOGNISED,
    )
    before = list(Placement.objects.order_by("pk").values())
    services.recognition_withdraw(
        actor=User.objects.get(email="consulent@sector.demo"),
        recognition=recognition,
        reason="Sanctie.",
    )
    today = timezone.localdate()
    flagged = placements_losing_eligibility(today=today)
    at_vandenberghe = set(
        Placement.objects.filter(vestiging=recognition.vestiging, end_date__gte=today).values_list(
            "pk", flat=True
        )
    )
    assert at_vandenberghe and set(flagged) == at_vandenberghe
    with translation.override("nl-be"):
        reasons = placements_losing_eligibility(today=today)
    assert all("niet erkend" in r[0] for _p, r in reasons.values())
    candidates = rules["placement_ineligible"].evaluate(now=timezone.now())
    recipients = {User.objects.get(pk=c.recipient_id).email for c in candidates}
    assert "coord@sintjozef.demo" in recipients  # R of "contracten" in A1
    assert {c.subject_id for c in candidates} == at_vandenberghe
    # Flagged, never changed.
    assert list(Placement.objects.order_by("pk").values()) == before


def test_an_overdue_training_flags_the_mentors_placement(demo_cast):
    mentor = User.objects.get(email="mentor@daems.demo")
    MentorProfile.objects.filter(user=mentor).update(
        introduction_session_on=None, deepening_session_on=None
    )
    emma = Placement.objects.get(traject__student__first_name="Emma")
    with translation.override("nl-be"):
        _placement, [reason] = placements_losing_eligibility(today=timezone.localdate())[emma.pk]
    assert "Jan Smets" in reason and "mentoropleiding" in reason


def test_an_expiring_recognition_flags_only_once_it_no_longer_covers_the_placement(demo_cast):
    recognition = Recognition.objects.get(
        vestiging__vestigingsnummer="2345678249", opleiding__code="elektromechanische-technieken"
    )
    emma = Placement.objects.get(traject__student__first_name="Emma")
    Recognition.objects.filter(pk=recognition.pk).update(valid_until=emma.end_date)
    assert emma.pk not in placements_losing_eligibility(today=timezone.localdate())
    Recognition.objects.filter(pk=recognition.pk).update(
        valid_until=emma.end_date - timedelta(days=1)
    )
    assert emma.pk in placements_losing_eligibility(today=timezone.localdate())
