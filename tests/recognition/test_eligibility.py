"""Mentor eligibility on each boundary (issue 12, item 4) and recognition validity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from accounts.models import User
from learning.models import Opleiding
from learning.reference import ensure_opleidingen
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from recognition.models import ExtractStatus, MentorProfile, Recognition, RecognitionStatus
from recognition.selectors import (
    add_years,
    mentor_eligibility,
    recognition_gap,
    recognition_valid,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 10, 1)


@pytest.fixture
def company() -> Organisation:
    return Organisation.objects.create(
        kind=OrganisationKind.COMPANY,
        name="Staalwerken Peeters",
        ondernemingsnummer="0566988259",
        paritair_comite="111",
    )


@pytest.fixture
def vestiging(company) -> Vestiging:
    return Vestiging.objects.create(
        organisation=company, vestigingsnummer="2234567125", name="Peeters – Genk"
    )


@pytest.fixture
def opleiding() -> Opleiding:
    ensure_opleidingen()
    return Opleiding.objects.get(code="lassen-constructie")


@pytest.fixture
def mentor(company) -> User:
    user = User.objects.create_user(email="mentor@peeters.test", full_name="Piet Peeters")
    Membership.objects.create(user=user, organisation=company)
    return user


def eligible_profile(mentor: User, **overrides) -> MentorProfile:
    values = {
        "birth_date": date(1980, 5, 1),
        "experience_years": 10,
        "extract_status": ExtractStatus.CLEAN,
        "extract_issued_on": ON - timedelta(days=30),
        "extract_checked_on": ON - timedelta(days=20),
        "introduction_session_on": ON - timedelta(days=100),
        "deepening_session_on": ON - timedelta(days=90),
        **overrides,
    }
    return MentorProfile.objects.update_or_create(user=mentor, defaults=values)[0]


def codes(mentor: User, **kwargs) -> list[str]:
    return [unmet.code for unmet in mentor_eligibility(mentor, **kwargs)]


def test_an_eligible_mentor_meets_every_condition(mentor):
    eligible_profile(mentor)
    assert mentor_eligibility(mentor, on=ON) == []


def test_without_a_profile_the_mentor_is_not_eligible(mentor):
    with translation.override("nl-be"):
        [unmet] = mentor_eligibility(mentor, on=ON)
    assert unmet.code == "profile"
    assert "Piet Peeters" in unmet.reason


@pytest.mark.parametrize(
    ("birth_date", "proof", "eligible"),
    [
        (date(2001, 10, 1), False, True),  # 25 today
        (date(2001, 10, 2), False, False),  # 25 tomorrow
        (date(2001, 10, 2), True, True),  # 24, with proof
        (date(2003, 10, 1), True, True),  # 23 today, with proof
        (date(2003, 10, 2), True, False),  # 22, even with proof
        (date(2003, 10, 1), False, False),  # 23 without proof
    ],
)
def test_age_boundaries(mentor, birth_date, proof, eligible):
    profile = eligible_profile(mentor, birth_date=birth_date)
    if proof:
        profile.prior_education_proof.save("diploma.pdf", ContentFile(b"%PDF-1.4"))
    assert ("age" not in codes(mentor, on=ON)) is eligible


@pytest.mark.parametrize(
    ("years", "exemption", "eligible"),
    [(5, False, True), (4, False, False), (4, True, True), (None, False, False)],
)
def test_experience_boundaries(mentor, years, exemption, eligible):
    profile = eligible_profile(mentor, experience_years=years)
    if exemption:
        profile.experience_exemption_proof.save("vrijstelling.pdf", ContentFile(b"%PDF-1.4"))
    assert ("experience" not in codes(mentor, on=ON)) is eligible


@pytest.mark.parametrize(("days", "eligible"), [(365, True), (366, False)])
def test_extract_at_most_a_year_before_the_request(mentor, days, eligible):
    requested = date(2026, 6, 15)
    eligible_profile(mentor, extract_issued_on=requested - timedelta(days=days))
    assert ("extract" not in codes(mentor, on=ON, requested_on=requested)) is eligible


def test_the_request_naming_the_mentor_is_the_reference(mentor, vestiging, opleiding):
    """Without ``requested_on``, the extract is checked against the mentor's request."""
    requested = date(2026, 6, 15)
    recognition = Recognition.objects.create(
        company=vestiging.organisation,
        vestiging=vestiging,
        opleiding=opleiding,
        ondernemingsnummer="0566988259",
        vestigingsnummer=vestiging.vestigingsnummer,
        status=RecognitionStatus.RECOGNISED,
        submitted_on=requested,
        decided_on=requested + timedelta(days=20),
        valid_until=add_years(requested, 5),
    )
    recognition.mentors.add(mentor)
    eligible_profile(mentor, extract_issued_on=requested - timedelta(days=366))
    assert "extract" in codes(mentor, on=ON)
    eligible_profile(mentor, extract_issued_on=requested - timedelta(days=365))
    assert "extract" not in codes(mentor, on=ON)


def test_an_unchecked_or_negative_extract_is_unmet(mentor):
    eligible_profile(mentor, extract_status="")
    assert "extract" in codes(mentor, on=ON)
    eligible_profile(mentor, extract_status=ExtractStatus.NOT_CLEAN)
    assert "extract" in codes(mentor, on=ON)


def test_training_due_one_year_after_the_recognition(mentor):
    recognised = date(2025, 9, 1)
    eligible_profile(mentor, introduction_session_on=None, deepening_session_on=None)
    due = date(2026, 9, 1)
    assert "training" not in codes(mentor, on=due, recognised_on=recognised)
    assert "training" in codes(mentor, on=due + timedelta(days=1), recognised_on=recognised)
    # Half a day is not the training: both sessions make the certificate.
    eligible_profile(mentor, introduction_session_on=date(2026, 3, 1), deepening_session_on=None)
    assert "training" in codes(mentor, on=due + timedelta(days=1), recognised_on=recognised)
    eligible_profile(
        mentor, introduction_session_on=date(2026, 3, 1), deepening_session_on=date(2026, 4, 1)
    )
    assert "training" not in codes(mentor, on=due + timedelta(days=1), recognised_on=recognised)


def test_every_unmet_condition_is_listed_with_a_dutch_reason(mentor):
    eligible_profile(
        mentor,
        birth_date=date(2005, 1, 1),
        experience_years=2,
        extract_status="",
        introduction_session_on=None,
        deepening_session_on=None,
    )
    with translation.override("nl-be"):
        unmet = mentor_eligibility(mentor, on=ON, recognised_on=date(2025, 1, 1))
    assert [u.code for u in unmet] == ["age", "experience", "extract", "training"]
    reasons = " ".join(u.reason for u in unmet)
    assert "jaar ervaring" in reasons
    assert "mentoropleiding" in reasons


def test_recognition_valid_for_five_years_from_the_decision(vestiging, opleiding):
    decided = date(2024, 9, 1)
    Recognition.objects.create(
        company=vestiging.organisation,
        vestiging=vestiging,
        opleiding=opleiding,
        ondernemingsnummer="0566988259",
        vestigingsnummer=vestiging.vestigingsnummer,
        status=RecognitionStatus.RECOGNISED,
        decided_on=decided,
        valid_until=add_years(decided, 5) - timedelta(days=1),
    )
    assert not recognition_valid(
        vestiging=vestiging, opleiding=opleiding, on=decided - timedelta(1)
    )
    assert recognition_valid(vestiging=vestiging, opleiding=opleiding, on=decided)
    assert recognition_valid(vestiging=vestiging, opleiding=opleiding, on=date(2029, 8, 31))
    assert not recognition_valid(vestiging=vestiging, opleiding=opleiding, on=date(2029, 9, 1))
    other = Opleiding.objects.get(code="lasser-monteerder")
    assert not recognition_valid(vestiging=vestiging, opleiding=other, on=decided)
    assert recognition_gap(
        vestiging=vestiging, opleiding=opleiding, start=date(2029, 1, 1), end=date(2029, 12, 1)
    ) == date(2029, 9, 1)
    assert (
        recognition_gap(
            vestiging=vestiging, opleiding=opleiding, start=decided, end=date(2029, 8, 31)
        )
        is None
    )
