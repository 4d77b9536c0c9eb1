"""The blocking checks "geldige erkenning" and "erkende mentor" hold the start (issue 12 item 5, issue 11 item 4):
``contracts/start_checks.py`` asks recognition's rules of each placement of a contract that
has not started; the coordinator reads exactly which condition, in Dutch, with its owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contracts.checklist import blocking_items, extra_blocking
from contracts.models import Contract
from contracts.services import lifecycle
from partnerships.models import Placement
from recognition.models import MentorProfile, Recognition, RecognitionStatus
from recognition.selectors import add_years
from tests.contracts.support import user
from tests.contracts.test_lifecycle import registered

pytestmark = pytest.mark.django_db

RECOGNITION_CODES = {"erkenning", "erkende_mentor"}


def vandenberghe_lassen() -> Recognition:
    return Recognition.objects.get(
        vestiging__vestigingsnummer="2234567125",
        opleiding__code="lassen-constructie",
        status=RecognitionStatus.RECOGNISED,
    )


def recognition_items(contract: Contract) -> list:
    with translation.override("nl-be"):
        return [b for b in blocking_items(contract) if b.code in RECOGNITION_CODES]


def start(contract: Contract) -> Contract:
    contract.refresh_from_db()
    return lifecycle.contract_start(
        actor=None, contract=contract, version=None, today=contract.start_date
    )


def test_a_recognition_that_ends_during_the_placement_blocks_the_start_until_renewed(demo_cast):
    contract = registered()
    placement = Placement.objects.get(traject=contract.traject)
    assert recognition_items(contract) == []
    old = vandenberghe_lassen()
    # It ends a month before the placement does (a withdrawal, a shortened period).
    last = placement.end_date - timedelta(days=31)
    Recognition.objects.filter(pk=old.pk).update(valid_until=last)
    [item] = recognition_items(contract)
    assert item.code == "erkenning"
    assert item.label.startswith("Geldige erkenning: ")
    assert "niet erkend" in item.label and "Lassen-Constructie" in item.label
    assert item.owner == "Coördinator duaal bedrijf (Metaalbouw Vandenberghe)"
    assert lifecycle.start_due_contracts(today=contract.start_date) == []
    with translation.override("nl-be"), pytest.raises(ValidationError) as error:
        start(contract)
    assert error.value.code == "blocked" and "Geldige erkenning" in error.value.messages[0]
    contract.refresh_from_db()
    assert contract.state == "registered"

    # Renewed from the day after: the recognitions add up, the start goes ahead.
    renewal_from = last + timedelta(days=1)
    Recognition.objects.create(
        company=old.company,
        vestiging=old.vestiging,
        opleiding=old.opleiding,
        ondernemingsnummer=old.ondernemingsnummer,
        vestigingsnummer=old.vestigingsnummer,
        status=RecognitionStatus.RECOGNISED,
        decided_on=renewal_from,
        valid_until=add_years(renewal_from, 5) - timedelta(days=1),
    )
    assert recognition_items(contract) == []
    assert start(contract).state == "running"


def test_an_ineligible_mentor_blocks_the_start_with_each_reason_until_fixed(demo_cast):
    contract = registered()
    mentor = user("mentor@vandenberghe.demo")
    profile = MentorProfile.objects.get(user=mentor)
    saved = (profile.introduction_session_on, profile.deepening_session_on)
    MentorProfile.objects.filter(pk=profile.pk).update(
        introduction_session_on=None, deepening_session_on=None, experience_years=3
    )
    items = recognition_items(contract)
    assert [i.code for i in items] == ["erkende_mentor", "erkende_mentor"]
    labels = " / ".join(i.label for i in items)
    assert all(i.label.startswith("Erkende mentor: ") for i in items)
    assert "Patrick Hermans" in labels and "mentoropleiding" in labels and "ervaring" in labels
    with pytest.raises(ValidationError):
        start(contract)

    MentorProfile.objects.filter(pk=profile.pk).update(experience_years=22)
    [item] = recognition_items(contract)
    assert "mentoropleiding" in item.label
    MentorProfile.objects.filter(pk=profile.pk).update(
        introduction_session_on=saved[0], deepening_session_on=saved[1]
    )
    assert recognition_items(contract) == []
    assert start(contract).state == "running"


def test_a_placement_without_a_mentor_cannot_start(demo_cast):
    contract = registered()
    Placement.objects.get(traject=contract.traject).supervisors.all().delete()
    [item] = recognition_items(contract)
    assert item.code == "erkende_mentor" and "geen mentor" in item.label


def test_only_contracts_that_have_not_started_are_checked(demo_cast):
    """A running placement that loses its recognition is flagged (placement_ineligible), not
    blocked: its contract has started."""
    Recognition.objects.filter(pk=vandenberghe_lassen().pk).update(
        status=RecognitionStatus.WITHDRAWN
    )
    running = list(Contract.objects.filter(state="running"))
    assert running and all(items == [] for items in extra_blocking(running).values())


def test_the_demos_contracts_have_valid_recognitions_and_mentors(demo_cast):
    contracts = list(Contract.objects.all())
    assert contracts
    assert extra_blocking(contracts) == {c.pk: [] for c in contracts}


def test_the_checks_ask_as_many_queries_for_many_contracts_as_for_one(demo_cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = registered("Nina")
    with CaptureQueriesContext(connection) as one:
        extra_blocking([first])
    # Patrick Hermans guides three students now (the sector's limit): Tom Lambrechts.
    more = [first, registered("Nora", mentor="mentor2@vandenberghe.demo")]
    with CaptureQueriesContext(connection) as two:
        found = extra_blocking(more)
    assert found == {c.pk: [] for c in more}
    assert len(two) == len(one) <= 6, (len(one), len(two))
