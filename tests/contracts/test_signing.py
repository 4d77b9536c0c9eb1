"""Signing a contract on the signing screen: the stored PDF whose SHA-256 is signed, who signs
for which party, a signature voided by a later change, a PDF hash mismatch refused, the parent
of a minor (not of an adult), the signed PDF kept — each step in the audit trail."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import User
from contracts import pdf
from contracts.models import ContractPdf, ContractState, PartyRole, PdfKind, Signature
from contracts.services import lifecycle
from contracts.tasks import prepare_pdf_to_sign
from duaal.models import AuditEntry
from partnerships.services.grants import partnership_sync_grants
from tests.contracts.support import DAEMS, a1, company, new_traject, place, user

pytestmark = pytest.mark.django_db

MINOR = date(2010, 5, 5)
ADULT = date(2005, 5, 5)


def out_for_signing(first_name: str = "Nina", *, birth_date: date = MINOR):
    """A contract out for signing; the student and the parent have accounts."""
    traject = new_traject(first_name, birth_date=birth_date, parent="Mama Test")
    year = a1().school_year
    place(traject, start=date(year, 10, 1), end=date(year + 1, 6, 30), hours="22.5")
    coord = user("coord@sintjozef.demo")
    contract = lifecycle.contract_create(
        actor=coord,
        traject=traject,
        company=company("Metaalbouw Vandenberghe"),
        leervergoeding_category=1,
    )
    contract = lifecycle.contract_send_for_signing(actor=coord, contract=contract, version=1)
    student = traject.student
    student.user = User.objects.create_user(
        f"{first_name.lower()}@example.invalid", "pw-123456789", full_name=student.full_name
    )
    student.save(update_fields=["user"])
    contact = student.contacts.get()
    contact.user = User.objects.create_user(
        f"mama-{first_name.lower()}@example.invalid", "pw-123456789", full_name="Mama Test"
    )
    contact.save(update_fields=["user"])
    partnership_sync_grants(partnership=traject.partnership)
    return contract


def sign_url(contract) -> str:
    return reverse("contracts:sign", kwargs={"contract_id": contract.public_id})


def post_sign(client, contract, party, name: str, sha: str | None = None):
    client.get(sign_url(contract))  # the screen shows (and the first time makes) the PDF
    contract.refresh_from_db()
    stored = pdf.stored_pdf(contract)
    return client.post(
        sign_url(contract),
        {
            "party": party.pk,
            "typed_name": name,
            "pdf_sha256": sha or stored.sha256,
            "version": contract.version,
            "agree": "on",
        },
    )


def party(contract, role: str):
    return contract.parties.get(role=role)


SIGNERS = {
    PartyRole.COMPANY: "coord@vandenberghe.demo",
    PartyRole.SCHOOL: "directie@sintjozef.demo",
    PartyRole.STUDENT: "nina@example.invalid",
    PartyRole.PARENT: "mama-nina@example.invalid",
}


def test_the_screen_shows_the_stored_pdf_once_per_version(client, demo_cast):
    contract = out_for_signing()
    client.force_login(user("coord@vandenberghe.demo"))
    page = client.get(sign_url(contract))
    assert page.status_code == 200
    stored = ContractPdf.objects.get(contract=contract)
    content = pdf.verified_bytes(stored)
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == stored.sha256
    assert stored.sha256 in page.content.decode()
    client.get(sign_url(contract))  # a second view: the same stored file, not a new render
    assert ContractPdf.objects.filter(contract=contract).count() == 1
    assert pdf.render_contract(contract) == content  # the same version renders the same bytes
    assert AuditEntry.objects.filter(action="contract.pdf_made", object_id=contract.pk).count() == 1
    download = client.get(
        reverse("contracts:pdf_download", args=[contract.public_id, stored.public_id])
    )
    assert download.content == content and download["X-Content-SHA256"] == stored.sha256


def test_sending_for_signing_prepares_the_pdf_in_the_background(
    client, demo_cast, django_capture_on_commit_callbacks
):
    """The PDF is made by a task once the contract is out for signing, so the first signer
    does not wait for it; the screen then shows that same stored file."""
    traject = new_traject("Nina", birth_date=ADULT)
    year = a1().school_year
    place(traject, start=date(year, 10, 1), end=date(year + 1, 6, 30), hours="22.5")
    coord = user("coord@sintjozef.demo")
    contract = lifecycle.contract_create(
        actor=coord,
        traject=traject,
        company=company("Metaalbouw Vandenberghe"),
        leervergoeding_category=1,
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        contract = lifecycle.contract_send_for_signing(actor=coord, contract=contract, version=1)
    assert len(callbacks) == 1
    stored = ContractPdf.objects.get(contract=contract, kind=PdfKind.TO_SIGN)
    assert stored.contract_version == contract.version
    client.force_login(user("coord@vandenberghe.demo"))
    assert stored.sha256 in client.get(sign_url(contract)).content.decode()
    assert ContractPdf.objects.filter(contract=contract).count() == 1
    # A contract no longer out for signing has nothing to prepare.
    stored.delete()
    contract.state = ContractState.CONCEPT
    contract.save(update_fields=["state"])
    assert prepare_pdf_to_sign.delay(contract.pk).get() is False
    assert not ContractPdf.objects.filter(contract=contract).exists()


def test_only_the_right_people_sign_for_each_party(client, demo_cast):
    contract = out_for_signing()
    company_party = party(contract, PartyRole.COMPANY)
    # A mentor of the company reads the contract but does not sign for the company.
    client.force_login(user("mentor@vandenberghe.demo"))
    assert client.get(sign_url(contract)).status_code == 200
    post_sign(client, contract, company_party, "whatever")
    assert not Signature.objects.filter(party=company_party).exists()
    # Another company sees neither the contract nor its signing page.
    client.force_login(user("coord@daems.demo"))
    assert client.get(sign_url(contract)).status_code == 404
    assert client.get(reverse("contracts:pdf", args=[contract.public_id])).status_code == 404
    # The student signs for themself, not for the parent or the school.
    client.force_login(user("nina@example.invalid"))
    for other in (PartyRole.PARENT, PartyRole.SCHOOL):
        post_sign(client, contract, party(contract, other), "Nina Test")
        assert not Signature.objects.filter(party=party(contract, other)).exists()
    assert not signing_allowed(contract, "nina@example.invalid", PartyRole.PARENT)
    assert signing_allowed(contract, "nina@example.invalid", PartyRole.STUDENT)
    assert signing_allowed(contract, "coord@vandenberghe.demo", PartyRole.COMPANY)
    assert signing_allowed(contract, "directie@vandenberghe.demo", PartyRole.COMPANY)
    assert not signing_allowed(contract, "coord@vandenberghe.demo", PartyRole.SCHOOL)
    assert signing_allowed(contract, "coord@sintjozef.demo", PartyRole.SCHOOL)
    assert not signing_allowed(contract, "tb@sintjozef.demo", PartyRole.SCHOOL)
    assert signing_allowed(contract, "mama-nina@example.invalid", PartyRole.PARENT)


def signing_allowed(contract, email: str, role: str) -> bool:
    from contracts.services.signing import may_sign

    return may_sign(user=user(email), contract=contract, party=party(contract, role))


def test_the_typed_name_must_be_the_signers(client, demo_cast):
    contract = out_for_signing()
    client.force_login(user("coord@vandenberghe.demo"))
    response = post_sign(client, contract, party(contract, PartyRole.COMPANY), "Iemand Anders")
    assert response.status_code == 200
    assert "is not your full name" in response.content.decode() or "niet je volledige naam" in (
        response.content.decode()
    )
    assert not Signature.objects.filter(contract=contract).exists()
    coordinator = user("coord@vandenberghe.demo")
    response = post_sign(
        client, contract, party(contract, PartyRole.COMPANY), coordinator.full_name.upper()
    )
    assert response.status_code == 302
    signature = Signature.objects.filter(contract=contract).get()
    assert (signature.user, signature.ip_address) == (coordinator, "127.0.0.1")
    assert signature.pdf_sha256 == pdf.stored_pdf(contract).sha256


def test_a_later_change_voids_the_signature_visibly(client, demo_cast):
    contract = out_for_signing()
    client.force_login(user("nina@example.invalid"))
    client.get(sign_url(contract))
    first = pdf.stored_pdf(contract).sha256
    assert (
        post_sign(client, contract, party(contract, PartyRole.STUDENT), "nina test").status_code
        == 302
    )
    contract.refresh_from_db()
    lifecycle.contract_update(
        actor=user("coord@sintjozef.demo"),
        contract=contract,
        version=contract.version,
        data={"end_date": date(a1().school_year + 1, 6, 15)},
    )
    signature = Signature.objects.filter(contract=contract).get()
    assert signature.voided_at is not None and "einddatum" in signature.void_reason
    page = client.get(sign_url(contract)).content.decode()
    assert signature.void_reason in page
    contract.refresh_from_db()
    assert pdf.stored_pdf(contract).sha256 != first  # the new version, a new PDF
    pdf_page = client.get(reverse("contracts:pdf", args=[contract.public_id])).content.decode()
    assert signature.void_reason in pdf_page
    # The old hash (of the PDF the student read before the change) is refused.
    response = post_sign(client, contract, party(contract, PartyRole.STUDENT), "Nina Test", first)
    assert response.status_code == 200
    assert not Signature.objects.filter(contract=contract, voided_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="contract.pdf_refused").count() == 1


def test_a_stored_pdf_that_changed_is_refused(client, demo_cast):
    contract = out_for_signing()
    client.force_login(user("nina@example.invalid"))
    client.get(sign_url(contract))
    stored = pdf.stored_pdf(contract)
    with stored.file.storage.open(stored.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7 someone changed this file")
    download = client.get(
        reverse("contracts:pdf_download", args=[contract.public_id, stored.public_id])
    )
    assert download.status_code == 302
    page = client.get(reverse("contracts:pdf", args=[contract.public_id])).content.decode()
    assert 'data-testid="pdf-mismatch"' in page
    response = post_sign(client, contract, party(contract, PartyRole.STUDENT), "Nina Test")
    assert response.status_code == 200
    assert not Signature.objects.filter(contract=contract).exists()
    assert AuditEntry.objects.get(action="contract.pdf_refused").changes["refusal"][1] == (
        "pdf_tampered"
    )


def sign_everyone(client, contract, roles) -> None:
    for role in roles:
        signer = user(SIGNERS[role].replace("nina", contract.traject.student.first_name.lower()))
        client.force_login(signer)
        client.get(sign_url(contract))
        name = party(contract, role).name if role in ("student", "parent") else signer.full_name
        assert post_sign(client, contract, party(contract, role), name).status_code == 302


def test_a_minors_parent_must_sign_then_the_signed_pdf_is_kept(client, demo_cast):
    contract = out_for_signing()
    sign_everyone(client, contract, [PartyRole.COMPANY, PartyRole.SCHOOL, PartyRole.STUDENT])
    contract.refresh_from_db()
    assert contract.state == "to_sign"  # the parent of a minor has not signed yet
    sign_everyone(client, contract, [PartyRole.PARENT])
    contract.refresh_from_db()
    assert contract.state == "signed"
    signed = ContractPdf.objects.get(contract=contract, kind=PdfKind.SIGNED)
    content = pdf.verified_bytes(signed)
    assert content != pdf.verified_bytes(pdf.stored_pdf(contract))
    page = client.get(reverse("contracts:pdf", args=[contract.public_id])).content.decode()
    assert signed.sha256 in page
    entry = AuditEntry.objects.filter(action="contract.sign").latest("pk")
    assert entry.changes["signed_pdf_sha256"][1] == signed.sha256


def test_an_adults_parent_need_not_sign(client, demo_cast):
    contract = out_for_signing("Adam", birth_date=ADULT)
    assert not contract.parties.filter(role=PartyRole.PARENT).exists()
    sign_everyone(client, contract, [PartyRole.COMPANY, PartyRole.SCHOOL, PartyRole.STUDENT])
    contract.refresh_from_db()
    assert contract.state == "signed"
    assert ContractPdf.objects.filter(contract=contract, kind=PdfKind.SIGNED).exists()


def test_rotation_company_sees_only_its_own_contract(client, demo_cast):
    contract = out_for_signing()
    year = a1().school_year
    traject = contract.traject
    place(traject, at=DAEMS, start=date(year + 1, 7, 1), end=date(year + 1, 8, 30), hours="16",
          mentor="mentor@daems.demo")  # fmt: skip
    client.force_login(user("coord@daems.demo"))
    assert client.get(sign_url(contract)).status_code == 404


def test_a_parent_without_an_account_signs_after_accepting_the_invitation(client, demo_cast):
    from partnerships.services import links
    from partnerships.services.accounts import account_invitation_create
    from partnerships.services.invitations import invitation_accept

    contract = out_for_signing()
    contact = contract.traject.student.contacts.get()
    contact.user.delete()  # this parent has no account (yet)
    contact.refresh_from_db()
    contact.email = "mama.zonder.account@example.invalid"
    contact.save(update_fields=["email"])
    client.force_login(user("coord@sintjozef.demo"))
    page = client.get(sign_url(contract)).content.decode()
    assert 'data-testid="without-account"' in page
    invitation = account_invitation_create(
        actor=user("coord@sintjozef.demo"), student=contract.traject.student, contact=contact
    )
    token = links.link_renew(invitation)  # the link the mail carries
    _invitation, account = invitation_accept(
        kind="account", token=token, full_name="Mama Test", password="Lang-genoeg-wachtwoord-42"
    )
    client.force_login(account)
    parent = party(contract, PartyRole.PARENT)
    assert post_sign(client, contract, parent, "mama test").status_code == 302
    assert Signature.objects.get(party=parent).user == account
