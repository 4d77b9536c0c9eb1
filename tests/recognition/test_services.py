"""Routing by joint committee and the state transitions of a request (issue 12, item 1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import translation

from accounts.models import User
from duaal.models import AuditEntry
from learning.models import Activiteitenlijst, Opleiding
from learning.reference import ensure_opleidingen
from organisations.models import Membership, Organisation, OrganisationKind, Vestiging
from recognition import services
from recognition.models import Recognition, RecognitionStatus, RoutingRule
from recognition.selectors import recognition_valid, sector_body_for

pytestmark = pytest.mark.django_db

TECHNOLOGY = "Sectoraal Partnerschap Technologische Industrie"
VPDL = "Vlaams Partnerschap Duaal Leren"


def body(name: str) -> Organisation:
    return Organisation.objects.get_or_create(kind=OrganisationKind.SECTOR_BODY, name=name)[0]


def company(pc: str, number: str = "0566988259") -> Organisation:
    return Organisation.objects.create(
        kind=OrganisationKind.COMPANY,
        name=f"Bedrijf PC {pc}",
        ondernemingsnummer=number,
        paritair_comite=pc,
    )


@pytest.mark.parametrize(
    ("pc", "expected"),
    [
        ("105", TECHNOLOGY),
        ("111", TECHNOLOGY),
        ("209", TECHNOLOGY),
        ("219", TECHNOLOGY),
        ("224", TECHNOLOGY),
        ("200", VPDL),
        ("", VPDL),
        ("124", VPDL),
    ],
)
def test_routing_by_joint_committee(pc, expected):
    technology, vpdl = body(TECHNOLOGY), body(VPDL)
    routed = sector_body_for(company(pc))
    assert routed == {TECHNOLOGY: technology, VPDL: vpdl}[expected]


def test_the_routing_table_is_configurable():
    other = body("Sectoraal partnerschap bouw")
    body(VPDL)
    RoutingRule.objects.create(paritair_comite="124", body_name="Bouw", sector_body=other)
    assert sector_body_for(company("124")) == other


@pytest.fixture
def setup() -> dict[str, object]:
    ensure_opleidingen()
    technology = body(TECHNOLOGY)
    firm = company("111")
    vestiging = Vestiging.objects.create(
        organisation=firm, vestigingsnummer="2234567125", name="Genk"
    )
    people = {}
    for email, org, admin in (
        ("admin@firm.test", firm, True),
        ("mentor@firm.test", firm, False),
        ("consulent@sector.test", technology, False),
    ):
        people[email] = User.objects.create_user(email=email, full_name=email.split("@")[0])
        Membership.objects.create(user=people[email], organisation=org, is_admin=admin)
    return {
        "company": firm,
        "vestiging": vestiging,
        "opleiding": Opleiding.objects.get(code="lassen-constructie"),
        "sector": technology,
        **people,
    }


def draft(setup, **overrides) -> Recognition:
    values = {
        "actor": setup["admin@firm.test"],
        "company": setup["company"],
        "vestiging": setup["vestiging"],
        "opleiding": setup["opleiding"],
        "ondernemingsnummer": "0566.988.259",
        "vestigingsnummer": "2.234.567.125",
        "mentors": [setup["mentor@firm.test"]],
        **overrides,
    }
    return services.recognition_create(**values)


def test_the_numbers_are_checked(setup):
    with pytest.raises(ValidationError) as error:
        draft(setup, ondernemingsnummer="0566.988.258", vestigingsnummer="2234567126")
    assert set(error.value.message_dict) == {"ondernemingsnummer", "vestigingsnummer"}
    assert not Recognition.objects.exists()


def test_a_school_files_only_with_a_mandate_and_sworn_statement(setup):
    school = Organisation.objects.create(
        kind=OrganisationKind.SCHOOL, name="School", instellingsnummer="12345"
    )
    with pytest.raises(ValidationError) as error:
        draft(setup, filed_by_school=school)
    assert set(error.value.message_dict) == {"mandate", "sworn_statement"}
    recognition = draft(
        setup,
        filed_by_school=school,
        mandate=ContentFile(b"%PDF", name="machtiging.pdf"),
        sworn_statement=ContentFile(b"%PDF", name="verklaring.pdf"),
    )
    assert recognition.mandate.name.startswith("recognition/")
    assert recognition.filed_by_school == school


def test_one_open_request_per_vestiging_and_opleiding(setup):
    draft(setup)
    with pytest.raises(ValidationError) as error:
        draft(setup)
    assert "opleiding" in error.value.message_dict


def test_the_whole_way_to_a_recognition(setup):
    actor, consultant = setup["admin@firm.test"], setup["consulent@sector.test"]
    recognition = draft(setup)
    services.recognition_submit(actor=actor, recognition=recognition, on=date(2026, 3, 2))
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.SUBMITTED
    assert recognition.sector_body == setup["sector"]
    services.recognition_mark_complete(
        actor=consultant, recognition=recognition, on=date(2026, 3, 5)
    )
    recognition.refresh_from_db()
    assert recognition.decision_due == date(2026, 3, 19)  # 14 days
    visit = services.visit_plan(
        actor=consultant, recognition=recognition, planned_on=date(2026, 3, 10)
    )
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.VISIT_PLANNED
    services.visit_record(
        actor=consultant,
        visit=visit,
        visited_on=date(2026, 3, 10),
        checks={"training_plan_and_equipment_ok": True, "mentor_role_ok": True},
        activities={"las-01": ("yes", ""), "las-02": ("partly", "geen RVS")},
        result="positive",
    )
    lijst = Activiteitenlijst.objects.get(
        vestiging=setup["vestiging"], opleiding=setup["opleiding"]
    )
    assert dict(lijst.entries.values_list("leerfiche_key", "offer")) == {
        "las-01": "yes",
        "las-02": "partly",
    }
    assert not recognition_valid(
        vestiging=setup["vestiging"], opleiding=setup["opleiding"], on=date(2026, 3, 12)
    )
    services.recognition_decide(
        actor=consultant, recognition=recognition, recognised=True, on=date(2026, 3, 12)
    )
    recognition.refresh_from_db()
    assert recognition.valid_until == date(2031, 3, 11)  # 5 years from the decision
    assert recognition_valid(
        vestiging=setup["vestiging"], opleiding=setup["opleiding"], on=date(2031, 3, 11)
    )
    assert not recognition_valid(
        vestiging=setup["vestiging"], opleiding=setup["opleiding"], on=date(2031, 3, 12)
    )
    assert list(
        AuditEntry.objects.filter(object_id=recognition.pk, action__startswith="recognition.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "recognition.create",
        "recognition.submit",
        "recognition.complete",
        "recognition.visit_plan",
        "recognition.visit_record",
        "recognition.recognise",
    ]
    assert services.recognitions_expire(on=date(2031, 3, 12)) == 1
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.EXPIRED


def test_invalid_transitions_are_refused_in_dutch(setup):
    recognition = draft(setup)
    with translation.override("nl-be"), pytest.raises(ValidationError) as error:
        services.recognition_decide(
            actor=setup["consulent@sector.test"], recognition=recognition, recognised=True
        )
    assert error.value.messages[0] == "Deze erkenning is concept: ze kan nu niet beslist worden."
    with pytest.raises(ValidationError):
        services.recognition_mark_complete(
            actor=setup["consulent@sector.test"], recognition=recognition
        )
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.CONCEPT


def refused(setup, on: date) -> Recognition:
    actor, consultant = setup["admin@firm.test"], setup["consulent@sector.test"]
    recognition = draft(setup)
    services.recognition_submit(actor=actor, recognition=recognition, on=on - timedelta(days=9))
    services.recognition_mark_complete(
        actor=consultant, recognition=recognition, on=on - timedelta(days=7)
    )
    with pytest.raises(ValidationError) as error:
        services.recognition_decide(
            actor=consultant, recognition=recognition, recognised=False, reason=" "
        )
    assert "refusal_reason" in error.value.message_dict
    return services.recognition_decide(
        actor=consultant,
        recognition=recognition,
        recognised=False,
        reason="Geen lasuitrusting.",
        on=on,
    )


def test_appeal_within_ten_days_of_the_refusal(setup):
    recognition = refused(setup, on=date(2026, 5, 4))
    assert recognition.status == RecognitionStatus.REFUSED
    with pytest.raises(ValidationError) as error:
        services.recognition_appeal(
            actor=setup["admin@firm.test"],
            recognition=recognition,
            reason="Nieuwe machines.",
            on=date(2026, 5, 15),
        )
    assert error.value.code == "appeal_too_late"
    services.recognition_appeal(
        actor=setup["admin@firm.test"],
        recognition=recognition,
        reason="Nieuwe machines.",
        on=date(2026, 5, 14),
    )
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.APPEAL
    assert recognition.decision_due == date(2026, 5, 28)
    services.recognition_decide(
        actor=setup["consulent@sector.test"],
        recognition=recognition,
        recognised=True,
        on=date(2026, 5, 20),
    )
    assert recognition_valid(
        vestiging=setup["vestiging"], opleiding=setup["opleiding"], on=date(2026, 5, 20)
    )


def test_withdrawing_a_recognition_ends_its_validity(setup):
    recognition = refused(setup, on=date(2026, 5, 4))
    services.recognition_appeal(
        actor=setup["admin@firm.test"], recognition=recognition, reason="x", on=date(2026, 5, 5)
    )
    services.recognition_decide(
        actor=setup["consulent@sector.test"],
        recognition=recognition,
        recognised=True,
        on=date(2026, 5, 6),
    )
    services.recognition_withdraw(
        actor=setup["consulent@sector.test"],
        recognition=recognition,
        reason="Sanctie.",
        on=date(2027, 1, 10),
    )
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.WITHDRAWN
    assert not recognition_valid(
        vestiging=setup["vestiging"], opleiding=setup["opleiding"], on=date(2027, 1, 10)
    )
    with pytest.raises(ValidationError):
        services.recognition_withdraw(
            actor=setup["admin@firm.test"], recognition=recognition, reason="again"
        )


def test_submitting_needs_a_mentor(setup):
    recognition = draft(setup, mentors=[])
    with pytest.raises(ValidationError):
        services.recognition_submit(actor=setup["admin@firm.test"], recognition=recognition)
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.CONCEPT
