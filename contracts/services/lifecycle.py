"""The contract's lifecycle: concept → ter ondertekening → getekend → geregistreerd → lopend →
geschorst → beëindigd / vroegtijdig beëindigd (docs/decisions/0018-contracts.md).

Every service runs in one transaction, locks the contract row, checks the version the caller
showed (optimistic locking: ``version=None`` skips the check, for the system), refuses an
invalid transition with a Dutch message (``ValidationError``, code ``invalid_transition``) and
writes ONE audit entry per event — what the event changed on the traject or its placements
(through partnerships' services) is listed in that same entry. Who may call them is asked by
the caller (``contracts.access``); the signing screen calls ``record_signature``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from contracts import pdf
from contracts.checklist import blocking_items
from contracts.hours import contract_hours
from contracts.models import (
    ENDED_STATES,
    SIGNING_STATES,
    Contract,
    ContractParty,
    ContractState,
    PartyRole,
    Signature,
    SignatureMethod,
)
from contracts.models.contracts import REASON_MAX_LENGTH
from contracts.signals import contract_changed
from contracts.tasks import prepare_pdf_to_sign
from duaal import audit
from learning.models import ContractType
from organisations.models import Organisation, Vestiging
from partnerships import audit as trail
from partnerships.models import Traject
from partnerships.services import trajects as traject_services

State = ContractState
CONTRACT_FIELDS = (
    "contract_type",
    "state",
    "start_date",
    "end_date",
    "workplace_hours_per_week",
    "leervergoeding_category",
    "registration_reference",
    "registered_on",
    "suspended_on",
    "suspension_reason",
    "ended_on",
    "end_reason",
    "taken_over",
)
# What ``contract_update`` may change (besides re-deriving the hours from the placements).
EDITABLE_FIELDS = ("start_date", "end_date", "leervergoeding_category")


# --- helpers ---------------------------------------------------------------------------------


def _label(contract: Contract) -> str:
    return f"{contract.get_contract_type_display()} – {contract.company}"


def _record(
    *, actor: User | None, action: str, contract: Contract, changes: dict[str, Any]
) -> None:
    trail.record(
        actor=actor,
        action=action,
        traject=contract.traject,
        obj=contract,
        object_label=_label(contract),
        changes=changes,
    )
    contract_changed.send(sender=Contract, contract=contract, traject_id=contract.traject_id)


def _lock(contract: Contract, version: int | None) -> Contract:
    """The contract row, locked for this transaction; refused when someone changed it since
    the caller read ``version``."""
    locked = (
        Contract.objects.select_for_update()
        .select_related("traject", "traject__partnership", "traject__student", "company")
        .get(pk=contract.pk)
    )
    if version is not None and locked.version != version:
        raise ValidationError(
            _("Someone else changed this contract in the meantime. Reload the page and try again."),
            code="stale",
        )
    return locked


def _require_state(contract: Contract, allowed: Iterable[str], action: str) -> None:
    allowed = set(allowed)
    if contract.state not in allowed:
        raise ValidationError(
            _("A contract that is “%(state)s” cannot be %(action)s.")
            % {"state": contract.get_state_display(), "action": action},
            code="invalid_transition",
        )


def _reason(reason: str, field: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: message}, code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH}}
        )
    return reason


def _save(contract: Contract, before: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """Save ``fields`` and one version more; the changes between ``before`` and now."""
    fields = list(fields)
    contract.version += 1
    contract.full_clean(exclude=["traject", "company", "vestiging"])
    contract.save(update_fields=[*fields, "version", "updated_at"])
    return audit.diff(before, audit.snapshot(contract, fields))


def _is_minor(birth_date: date, on: date) -> bool:
    try:
        eighteenth = birth_date.replace(year=birth_date.year + 18)
    except ValueError:  # born on 29 February
        eighteenth = date(birth_date.year + 18, 3, 1)
    return on < eighteenth


def _void_signatures(contract: Contract, reason: str) -> int:
    return Signature.objects.filter(contract=contract, voided_at__isnull=True).update(
        voided_at=timezone.now(), void_reason=reason
    )


# --- parties ---------------------------------------------------------------------------------


def required_parties(contract: Contract) -> list[dict[str, Any]]:
    """Who must sign ``contract``: the company, the school, the student and — when the student
    is a minor on the contract's start date — every parent or guardian on record."""
    traject = contract.traject
    student = traject.student
    parties: list[dict[str, Any]] = [
        {
            "role": PartyRole.COMPANY,
            "organisation": contract.company,
            "name": str(contract.company),
        },
        {
            "role": PartyRole.SCHOOL,
            "organisation": traject.partnership.school,
            "name": str(traject.partnership.school),
        },
        {"role": PartyRole.STUDENT, "name": student.full_name},
    ]
    if _is_minor(student.birth_date, contract.start_date):
        parties += [
            {"role": PartyRole.PARENT, "contact": contact, "name": contact.full_name}
            for contact in student.contacts.order_by("pk")
        ]
    return parties


def sync_parties(contract: Contract) -> None:
    """Make the contract's parties those of ``required_parties`` (a parent no longer needed —
    the student is an adult on the new start date — is removed with their signatures)."""
    wanted = required_parties(contract)
    existing = list(contract.parties.all())
    keep: set[int] = set()
    for spec in wanted:
        match = next(
            (
                p
                for p in existing
                if p.role == spec["role"]
                and (spec["role"] != PartyRole.PARENT or p.contact_id == spec["contact"].pk)
            ),
            None,
        )
        if match is None:
            match = ContractParty.objects.create(contract=contract, **spec)
        elif match.name != spec["name"]:
            match.name = spec["name"]
            match.save(update_fields=["name"])
        keep.add(match.pk)
    contract.parties.exclude(pk__in=keep).delete()


def missing_signatures(contract: Contract) -> list[ContractParty]:
    """The required parties without a valid signature."""
    signed = Signature.objects.filter(contract=contract, voided_at__isnull=True).values("party_id")
    return list(contract.parties.filter(required=True).exclude(pk__in=signed))


# --- creating and changing the concept --------------------------------------------------------


def _new_contract(*, traject: Traject, company: Organisation, **extra: Any) -> Contract:
    """A contract of ``traject`` with ``company`` whose type, period and hours follow from its
    placements there (not saved); refused when there is none."""
    hours = contract_hours(traject=traject, company=company)
    if not hours.periods or hours.start is None or hours.end is None or not hours.vestiging_id:
        raise ValidationError(
            _("Add a placement at %(company)s first: the contract follows from its hours.")
            % {"company": company},
            code="no_placement",
        )
    contract = Contract(
        traject=traject,
        company=company,
        vestiging_id=hours.vestiging_id,
        contract_type=hours.contract_type,
        start_date=hours.start,
        end_date=hours.end,
        workplace_hours_per_week=hours.average,
        hours_basis=hours.basis(),
        **extra,
    )
    if contract.contract_type != ContractType.OAO:
        contract.leervergoeding_category = None
    contract.full_clean(exclude=["traject", "company", "vestiging"])
    return contract


@transaction.atomic
def contract_create(
    *,
    actor: User,
    traject: Traject,
    company: Organisation,
    leervergoeding_category: int | None = None,
) -> Contract:
    """Draw up the concept of the contract of ``traject`` with ``company``: type, period and
    hours from its placements there (``contracts.hours``), its parties. One per traject and
    company."""
    if Contract.objects.filter(traject=traject, company=company).exists():
        raise ValidationError(
            _("%(student)s already has a contract with %(company)s.")
            % {"student": traject.student, "company": company},
            code="duplicate",
        )
    contract = _new_contract(
        traject=traject, company=company, leervergoeding_category=leervergoeding_category
    )
    contract.save()
    sync_parties(contract)
    _record(
        actor=actor,
        action="contract.create",
        contract=contract,
        changes=audit.created(audit.snapshot(contract, CONTRACT_FIELDS)),
    )
    return contract


@transaction.atomic
def contract_update(
    *,
    actor: User | None,
    contract: Contract,
    version: int | None,
    data: dict[str, Any] | None = None,
    rederive_hours: bool = False,
    placements_changed: bool = False,
) -> Contract:
    """Change the concept (``EDITABLE_FIELDS``; with ``rederive_hours`` the type, hours,
    period and vestiging again from the placements). Only before registration. A change after any signature
    voids ALL signatures, with the reason visible on each; a contract that was out for signing
    or signed goes (back) to "ter ondertekening": every party signs the new version.

    ``placements_changed`` (``follow_placements``): the placements at the company changed in
    what the contract's PDF shows in its uurrooster (period, weekly pattern, hours, vestiging).
    Beyond the contract out for signing, that alone is a new version, even when type, hours
    and period stay the same."""
    contract = _lock(contract, version)
    _require_state(contract, SIGNING_STATES, _("changed"))
    data = dict(data or {})
    if rederive_hours:
        hours = contract_hours(traject=contract.traject, company=contract.company_id)
        if not hours.periods:
            raise ValidationError(
                _("This contract has no placement left at %(company)s.")
                % {"company": contract.company},
                code="no_placement",
            )
        data.update(
            contract_type=hours.contract_type,
            workplace_hours_per_week=hours.average,
            hours_basis=hours.basis(),
            start_date=hours.start,
            end_date=hours.end,
        )
        if hours.vestiging_id and hours.vestiging_id != contract.vestiging_id:
            # The placement moved to another vestiging of the company.
            data["vestiging"] = Vestiging.objects.get(pk=hours.vestiging_id)
        if hours.contract_type != ContractType.OAO:
            data["leervergoeding_category"] = None
    derived = ("contract_type", "workplace_hours_per_week", "hours_basis", "vestiging")
    allowed = (*EDITABLE_FIELDS, *(derived if rederive_hours else derived[:3]))
    fields = [name for name in allowed if name in data and getattr(contract, name) != data[name]]
    new_uurrooster = placements_changed and contract.state != State.CONCEPT
    if not fields and not new_uurrooster:
        return contract
    recorded = [name for name in fields if name != "hours_basis"]
    before = audit.snapshot(contract, [*recorded, "state"])
    for name in fields:
        setattr(contract, name, data[name])
    if contract.contract_type != ContractType.OAO:
        contract.leervergoeding_category = None
        if "leervergoeding_category" not in fields:
            fields.append("leervergoeding_category")
    voided = 0
    if Signature.objects.filter(contract=contract, voided_at__isnull=True).exists():
        changed = [
            str(getattr(Contract._meta.get_field(name), "verbose_name", name)) for name in recorded
        ]
        if placements_changed or not changed:
            changed.append(_("the uurrooster of the placements"))
        voided = _void_signatures(
            contract,
            _("The contract was changed after this signature (%(fields)s): sign it again.")
            % {"fields": ", ".join(changed)},
        )
    if contract.state == State.SIGNED:
        contract.state = State.TO_SIGN
    changes = _save(contract, before, [*fields, "state"])
    changes.pop("hours_basis", None)  # the figures behind the average: on the contract
    if placements_changed:  # the uurrooster itself is in the placement's own entry
        changes["contract_version"] = (contract.version - 1, contract.version)
    if voided:
        changes["signatures_voided"] = (0, voided)
    sync_parties(contract)
    _record(actor=actor, action="contract.update", contract=contract, changes=changes)
    return contract


@transaction.atomic
def follow_placements(
    *, actor: User | None, traject: Traject, company_ids: Iterable[int]
) -> list[Contract]:
    """A placement of ``traject`` at one of ``company_ids`` was added, changed or removed in
    what its contract shows (``partnerships.signals.placements_changed``). Each contract there
    that is not registered yet follows: type, hours and period re-derived from the placements
    (``contract_update``) — a concept silently, a contract out for signing or signed as a new
    version whose signatures are void (decision 0020). A registered or running contract is not
    changed (its page says the placements changed); nor is one whose last placement at the
    company is gone (its page says so; the coordinator decides)."""
    followed = []
    contracts = Contract.objects.filter(
        traject=traject, company_id__in=set(company_ids), state__in=SIGNING_STATES
    ).order_by("pk")
    for contract in contracts:
        try:
            followed.append(
                contract_update(
                    actor=actor,
                    contract=contract,
                    version=None,
                    rederive_hours=True,
                    placements_changed=True,
                )
            )
        except ValidationError as error:
            if getattr(error, "code", None) != "no_placement":
                raise
    return followed


# --- signing ---------------------------------------------------------------------------------


@transaction.atomic
def contract_send_for_signing(*, actor: User, contract: Contract, version: int | None) -> Contract:
    """Concept → ter ondertekening. Refused while a minor student has no parent on record."""
    contract = _lock(contract, version)
    _require_state(contract, [State.CONCEPT], _("sent for signing"))
    sync_parties(contract)
    student = contract.traject.student
    if (
        _is_minor(student.birth_date, contract.start_date)
        and not contract.parties.filter(role=PartyRole.PARENT).exists()
    ):
        raise ValidationError(
            _(
                "%(name)s is a minor on the start date: add a parent or guardian first, who "
                "signs the contract too."
            )
            % {"name": student.full_name},
            code="parent_missing",
        )
    before = audit.snapshot(contract, ["state"])
    contract.state = State.TO_SIGN
    _record(
        actor=actor,
        action="contract.send",
        contract=contract,
        changes=_save(contract, before, ["state"]),
    )
    contract_id = contract.pk
    transaction.on_commit(lambda: prepare_pdf_to_sign.delay(contract_id))
    return contract


@transaction.atomic
def record_signature(
    *,
    contract: Contract,
    party: ContractParty,
    user: User | None,
    typed_name: str,
    pdf_sha256: str,
    ip_address: str | None,
    version: int,
    method: str = SignatureMethod.ONLINE,
) -> Signature:
    """One party signs ``version`` of the contract — the signing screen calls this once it
    checked that ``user`` may sign for ``party`` and rendered the PDF whose SHA-256 it passes.
    When every required party has signed, the contract becomes "getekend" (in the same audit
    entry)."""
    contract = _lock(contract, version)
    _require_state(contract, [State.TO_SIGN], _("signed"))
    if party.contract_id != contract.pk:
        raise ValidationError(_("This party is not a party to this contract."), code="party")
    typed_name = " ".join((typed_name or "").split())
    if not typed_name:
        raise ValidationError(
            {"typed_name": _("Type your full name to sign.")}, code="name_required"
        )
    pdf_sha256 = (pdf_sha256 or "").strip().lower()
    if method == SignatureMethod.ONLINE and (
        len(pdf_sha256) != 64 or any(c not in "0123456789abcdef" for c in pdf_sha256)
    ):
        raise ValidationError(_("The contract shown could not be identified."), code="pdf_hash")
    if Signature.objects.filter(party=party, voided_at__isnull=True).exists():
        raise ValidationError(
            _("%(party)s has already signed this contract.") % {"party": party.name},
            code="already_signed",
        )
    if method == SignatureMethod.ONLINE:
        # The hash must be that of the PDF stored for THIS version, and the stored file must
        # still hash to it (contracts.pdf): a signature is of the exact file every party sees.
        stored = pdf.stored_pdf(contract)
        if stored is None or stored.sha256 != pdf_sha256:
            raise ValidationError(
                _(
                    "The contract you signed is not the current version of this contract: it "
                    "was changed in the meantime. Open the signing page again and read the "
                    "current contract before you sign."
                ),
                code="pdf_mismatch",
            )
        try:
            pdf.verified_bytes(stored)
        except pdf.PdfTampered as exc:
            raise ValidationError(
                _(
                    "The stored PDF of this contract no longer matches its fingerprint, so it "
                    "cannot be signed. The coordinator has been told; try again later."
                ),
                code="pdf_tampered",
            ) from exc
    signature = Signature.objects.create(
        contract=contract,
        party=party,
        method=method,
        user=user,
        typed_name=typed_name[:200],
        signed_at=timezone.now(),
        ip_address=ip_address,
        pdf_sha256=pdf_sha256,
        contract_version=contract.version,
    )
    changes: dict[str, Any] = {
        "party": (None, f"{party.get_role_display()}: {party.name}"),
        "typed_name": (None, signature.typed_name),
    }
    if pdf_sha256:
        changes["pdf_sha256"] = (None, pdf_sha256)
    if not missing_signatures(contract):
        before = audit.snapshot(contract, ["state"])
        contract.state = State.SIGNED
        # The version stays: the signatures are of this version.
        contract.save(update_fields=["state", "updated_at"])
        changes.update(audit.diff(before, audit.snapshot(contract, ["state"])))
        if method == SignatureMethod.ONLINE:
            # The signed PDF, every signature in the block, kept immutable (contracts.pdf).
            changes["signed_pdf_sha256"] = (None, pdf.store_signed_pdf(contract).sha256)
    _record(actor=user, action="contract.sign", contract=contract, changes=changes)
    return signature


# --- registration, start ---------------------------------------------------------------------


@transaction.atomic
def contract_register(
    *,
    actor: User,
    contract: Contract,
    version: int | None,
    reference: str,
    registered_on: date | None = None,
) -> Contract:
    """Getekend → geregistreerd, with the reference number of the Werkplek duaal loket."""
    contract = _lock(contract, version)
    _require_state(contract, [State.SIGNED], _("registered"))
    reference = " ".join((reference or "").split())
    if not reference:
        raise ValidationError(
            {
                "registration_reference": _(
                    "Enter the reference number the Werkplek duaal loket gave the registration."
                )
            },
            code="reference_required",
        )
    fields = ["state", "registration_reference", "registered_on"]
    before = audit.snapshot(contract, fields)
    contract.state = State.REGISTERED
    contract.registration_reference = reference
    contract.registered_on = registered_on or timezone.localdate()
    _record(
        actor=actor,
        action="contract.register",
        contract=contract,
        changes=_save(contract, before, fields),
    )
    return contract


@transaction.atomic
def contract_start(
    *, actor: User | None, contract: Contract, version: int | None, today: date | None = None
) -> Contract:
    """Geregistreerd → lopend, from its start date on and when no start-checklist item blocks
    (``contracts.checklist.blocking_items``). The traject becomes running with its first
    contract (recorded in the same entry)."""
    today = today or timezone.localdate()
    contract = _lock(contract, version)
    _require_state(contract, [State.REGISTERED], _("started"))
    if contract.start_date > today:
        raise ValidationError(
            _("This contract starts on %(date)s: it cannot run before that day.")
            % {"date": date_format(contract.start_date, "SHORT_DATE_FORMAT")},
            code="not_yet",
        )
    blocking = blocking_items(contract)
    if blocking:
        raise ValidationError(
            _("The start is blocked by: %(items)s.")
            % {"items": ", ".join(f"{item.label} ({item.owner})" for item in blocking)},
            code="blocked",
        )
    before = audit.snapshot(contract, ["state"])
    contract.state = State.RUNNING
    changes = _save(contract, before, ["state"])
    changes.update(traject_services.traject_start_running(traject=contract.traject))
    _record(actor=actor, action="contract.start", contract=contract, changes=changes)
    return contract


def start_due_contracts(today: date | None = None) -> list[Contract]:
    """The daily job: start every registered contract whose start date has come and that
    nothing blocks (each in its own transaction, as the system). Returns those started."""
    today = today or timezone.localdate()
    started = []
    due = Contract.objects.filter(state=State.REGISTERED, start_date__lte=today).order_by("pk")
    for contract in due:
        if blocking_items(contract):
            continue
        try:
            started.append(contract_start(actor=None, contract=contract, version=None, today=today))
        except ValidationError:
            continue  # changed meanwhile; tomorrow's run sees it again
    return started


# --- suspension and the end ------------------------------------------------------------------


@transaction.atomic
def contract_suspend(
    *, actor: User, contract: Contract, version: int | None, on: date, reason: str
) -> Contract:
    """Lopend → geschorst from ``on`` (date and reason required); its placements pause."""
    contract = _lock(contract, version)
    _require_state(contract, [State.RUNNING], _("suspended"))
    reason = _reason(
        reason, "suspension_reason", _("Give the reason for the suspension: the team reads it.")
    )
    if on is None:
        raise ValidationError({"suspended_on": _("Enter the day the suspension starts.")})
    fields = ["state", "suspended_on", "suspension_reason"]
    before = audit.snapshot(contract, fields)
    contract.state = State.SUSPENDED
    contract.suspended_on = on
    contract.suspension_reason = reason
    changes = _save(contract, before, fields)
    changes.update(
        traject_services.placements_suspend(
            traject=contract.traject, company_id=contract.company_id, on=on
        )
    )
    _record(actor=actor, action="contract.suspend", contract=contract, changes=changes)
    return contract


@transaction.atomic
def contract_resume(*, actor: User, contract: Contract, version: int | None) -> Contract:
    """Geschorst → lopend; its placements go on (the suspension stays in the history)."""
    contract = _lock(contract, version)
    _require_state(contract, [State.SUSPENDED], _("resumed"))
    fields = ["state", "suspended_on", "suspension_reason"]
    before = audit.snapshot(contract, fields)
    contract.state = State.RUNNING
    contract.suspended_on = None
    contract.suspension_reason = ""
    changes = _save(contract, before, fields)
    changes.update(
        traject_services.placements_suspend(
            traject=contract.traject, company_id=contract.company_id, on=None
        )
    )
    _record(actor=actor, action="contract.resume", contract=contract, changes=changes)
    return contract


# States an end applies to: a registered contract may still be ended before it started.
ENDABLE = (State.REGISTERED, State.RUNNING, State.SUSPENDED)


def _end(contract: Contract, *, on: date, reason: str, early: bool) -> dict[str, Any]:
    """End the locked ``contract`` and its placements; the changes, nothing recorded."""
    _require_state(contract, ENDABLE, _("ended"))
    reason = _reason(reason, "end_reason", _("Give the reason why the contract ends."))
    if on is None:
        raise ValidationError({"ended_on": _("Enter the day the contract ends.")})
    if on < contract.start_date and contract.state != State.REGISTERED:
        raise ValidationError(
            {"ended_on": _("A contract cannot end before it started.")}, code="end_before_start"
        )
    fields = ["state", "ended_on", "end_reason", "suspended_on", "suspension_reason"]
    before = audit.snapshot(contract, fields)
    contract.state = State.ENDED_EARLY if early else State.ENDED
    contract.ended_on = on
    contract.end_reason = reason
    contract.suspended_on = None
    contract.suspension_reason = ""
    changes = _save(contract, before, fields)
    changes.update(
        traject_services.placements_end(
            traject=contract.traject, company_id=contract.company_id, on=on
        )
    )
    return changes


@transaction.atomic
def contract_end(
    *,
    actor: User,
    contract: Contract,
    version: int | None,
    on: date,
    reason: str,
    early: bool = False,
) -> Contract:
    """Lopend / geschorst (or geregistreerd, never started) → beëindigd or, with ``early``,
    vroegtijdig beëindigd on ``on`` (date and reason required); its placements end that day.
    Ending the whole traject early is ``traject_update`` (partnerships), which ends the running
    contract through the ``traject_ending`` signal — see ``contracts.receivers``."""
    contract = _lock(contract, version)
    changes = _end(contract, on=on, reason=reason, early=early)
    _record(actor=actor, action="contract.end", contract=contract, changes=changes)
    return contract


def end_with_traject(
    *, traject: Traject, status: str, ended_on: date, reason: str
) -> dict[str, Any]:
    """The traject ends (completed or stopped early): its contracts that still run (or wait,
    registered) end on the same day for the same reason. The changes, for the traject's one
    audit entry; concepts and contracts out for signing stay for the school to close."""
    early = status == "stopped"
    changes: dict[str, Any] = {}
    before: list[str] = []
    after: list[str] = []
    for contract in Contract.objects.filter(traject=traject, state__in=ENDABLE).order_by("pk"):
        locked = _lock(contract, None)
        before.append(f"{locked.company}: {locked.get_state_display()}")
        more = _end(locked, on=ended_on, reason=reason, early=early)
        contract_changed.send(sender=Contract, contract=locked, traject_id=locked.traject_id)
        after.append(
            f"{locked.company}: {locked.get_state_display()} "
            f"({date_format(ended_on, 'SHORT_DATE_FORMAT')})"
        )
        for key in ("placements_ended", "placements_removed"):
            if key in more:
                changes[key] = (0, int(changes.get(key, (0, 0))[1]) + int(more[key][1]))
    if after:
        changes["contracts"] = (before, after)
    return changes


@transaction.atomic
def contract_take_over(
    *, actor: User | None, traject: Traject, company: Organisation, today: date | None = None
) -> Contract:
    """Record a contract signed and registered before Duaal kept contracts (``taken_over``):
    type and hours from the placements, every party's signature marked as signed on paper,
    running from its start date (the traject with it), registered until then. One entry in
    the audit trail. Used by the demo; the data migration does the same on historical rows."""
    today = today or timezone.localdate()
    existing = Contract.objects.filter(traject=traject, company=company).first()
    if existing is not None:
        return existing
    contract = _new_contract(traject=traject, company=company, taken_over=True)
    contract.state = State.RUNNING if contract.start_date <= today else State.REGISTERED
    contract.save()
    sync_parties(contract)
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(
            contract=contract,
            party=party,
            method=SignatureMethod.TAKEN_OVER,
            typed_name=party.name,
            signed_at=now,
            contract_version=contract.version,
        )
        for party in contract.parties.all()
    )
    changes = audit.created(audit.snapshot(contract, CONTRACT_FIELDS))
    if contract.state == State.RUNNING:
        changes.update(traject_services.traject_start_running(traject=traject))
    _record(actor=actor, action="contract.take_over", contract=contract, changes=changes)
    return contract


def ended(contract: Contract) -> bool:
    return contract.state in ENDED_STATES
