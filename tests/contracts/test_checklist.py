"""The start checklist (issue 11 item 4): items per contract kept in step with it, owners from
the RACI matrix or the partnership's own choice, proof, what blocks the first company day,
who may tick, and the coordinator's "starts in the next 30 days"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import checklist
from contracts.checklist import BlockingItem, blocking_items, checklist_of, owners
from contracts.models import ChecklistItem, Contract
from contracts.selectors.starts import starts_due
from contracts.services import checklist as services
from contracts.services import lifecycle
from duaal.models import AuditEntry
from partnerships.models import RaciCell
from tests.contracts.support import a1, complete_checklist, user
from tests.contracts.test_lifecycle import ADULT, MINOR, concept, registered

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n% proof\n"


def item(contract: Contract, code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(contract=contract, code=code)


def done(contract: Contract, code: str, *, by: str = "coord@sintjozef.demo", **kwargs):
    row = item(contract, code)
    on = kwargs.pop("done_on", contract.start_date - timedelta(days=1))
    return services.item_mark_done(
        actor=user(by), item=row, version=row.version, done_on=on, today=on, **kwargs
    )


def test_an_open_blocking_item_holds_the_first_company_day_until_it_is_done(demo_cast):
    contract = registered(ready=False)
    start = contract.start_date
    complete_checklist(contract)
    services.item_reopen(
        actor=user("coord@sintjozef.demo"),
        item=item(contract, "dimona"),
        version=item(contract, "dimona").version,
    )
    [blocking] = blocking_items(contract)
    assert blocking.code == "dimona"
    assert blocking.owner.startswith("Coördinator duaal bedrijf (Metaalbouw Vandenberghe)")
    assert lifecycle.start_due_contracts(today=start) == []
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_start(actor=None, contract=contract, version=None, today=start)
    assert error.value.code == "blocked" and "Dimona" in error.value.messages[0]
    contract.refresh_from_db()
    assert contract.state == "registered" and contract.traject.status == "intake"

    done(contract, "dimona", done_on=start, reference="DIMONA-123")
    assert blocking_items(contract) == []
    assert [c.pk for c in lifecycle.start_due_contracts(today=start)] == [contract.pk]
    contract.refresh_from_db()
    assert contract.state == "running"


def test_a_new_contract_has_every_item_open_the_non_blocking_ones_do_not_hold_the_start(demo_cast):
    contract = registered(ready=False)
    items = {row.code: row for row in checklist_of(contract)}
    # An OAO: Dimona, no civil liability insurance of its own.
    assert list(items) == [
        "intake", "afsprakenkader", "signed", "registered", "dimona", "risicoanalyse",
        "gezondheidstoezicht", "onthaal", "verzekering", "werkkledij",
    ]  # fmt: skip
    # Signed and registered follow the contract: done, with the loket's reference.
    assert items["signed"].is_done and items["registered"].reference == "WPD-2026-0042"
    assert {b.code for b in blocking_items(contract)} == {
        "dimona", "risicoanalyse", "gezondheidstoezicht", "verzekering",
    }  # fmt: skip
    assert items["dimona"].due_on == contract.start_date
    assert items["risicoanalyse"].due_on == contract.start_date - timedelta(days=1)
    # Closing only the blocking ones is enough to start.
    for code in ("dimona", "risicoanalyse", "gezondheidstoezicht", "verzekering"):
        done(contract, code)
    assert blocking_items(contract) == []
    assert lifecycle.start_due_contracts(today=contract.start_date) == [contract]


def test_health_surveillance_blocks_for_a_minor_and_not_for_an_adult(demo_cast):
    minor = registered("Mia", birth_date=MINOR, ready=False)
    # Another mentor: Patrick Hermans guides Lotte, Noor (contracts demo) and Mia.
    adult = registered(
        "Adam", birth_date=ADULT, parent=None, ready=False, mentor="mentor2@vandenberghe.demo"
    )
    assert item(minor, "gezondheidstoezicht").blocking
    assert not item(adult, "gezondheidstoezicht").blocking
    assert "gezondheidstoezicht" not in {b.code for b in blocking_items(adult)}


def test_a_risk_analysis_older_than_a_year_on_the_start_blocks_again(demo_cast):
    contract = registered(ready=False)
    complete_checklist(contract)
    old = contract.start_date - timedelta(days=400)
    done(contract, "risicoanalyse", done_on=old)  # a reopen is not needed: done again, dated
    assert [b.code for b in blocking_items(contract)] == ["risicoanalyse"]
    assert checklist.renewal_due(item(contract, "risicoanalyse")) == old + timedelta(days=365)


def test_moving_the_start_moves_the_due_dates_unless_set_by_hand(demo_cast):
    _traject, contract = concept("Nora")
    coord = user("coord@sintjozef.demo")
    services.item_set_due(
        actor=coord,
        item=item(contract, "intake"),
        version=None,
        due_on=contract.start_date - timedelta(days=20),
    )
    hand = item(contract, "intake").due_on
    new_start = contract.start_date + timedelta(days=7)
    contract = lifecycle.contract_update(
        actor=coord, contract=contract, version=contract.version, data={"start_date": new_start}
    )
    assert item(contract, "dimona").due_on == new_start
    assert item(contract, "intake").due_on == hand
    assert AuditEntry.objects.filter(action="checklist.due").count() == 1


def test_owners_follow_the_raci_matrix_and_the_partnerships_own_choice(demo_cast):
    contract = registered(ready=False)
    labels = {code: owner for (_pk, code), owner in owners([contract]).items()}
    assert labels["verzekering"].role == "coordinator_school"  # Verzekering: R = CS
    assert labels["signed"].role == labels["registered"].role == "coordinator_school"
    assert labels["risicoanalyse"].role == "coordinator_bedrijf"  # werkpostfiche: R = CB
    assert labels["risicoanalyse"].organisation_name == "Metaalbouw Vandenberghe"
    assert labels["onthaal"].role == "mentor"  # Onthaal: R = mentor
    assert labels["gezondheidstoezicht"].role == "coordinator_school"  # medisch onderzoek
    assert labels["afsprakenkader"].role == "coordinator_school"  # no task: the school's
    assert labels["dimona"].role == "coordinator_bedrijf"  # the employer's declaration

    # The matrix changes: the Responsible of "Verzekering" becomes the company's coördinator.
    partnership = a1()
    RaciCell.objects.filter(
        partnership=partnership, task="verzekering", role="coordinator_school"
    ).update(letter="C")
    RaciCell.objects.update_or_create(
        partnership=partnership, task="verzekering", role="coordinator_bedrijf",
        defaults={"letter": "R"},
    )  # fmt: skip
    assert owners([contract])[(contract.pk, "verzekering")].role == "coordinator_bedrijf"

    # The partnership chooses its own owner of the health surveillance, then goes back.
    services.owner_set(
        actor=user("coord@sintjozef.demo"),
        partnership=partnership,
        code="gezondheidstoezicht",
        role="coordinator_bedrijf",
    )
    owner = owners([contract])[(contract.pk, "gezondheidstoezicht")]
    assert (owner.role, owner.organisation_name) == (
        "coordinator_bedrijf",
        "Metaalbouw Vandenberghe",
    )
    assert "Metaalbouw Vandenberghe" in next(
        b.owner for b in blocking_items(contract) if b.code == "gezondheidstoezicht"
    )
    services.owner_set(
        actor=user("coord@sintjozef.demo"),
        partnership=partnership,
        code="gezondheidstoezicht",
        role=None,
    )
    assert owners([contract])[(contract.pk, "gezondheidstoezicht")].role == "coordinator_school"
    assert AuditEntry.objects.filter(action="checklist.owner").count() == 2
    with pytest.raises(ValidationError):
        services.owner_set(
            actor=user("coord@sintjozef.demo"),
            partnership=partnership,
            code="dimona",
            role="nobody",
        )


def test_proof_needs_a_date_not_in_the_future_and_a_real_file(demo_cast, private_storage):
    contract = registered(ready=False)
    row = item(contract, "dimona")
    coord = user("coord@sintjozef.demo")
    today = date(2026, 12, 2)
    with pytest.raises(ValidationError) as error:
        services.item_mark_done(
            actor=coord, item=row, version=row.version, done_on=None, today=today
        )
    assert "done_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.item_mark_done(
            actor=coord,
            item=row,
            version=row.version,
            done_on=today + timedelta(days=1),
            today=today,
        )
    assert "done_on" in error.value.message_dict
    fake = SimpleUploadedFile("dimona.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.item_mark_done(
            actor=coord, item=row, version=row.version, done_on=today, proof=fake, today=today
        )
    assert "proof" in error.value.message_dict
    assert not item(contract, "dimona").is_done

    proof = SimpleUploadedFile("dimona bevestiging.pdf", PDF_BYTES, content_type="application/pdf")
    saved = services.item_mark_done(
        actor=coord, item=row, version=row.version, done_on=today, reference=" D-1 ", proof=proof,
        today=today,
    )  # fmt: skip
    assert (saved.done_on, saved.reference, saved.done_by_name) == (today, "D-1", coord.full_name)
    assert (private_storage / saved.proof.name).read_bytes() == PDF_BYTES
    assert saved.proof_name == "dimona bevestiging.pdf"
    [entry] = AuditEntry.objects.filter(action="checklist.done", object_id=str(saved.pk))
    assert entry.changes["reference"] == ["", "D-1"]
    # A stale version is refused; the automatic items cannot be ticked by hand.
    with pytest.raises(ValidationError) as error:
        services.item_reopen(actor=coord, item=saved, version=row.version)
    assert error.value.code == "stale"
    signed = item(contract, "signed")
    with pytest.raises(ValidationError) as error:
        services.item_reopen(actor=coord, item=signed, version=signed.version)
    assert error.value.code == "automatic"


def test_an_extra_check_of_another_app_blocks_the_start(demo_cast):
    contract = registered()

    def no_recognition(contract: Contract) -> list[BlockingItem]:
        return [BlockingItem(code="erkenning", label="Geldige erkenning", owner="Sector")]

    with checklist.extra_checks.restored():
        checklist.register_blocking_check("tests.erkenning")(no_recognition)
        assert [b.code for b in blocking_items(contract)] == ["erkenning"]
        assert lifecycle.start_due_contracts(today=contract.start_date) == []
    assert blocking_items(contract) == []


def test_the_demos_taken_over_contracts_have_every_item_done(demo_cast):
    running = Contract.objects.filter(state="running", taken_over=True)
    assert running.count() == 4
    for contract in running:
        rows = checklist_of(contract)
        assert rows and all(row.is_done for row in rows)
        assert blocking_items(contract) == []


# --- screens and who may tick ------------------------------------------------------------------


def url(contract: Contract, name: str = "contracts:checklist") -> str:
    return reverse(name, args=[contract.traject.public_id, contract.public_id])


def post_done(client, contract: Contract, code: str, **extra):
    row = item(contract, code)
    data = {
        "item": code,
        f"{code}-done_on": (contract.start_date - timedelta(days=1)).isoformat(),
        f"{code}-reference": "",
        f"{code}-version": row.version,
        **extra,
    }
    return client.post(url(contract), data)


def test_the_checklist_screen_shows_progress_owners_and_what_blocks(demo_cast, login):
    contract = registered(ready=False)
    client = login("coord@sintjozef.demo")
    response = client.get(url(contract), headers={"accept-language": "nl-be"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 van 10 klaar" in page  # signed and registered
    assert "Dimona" in page and "Coördinator duaal bedrijf" in page
    assert 'data-testid="done-dimona"' in page and 'data-testid="done-signed"' not in page

    response = post_done(client, contract, "dimona", **{"dimona-done_on": ""})
    assert response.status_code == 400
    assert (
        "Vul de datum in" in response.content.decode() or "verplicht" in response.content.decode()
    )
    assert not item(contract, "dimona").is_done

    response = post_done(client, contract, "dimona", **{"dimona-reference": "D-9"})
    assert response.status_code == 302
    assert item(contract, "dimona").reference == "D-9"
    assert "3 van 10 klaar" in client.get(url(contract)).content.decode()


def test_reading_a_checklist_never_writes_a_missing_row_still_blocks(demo_cast, login):
    """A contract whose rows are missing (older than the checklist, before migration 0005)
    shows them open and blocking on a GET without writing; ticking one makes the rows."""
    contract = registered(ready=False)
    ChecklistItem.objects.filter(contract=contract).delete()
    client = login("coord@sintjozef.demo")
    page = client.get(url(contract), headers={"accept-language": "nl-be"}).content.decode()
    assert 'data-testid="done-dimona"' in page
    assert not ChecklistItem.objects.filter(contract=contract).exists()
    assert "dimona" in {blocking.code for blocking in blocking_items(contract)}
    assert not ChecklistItem.objects.filter(contract=contract).exists()
    shown_version = ChecklistItem._meta.get_field("version").default  # the unsaved row's
    response = client.post(
        url(contract),
        {
            "item": "dimona",
            "dimona-done_on": (contract.start_date - timedelta(days=1)).isoformat(),
            "dimona-reference": "",
            "dimona-version": shown_version,
        },
    )
    assert response.status_code == 302
    assert item(contract, "dimona").is_done
    assert ChecklistItem.objects.filter(contract=contract).count() == len(
        checklist.item_specs(contract)
    )


def test_the_migration_gives_older_contracts_their_rows(demo_cast):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("contracts.migrations.0005_checklists_of_older_contracts")
    contract = registered(ready=False)
    ChecklistItem.objects.filter(contract=contract).delete()
    migration.make_missing_checklists(apps, None)
    assert {row.code for row in ChecklistItem.objects.filter(contract=contract)} == {
        spec.code for spec in checklist.item_specs(contract)
    }
    assert item(contract, "signed").is_done  # the automatic items follow the contract


def test_who_may_tick_which_item(demo_cast, client, login):
    contract = registered(ready=False)
    # The company's coördinator ticks the company's items, not the school's.
    client = login("coord@vandenberghe.demo")
    assert client.get(url(contract)).status_code == 200
    assert post_done(client, contract, "risicoanalyse").status_code == 302
    assert item(contract, "risicoanalyse").is_done
    assert post_done(client, contract, "verzekering").status_code == 403
    assert not item(contract, "verzekering").is_done
    # A mentor of the contract reads it but ticks nothing.
    client = login("mentor@vandenberghe.demo")
    assert client.get(url(contract)).status_code == 200
    assert post_done(client, contract, "onthaal").status_code == 403
    # Another company sees nothing of it: not the checklist, not a proof.
    client = login("coord@daems.demo")
    assert client.get(url(contract)).status_code == 404
    assert post_done(client, contract, "dimona").status_code == 404
    proof = reverse(
        "contracts:checklist_proof",
        args=[contract.traject.public_id, contract.public_id, "risicoanalyse"],
    )
    assert client.get(proof).status_code == 404
    # The school's coördinator ticks every item, and reopens one.
    client = login("coord@sintjozef.demo")
    assert post_done(client, contract, "verzekering").status_code == 302
    row = item(contract, "risicoanalyse")
    response = client.post(
        url(contract), {"item": "risicoanalyse", "action": "reopen", "version": row.version}
    )
    assert response.status_code == 302 and not item(contract, "risicoanalyse").is_done


def test_the_proof_is_downloaded_by_readers_only(demo_cast, login, private_storage):
    contract = registered(ready=False)
    client = login("coord@vandenberghe.demo")
    upload = SimpleUploadedFile("rA.pdf", PDF_BYTES, content_type="application/pdf")
    response = post_done(client, contract, "risicoanalyse", **{"risicoanalyse-proof": upload})
    assert response.status_code == 302
    proof = reverse(
        "contracts:checklist_proof",
        args=[contract.traject.public_id, contract.public_id, "risicoanalyse"],
    )
    response = login("mentor@vandenberghe.demo").get(proof)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert login("oc@octl.demo").get(proof).status_code == 404


def test_the_starts_list_shows_coordinated_contracts_with_their_blocking_owners(demo_cast, login):
    contract = registered(ready=False)
    page_url = reverse("contracts:starts")
    today = contract.start_date - timedelta(days=10)
    rows = starts_due(user=user("coord@sintjozef.demo"), today=today)
    [row] = [r for r in rows if r["contract"].pk == contract.pk]
    assert {b.code for b in row["blocking"]} == {
        "dimona", "risicoanalyse", "gezondheidstoezicht", "verzekering",
    }  # fmt: skip
    # Too far ahead: not yet in the list.
    far = contract.start_date - timedelta(days=31)
    assert contract.pk not in {
        r["contract"].pk for r in starts_due(user=user("coord@sintjozef.demo"), today=far)
    }
    # The company's coördinator sees it too; another company's does not.
    assert contract.pk in {
        r["contract"].pk for r in starts_due(user=user("coord@vandenberghe.demo"), today=today)
    }
    assert contract.pk not in {
        r["contract"].pk for r in starts_due(user=user("coord@daems.demo"), today=today)
    }

    response = login("coord@sintjozef.demo").get(page_url)
    assert response.status_code == 200
    assert login("mentor@vandenberghe.demo").get(page_url).status_code == 403


def test_the_coordinators_home_shows_the_blocked_starts(demo_cast, login):
    contract = registered(ready=False)
    from django.utils import timezone

    if not 0 <= (contract.start_date - timezone.localdate()).days <= 30:
        Contract.objects.filter(pk=contract.pk).update(
            start_date=timezone.localdate() + timedelta(days=5)
        )
    page = login("coord@sintjozef.demo").get("/").content.decode()
    assert 'data-testid="home-starts"' in page and "Nina Test" in page
    assert (
        'data-testid="home-starts"'
        not in login("mentor@vandenberghe.demo").get("/").content.decode()
    )


def test_the_school_coordinator_changes_an_owner_and_a_due_date_on_the_screen(demo_cast, login):
    contract = registered(ready=False)
    row = item(contract, "gezondheidstoezicht")
    new_due = contract.start_date - timedelta(days=14)
    data = {
        "item": "gezondheidstoezicht",
        "action": "manage",
        "manage-gezondheidstoezicht-owner": "coordinator_bedrijf",
        "manage-gezondheidstoezicht-due_on": new_due.isoformat(),
        "manage-gezondheidstoezicht-version": row.version,
    }
    # The company's coördinator ticks its own items but does not redraw the matrix.
    assert login("coord@vandenberghe.demo").post(url(contract), data).status_code == 403
    assert item(contract, "gezondheidstoezicht").due_on == row.due_on
    client = login("coord@sintjozef.demo")
    too_late = {**data, "manage-gezondheidstoezicht-due_on": "2099-01-01"}
    response = client.post(url(contract), too_late)
    assert (
        response.status_code == 400 and item(contract, "gezondheidstoezicht").due_on == row.due_on
    )
    assert client.post(url(contract), data).status_code == 302
    assert item(contract, "gezondheidstoezicht").due_on == new_due
    owner = owners([contract])[(contract.pk, "gezondheidstoezicht")]
    assert (owner.role, owner.organisation_name) == (
        "coordinator_bedrijf",
        "Metaalbouw Vandenberghe",
    )


def test_a_students_erasure_deletes_the_checklist_proofs_and_keeps_the_ticks(
    demo_cast, private_storage
):
    """A proof can be a medical or insurance document: the student's erasure deletes the file;
    the export lists the items with who ticked them."""
    from contracts.privacy import ContractProvider
    from duaal.privacy import Person

    contract = registered(ready=False)
    today = date(2026, 12, 2)
    row = item(contract, "gezondheidstoezicht")
    proof = SimpleUploadedFile("attest.pdf", PDF_BYTES, content_type="application/pdf")
    saved = services.item_mark_done(
        actor=user("coord@sintjozef.demo"), item=row, version=row.version, done_on=today,
        proof=proof, today=today,
    )  # fmt: skip
    stored = private_storage / saved.proof.name
    assert stored.exists()
    person = Person(label="leerling", student_id=contract.traject.student_id)
    exported = {s.key: s for s in ContractProvider().collect(person, internal=True)}
    assert any(r and "attest.pdf" in map(str, r.values()) for r in exported["checklist"].rows)

    assert ContractProvider().erase(person) >= 1
    kept = item(contract, "gezondheidstoezicht")
    assert not stored.exists()
    assert (kept.proof.name, kept.proof_name, kept.done_on) == ("", "", today)


@pytest.mark.parametrize("action", ["", "reopen", "manage"])
def test_a_posted_item_that_is_no_items_code_is_a_400(demo_cast, client, login, action):
    """The form fuzz found a 500: a NUL in the item's code reached PostgreSQL."""
    contract = Contract.objects.get(traject__student__first_name="Lotte")
    login("coord@sintjozef.demo")
    for code in ("\x00", "dimona\x00", "9223372036854775807", "nope"):
        response = client.post(url(contract), {"item": code, "action": action})
        assert response.status_code == 400, (code, action, response.status_code)


def test_the_starts_list_takes_as_many_queries_for_one_contract_as_for_two(demo_cast):
    """Items, owners and blocking items are read for all contracts at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = registered("Nina", ready=False)
    today = first.start_date - timedelta(days=10)
    coord = user("coord@sintjozef.demo")
    starts_due(user=coord, today=today)  # warm caches
    with CaptureQueriesContext(connection) as one:
        assert len([r for r in starts_due(user=coord, today=today) if not r["late"]]) >= 1
    # Another mentor: Patrick Hermans guides Lotte, Noor (contracts demo) and Nina.
    second = registered("Nora", ready=False, mentor="mentor2@vandenberghe.demo")
    with CaptureQueriesContext(connection) as two:
        rows = starts_due(user=coord, today=today)
    assert {first.pk, second.pk} <= {r["contract"].pk for r in rows}
    assert len(two) == len(one), (len(one), len(two))
