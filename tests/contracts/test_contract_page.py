"""The contract page of a traject and its lifecycle actions (contracts/views/contract_page.py):
who sees which contract and which actions, each action's happy path through the services and
its refusal (a message, never a 500)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from contracts.models import Contract, ContractState, Signature
from contracts.services import lifecycle
from duaal.models import AuditEntry
from partnerships.models import Placement, Traject
from partnerships.services.grants import partnership_sync_grants
from tests.contracts.support import a1, company, new_traject, place, shown, user
from tests.contracts.test_lifecycle import registered, sign_all

pytestmark = pytest.mark.django_db


def lotte() -> Traject:
    return Traject.objects.get(student__first_name="Lotte")


def lottes_contract() -> Contract:
    return Contract.objects.get(traject=lotte())


def url(contract: Contract, action: str = "") -> str:
    name = f"contracts:contract_{action}" if action else "contracts:contract"
    return reverse(name, args=[contract.traject.public_id, contract.public_id])


def test_the_school_coordinator_sees_state_steps_parties_hours_and_actions(
    demo_cast, client, login
):
    contract = lottes_contract()
    login("coord@sintjozef.demo")
    response = client.get(url(contract))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="steps"' in html and 'aria-current="step"' in html
    # Every party (company, school, Lotte, her mother) with its signature on paper.
    assert html.count('data-testid="party"') == contract.parties.count() == 4
    assert html.count('data-testid="signed"') == 4
    assert "22,5" in html or "22.5" in html
    assert 'data-testid="suspend-contract"' in html and 'data-testid="end-contract"' in html
    assert 'data-testid="edit-contract"' not in html  # running: no edit any more
    assert 'data-testid="send-contract"' not in html


@pytest.mark.parametrize(
    "email",
    [
        "mentor@vandenberghe.demo",
        "leerling1@sintjozef.demo",
        "ouder1@sintjozef.demo",
        "tb@sintjozef.demo",
    ],
)
def test_readers_without_the_raci_task_see_the_contract_but_no_action(
    demo_cast, client, login, email
):
    contract = lottes_contract()
    login(email)
    response = client.get(url(contract))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="contract-actions"' not in html
    assert 'data-testid="contract-parties"' in html
    assert client.get(url(contract, "suspend")).status_code == 403


@pytest.mark.parametrize("email", ["coord@daems.demo", "oc@octl.demo", "leerling2@sintjozef.demo"])
def test_who_does_not_read_the_contract_gets_404(demo_cast, client, login, email):
    login(email)
    assert client.get(url(lottes_contract())).status_code == 404


def test_a_company_never_sees_another_companys_contract_in_a_rotation(demo_cast, client, login):
    traject = new_traject("Rotatie", birth_date=date(2005, 5, 5))
    year = a1().school_year
    place(traject, start=date(year, 10, 1), end=date(year + 1, 2, 28), hours="24")
    place(
        traject,
        at="Koeltechniek Daems",
        start=date(year + 1, 3, 1),
        end=date(year + 1, 6, 20),
        hours="16",
        mentor="mentor@daems.demo",
    )
    coord = user("coord@sintjozef.demo")
    autumn = lifecycle.contract_create(
        actor=coord, traject=traject, company=company("Metaalbouw Vandenberghe")
    )
    spring = lifecycle.contract_create(
        actor=coord, traject=traject, company=company("Koeltechniek Daems")
    )
    login("coord@daems.demo")
    assert client.get(url(spring)).status_code == 200
    assert client.get(url(autumn)).status_code == 404
    listing = client.get(reverse("contracts:traject_contracts", args=[traject.public_id]))
    assert listing.content.decode().count('data-testid="contract-card"') == 1
    login("coord@vandenberghe.demo")
    assert client.get(url(spring)).status_code == 404
    detail = client.get(reverse("partnerships:traject_detail", args=[traject.public_id]))
    assert detail.content.decode().count('data-testid="contract-link"') == 1
    assert url(autumn).encode() in detail.content
    # The school reads both.
    login("coord@sintjozef.demo")
    detail = client.get(reverse("partnerships:traject_detail", args=[traject.public_id]))
    assert detail.content.decode().count('data-testid="contract-link"') == 2


def test_the_traject_page_links_each_contract_with_its_state(demo_cast, client, login):
    login("coord@sintjozef.demo")
    html = client.get(reverse("partnerships:traject_detail", args=[lotte().public_id])).content
    contract = lottes_contract()
    assert url(contract).encode() in html
    assert b"Lopend" in html or b"Running" in html


# --- the actions ------------------------------------------------------------------------------


def _new_placed(name: str = "Nina") -> Traject:
    traject = new_traject(name, birth_date=date(2005, 5, 5))
    year = a1().school_year
    place(traject, start=date(year, 10, 1), end=date(year + 1, 6, 30), hours="22.5")
    return traject


def test_create_a_concept_for_a_placements_company_and_refuse_a_second(demo_cast, client, login):
    traject = _new_placed()
    login("coord@sintjozef.demo")
    listing = reverse("contracts:traject_contracts", args=[traject.public_id])
    assert 'data-testid="contract-create"' in client.get(listing).content.decode()
    x = company("Metaalbouw Vandenberghe")
    response = client.post(
        reverse("contracts:contract_create", args=[traject.public_id]),
        {"company": x.pk, "leervergoeding_category": "2"},
    )
    contract = Contract.objects.get(traject=traject)
    assert response.status_code == 302 and response["Location"] == url(contract)
    assert contract.state == ContractState.CONCEPT and contract.leervergoeding_category == 2
    # The company has its contract now: the choice is gone, a forged post is refused (400).
    again = client.post(
        reverse("contracts:contract_create", args=[traject.public_id]), {"company": x.pk}
    )
    assert again.status_code == 400
    assert Contract.objects.filter(traject=traject).count() == 1


def test_a_mentor_may_not_create_a_contract(demo_cast, client, login):
    traject = _new_placed()
    login("mentor@vandenberghe.demo")
    response = client.post(
        reverse("contracts:contract_create", args=[traject.public_id]),
        {"company": company("Metaalbouw Vandenberghe").pk},
    )
    assert response.status_code == 403
    assert not Contract.objects.filter(traject=traject).exists()


def _concept() -> Contract:
    traject = _new_placed()
    return lifecycle.contract_create(
        actor=user("coord@sintjozef.demo"),
        traject=traject,
        company=company("Metaalbouw Vandenberghe"),
        leervergoeding_category=1,
    )


def test_send_for_signing_then_a_stale_second_send_is_a_message(demo_cast, client, login):
    contract = _concept()
    login("coord@sintjozef.demo")
    response = client.post(url(contract, "send"), {"version": contract.version})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.TO_SIGN
    # The same (old) page posted again: refused with a clear message, nothing changes.
    stale = client.post(url(contract, "send"), {"version": contract.version - 1})
    assert stale.status_code == 400
    assert 'data-testid="action-error"' in stale.content.decode()
    assert (
        AuditEntry.objects.filter(action="contract.send", object_id=str(contract.pk)).count() == 1
    )
    # A post without a version is refused too.
    assert client.post(url(contract, "send"), {}).status_code == 400


def test_edit_warns_that_it_voids_signatures_and_does(demo_cast, client, login):
    contract = _concept()
    coord = user("coord@sintjozef.demo")
    contract = lifecycle.contract_send_for_signing(
        actor=coord, contract=contract, version=contract.version
    )
    party = contract.parties.get(role="school")
    lifecycle.record_signature(
        contract=contract, party=party, user=coord, typed_name="Coord",
        pdf_sha256=shown(contract), ip_address=None, version=contract.version,
    )  # fmt: skip
    login("coord@sintjozef.demo")
    page = client.get(url(contract))
    assert 'data-testid="edit-voids"' in page.content.decode()
    form = client.get(url(contract, "edit"))
    assert 'data-testid="edit-voids"' in form.content.decode()
    contract.refresh_from_db()
    response = client.post(
        url(contract, "edit"),
        {
            "version": contract.version,
            "start_date": (contract.start_date + timedelta(days=7)).isoformat(),
            "end_date": contract.end_date.isoformat(),
            "leervergoeding_category": "3",
        },
    )
    assert response.status_code == 302
    assert not Signature.objects.filter(contract=contract, voided_at__isnull=True).exists()
    assert Signature.objects.filter(contract=contract).exclude(void_reason="").count() == 1
    # Bad input: the message beside the field, nothing saved.
    contract.refresh_from_db()
    bad = client.post(
        url(contract, "edit"),
        {"version": contract.version, "start_date": "2027-02-30", "end_date": "x"},
    )
    assert bad.status_code == 400
    assert 'id="id_start_date_error"' in bad.content.decode()


def test_register_needs_a_reference_and_a_signed_contract(demo_cast, client, login):
    contract = _concept()
    coord = user("coord@sintjozef.demo")
    login("coord@sintjozef.demo")
    # A concept cannot be registered: the service's refusal, as a message.
    refused = client.post(
        url(contract, "register"), {"version": contract.version, "registration_reference": "R1"}
    )
    assert refused.status_code == 400 and 'data-testid="error-summary"' in refused.content.decode()
    contract = lifecycle.contract_send_for_signing(
        actor=coord, contract=contract, version=contract.version
    )
    sign_all(contract)
    contract.refresh_from_db()
    empty = client.post(
        url(contract, "register"), {"version": contract.version, "registration_reference": "  "}
    )
    assert empty.status_code == 400
    assert 'id="id_registration_reference_error"' in empty.content.decode()
    done = client.post(
        url(contract, "register"),
        {"version": contract.version, "registration_reference": "WPD-2026-7"},
    )
    assert done.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.REGISTERED
    assert contract.registration_reference == "WPD-2026-7"


def _running() -> Contract:
    contract = registered("Rita", birth_date=date(2005, 5, 5), parent=None)
    return lifecycle.contract_start(
        actor=None, contract=contract, version=None, today=contract.start_date
    )


def test_suspend_needs_date_and_reason_then_resume(demo_cast, client, login):
    contract = _running()
    login("coord@sintjozef.demo")
    page = client.get(url(contract, "suspend"))
    assert 'data-testid="consequences"' in page.content.decode()
    missing = client.post(url(contract, "suspend"), {"version": contract.version})
    assert missing.status_code == 400
    html = missing.content.decode()
    assert 'id="id_suspended_on_error"' in html and 'id="id_suspension_reason_error"' in html
    on = contract.start_date + timedelta(days=30)
    done = client.post(
        url(contract, "suspend"),
        {"version": contract.version, "suspended_on": on.isoformat(), "suspension_reason": "Ziek"},
    )
    assert done.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.SUSPENDED and contract.suspended_on == on
    assert Placement.objects.filter(traject=contract.traject, suspended_on=on).exists()
    # The reason is internal: the team reads it, the student does not.
    assert 'data-testid="suspension-reason"' in client.get(url(contract)).content.decode()
    student = contract.traject.student
    student.user = User.objects.create_user(
        "rita@example.invalid", "pw-123456789", full_name=student.full_name
    )
    student.save(update_fields=["user"])
    partnership_sync_grants(partnership=contract.traject.partnership)
    client.force_login(student.user)
    as_student = client.get(url(contract))
    assert as_student.status_code == 200
    assert 'data-testid="suspension-reason"' not in as_student.content.decode()
    assert "Ziek" not in as_student.content.decode()
    login("coord@sintjozef.demo")
    resumed = client.post(url(contract, "resume"), {"version": contract.version})
    assert resumed.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.RUNNING
    # Resuming a running contract: refused with a message.
    again = client.post(url(contract, "resume"), {"version": contract.version})
    assert again.status_code == 400 and 'data-testid="action-error"' in again.content.decode()


def test_end_early_says_the_placements_end_and_does_it(demo_cast, client, login):
    contract = _running()
    login("coord@sintjozef.demo")
    page = client.get(url(contract, "end")).content.decode()
    assert 'data-testid="consequences"' in page
    no_reason = client.post(
        url(contract, "end"),
        {"version": contract.version, "ended_on": contract.start_date.isoformat()},
    )
    assert no_reason.status_code == 400
    assert 'id="id_end_reason_error"' in no_reason.content.decode()
    before_start = client.post(
        url(contract, "end"),
        {
            "version": contract.version,
            "ended_on": (contract.start_date - timedelta(days=3)).isoformat(),
            "end_reason": "Stopt",
        },
    )
    assert before_start.status_code == 400
    assert 'id="id_ended_on_error"' in before_start.content.decode()
    on = contract.start_date + timedelta(days=40)
    done = client.post(
        url(contract, "end"),
        {
            "version": contract.version,
            "ended_on": on.isoformat(),
            "end_reason": "Stopt",
            "early": "on",
        },
    )
    assert done.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.ENDED_EARLY and contract.ended_on == on
    assert not Placement.objects.filter(traject=contract.traject, end_date__gt=on).exists()


def test_the_student_does_not_read_the_internal_end_reason(demo_cast, client, login):
    contract = lottes_contract()
    today = timezone.localdate()
    lifecycle.contract_suspend(
        actor=user("coord@sintjozef.demo"), contract=contract, version=None,
        on=today, reason="Vertrouwelijke reden",
    )  # fmt: skip
    login("leerling1@sintjozef.demo")
    html = client.get(url(contract)).content.decode()
    assert "Vertrouwelijke reden" not in html
    login("coord@sintjozef.demo")
    assert "Vertrouwelijke reden" in client.get(url(contract)).content.decode()


# --- signing, the PDF and the start checklist from the contract page --------------------------


def noors_contract() -> Contract:
    return Contract.objects.get(traject__student__first_name="Noor")


def _testids(html: str) -> set[str]:
    import re

    return set(re.findall(r'data-testid="([^"]+)"', html))


@pytest.mark.parametrize(
    ("email", "signs"),
    [
        ("coord@vandenberghe.demo", True),  # the company has not signed
        ("ouder2@sintjozef.demo", True),  # nor has Noor's mother
        ("coord@sintjozef.demo", False),  # the school signed
        ("leerling4@sintjozef.demo", False),  # Noor signed
        ("mentor@vandenberghe.demo", False),  # reads, never binds the company
    ],
)
def test_the_page_links_to_signing_only_for_a_party_that_still_signs(
    demo_cast, client, login, email, signs
):
    contract = noors_contract()
    login(email)
    html = client.get(url(contract)).content.decode()
    sign_url = reverse("contracts:sign", args=[contract.public_id])
    ids = _testids(html)
    assert ("sign-link" in ids) is signs
    assert ("sign-party-link" in ids) is signs
    assert (f'href="{sign_url}"' in html) is signs
    assert "waiting-for" in ids
    assert "Sofie Peeters" in html and "Metaalbouw Vandenberghe" in html
    pdf_url = reverse("contracts:pdf", args=[contract.public_id])
    assert f'href="{pdf_url}"' in html


def test_a_signed_party_loses_the_link_and_a_concept_has_none(demo_cast, client, login):
    contract = noors_contract()
    login("ouder2@sintjozef.demo")
    party = contract.parties.get(role="parent")
    lifecycle.record_signature(
        contract=contract, party=party, user=user("ouder2@sintjozef.demo"),
        typed_name="Sofie Peeters", pdf_sha256=shown(contract), ip_address="192.0.2.1",
        version=contract.version,
    )  # fmt: skip
    assert "sign-link" not in _testids(client.get(url(contract)).content.decode())
    concept = _concept()
    login("coord@sintjozef.demo")
    ids = _testids(client.get(url(concept)).content.decode())
    assert not {"sign-link", "sign-party-link", "waiting-for", "pdf-link"} & ids


def test_the_page_shows_the_checklist_progress_and_what_blocks_the_start(demo_cast, client, login):
    contract = noors_contract()
    login("coord@sintjozef.demo")
    html = client.get(url(contract)).content.decode()
    checklist_url = reverse(
        "contracts:checklist", args=[contract.traject.public_id, contract.public_id]
    )
    assert f'href="{checklist_url}"' in html
    # Ten items for her OAO; the school did intake, afsprakenkader, health and insurance.
    assert "4 van 10 klaar" in html
    assert '<progress max="10" value="4"' in html
    blocking = html.split('data-testid="checklist-blocking"')[1].split("</ul>")[0]
    for label in ("Dimona", "Risicoanalyse", "getekend", "Werkplek duaal"):
        assert label in blocking, label
    assert "Coördinator duaal bedrijf (Metaalbouw Vandenberghe)" in blocking  # who owns Dimona
    assert "Gezondheidstoezicht" not in blocking  # done
    # Lotte's running contract: every item done, nothing listed as blocking any more.
    html = client.get(url(lottes_contract())).content.decode()
    ids = _testids(html)
    assert "checklist-link" in ids and "checklist-blocking" not in ids
    assert "10 van 10 klaar" in html


def test_the_page_warns_when_the_hours_stay_under_the_opleidings_minimum(demo_cast, client, login):
    traject = new_traject("Kort", birth_date=date(2005, 5, 5))
    opleiding = traject.partnership.opleiding
    if not opleiding.minimum_workplace_hours:
        opleiding.minimum_workplace_hours = 800
        opleiding.save(update_fields=["minimum_workplace_hours"])
    year = a1().school_year
    place(traject, start=date(year, 10, 1), end=date(year, 11, 30), hours="22.5")
    contract = lifecycle.contract_create(
        actor=user("coord@sintjozef.demo"),
        traject=traject,
        company=company("Metaalbouw Vandenberghe"),
    )
    login("coord@sintjozef.demo")
    html = client.get(url(contract)).content.decode()
    assert contract.contract_type == "OAO" and "OAO" in html
    warning = html.split('data-testid="hours-warning"')[1].split("</p>")[0]
    assert str(opleiding.minimum_workplace_hours) in warning
    # Over a full year the same hours are enough: no warning.
    assert 'data-testid="hours-warning"' not in client.get(url(lottes_contract())).content.decode()
