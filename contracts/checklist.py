"""The start checklist (brochure chapter 5, "Aanvang van het duale traject").

What must be in order before the student's first company day, per contract (one per traject ×
company). This module answers three questions; the state changes (done with proof, reopened,
another due date or owner) are ``contracts.services.checklist``'s, with the audit trail.

* **Which items** a contract has — ``item_specs(contract)``: intake, afsprakenkader, signed,
  registered (with uurrooster, opleidingsplan and arbeidsreglement), Dimona (OAO only: the
  employer's declaration, at the latest on the start date), risk analysis + werkpostfiche
  (before the start, renewed yearly: valid for a year from its date), health surveillance,
  documented welcome, work accident insurance (OAO: the employer's; SOAO: the school's), the
  company's civil liability insurance (SOAO only), work clothes and PBM. Each with a due date
  derived from the start and whether it **blocks** the start.
  Health surveillance: brochure chapter 5 says it is *always* needed for a minor and that for
  the others the company decides whether it is needed (from the risk analysis). So the item is
  there for every student; it blocks the start for a student who is a minor on the start date
  and, for an adult, records the decision without blocking.
* **Who owns** each item — ``owners(contracts)``: the partnership's own choice
  (``ChecklistOwnerOverride``), else the Responsible (R) of the matching RACI task in the
  partnership's matrix (``TASK_OF``), else ``DEFAULT_OWNER`` (the school's coördinator; for the
  employer's own obligations — Dimona and the SOAO's civil liability insurance — the company's
  coördinator). A school role is the school's, a company role the contract's company's.
* **What blocks** the start — ``blocking_items(contract)``: the open blocking items, plus what
  the **extra checks** add. ``contract_start`` and ``start_due_contracts`` refuse while the list
  is not empty.

Extension point — extra blocking checks. Another app adds a blocking condition without this
app importing it: in a module ``<app>/start_checks.py`` (imported at start-up by
``ContractsConfig.ready``) it registers a function ``contract -> list[BlockingItem]``
(or, with ``register_batch_check``, ``contracts -> {contract pk: [BlockingItem]}``, so that
a list of many contracts asks once)::

    from contracts.checklist import BlockingItem, register_blocking_check

    @register_blocking_check("recognition.valid_erkenning")
    def valid_erkenning(contract):
        if recognition_valid(contract.company, on=contract.start_date):
            return []
        return [BlockingItem(code="erkenning", label="…", owner="…")]

The recognition rules ("geldige erkenning", "erkende mentor") are checked that way from
``contracts/start_checks.py`` (recognition sits below partnerships and never imports
contracts; contracts may ask partnerships' and recognition's selectors). A check answers in a
fixed number of queries and returns items the coordinator can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from duaal.registry import Registry
from learning.models import ContractType
from partnerships.models import RaciCell, TeamMember, TeamRole
from partnerships.models.partnerships import COMPANY_ROLES, SCHOOL_ROLES
from partnerships.raci import MATRIX_ROLES, TASKS_BY_CODE

if TYPE_CHECKING:
    from contracts.models import ChecklistItem, Contract


@dataclass(frozen=True)
class BlockingItem:
    code: str  # e.g. "dimona", "risicoanalyse"
    label: str  # what the coordinator reads
    owner: str  # who must close it (a role or a person's name)


# --- which items ------------------------------------------------------------------------------

# The RACI task whose Responsible owns an item (partnerships/raci.py task codes).
TASK_OF: dict[str, str] = {
    "signed": "contracten",
    "registered": "contracten",
    "verzekering": "verzekering",
    "risicoanalyse": "werkpostfiche",
    "gezondheidstoezicht": "medisch",
    "onthaal": "onthaal",
}
# The owner of an item without a RACI task (or a matrix without a Responsible for it).
DEFAULT_OWNER: dict[str, str] = {
    "dimona": TeamRole.COORDINATOR_BEDRIJF,  # the employer's declaration
    "ba_verzekering": TeamRole.COORDINATOR_BEDRIJF,  # the company insures its liability
}
# Items that follow the contract itself: closed when it is signed / registered, never ticked.
AUTOMATIC = frozenset({"signed", "registered"})
# A risk analysis is renewed yearly: it must be younger than this on the start date.
RISK_ANALYSIS_VALID = 365

SIGNED_STATES = frozenset({"signed", "registered", "running", "suspended", "ended", "ended_early"})
REGISTERED_STATES = frozenset({"registered", "running", "suspended", "ended", "ended_early"})


@dataclass(frozen=True)
class ItemSpec:
    code: str
    blocking: bool
    due_on: date


def is_minor(birth_date: date, on: date) -> bool:
    try:
        eighteenth = birth_date.replace(year=birth_date.year + 18)
    except ValueError:  # born on 29 February
        eighteenth = date(birth_date.year + 18, 3, 1)
    return on < eighteenth


def item_specs(contract: Contract) -> list[ItemSpec]:
    """The items ``contract`` has, in the checklist's order, with due date and blocking."""
    start = contract.start_date
    before = start - timedelta(days=1)  # "before the start": the day before the first day
    minor = is_minor(contract.traject.student.birth_date, start)
    oao = contract.contract_type == ContractType.OAO
    specs = [
        ItemSpec("intake", False, before),
        ItemSpec("afsprakenkader", False, before),
        ItemSpec("signed", True, before),
        ItemSpec("registered", True, before),
    ]
    if oao:
        specs.append(ItemSpec("dimona", True, start))  # at the latest on the start date
    specs += [
        ItemSpec("risicoanalyse", True, before),
        ItemSpec("gezondheidstoezicht", minor, before),
        ItemSpec("onthaal", False, start),
        ItemSpec("verzekering", True, before),
    ]
    if not oao:
        specs.append(ItemSpec("ba_verzekering", True, before))
    specs.append(ItemSpec("werkkledij", False, start))
    return specs


def item_help(code: str, contract: Contract) -> str:
    """One line under an item's label: what it asks, for this contract."""
    oao = contract.contract_type == ContractType.OAO
    texts = {
        "intake": _("A conversation of the company, the student and the school before the start."),
        "afsprakenkader": _(
            "Written agreements on how school, company and student communicate, and on "
            "attitude, feedback and evaluation."
        ),
        "signed": _(
            "Signed by the company, the school, the student and, for a minor, the parents."
        ),
        "registered": _(
            "The school uploads the contract with the uurrooster, the opleidingsplan and the "
            "arbeidsreglement; the loket gives a reference number."
        ),
        "dimona": _("The employer declares the student at the latest on the start date."),
        "risicoanalyse": _(
            "Made by the company before the start; renewed every year and after a major change."
        ),
        "gezondheidstoezicht": _(
            "Always needed for a minor. For an adult, the risk analysis decides whether it is "
            "needed: record that decision."
        ),
        "onthaal": _("A general welcome and a welcome at the workplace, documented."),
        "verzekering": (
            _("OAO: the employer insures work accidents.")
            if oao
            else _("SOAO: the school insures work accidents.")
        ),
        "ba_verzekering": _("SOAO: the company insures its civil liability."),
        "werkkledij": _("The company provides and maintains work clothes and PBM."),
    }
    return texts.get(code, "")


def renewal_due(item: ChecklistItem) -> date | None:
    """When a done risk analysis must be renewed (a year after its date)."""
    if item.code != "risicoanalyse" or item.done_on is None:
        return None
    return item.done_on + timedelta(days=RISK_ANALYSIS_VALID)


def is_open(item: ChecklistItem, contract: Contract) -> bool:
    """Open: not done, or a risk analysis older than a year on the contract's start date."""
    if item.done_on is None:
        return True
    renew = renewal_due(item)
    return renew is not None and renew <= contract.start_date


def progress(items: Iterable[ChecklistItem], contract: Contract) -> tuple[int, int]:
    """(items done, items) of a contract's checklist: a risk analysis to renew counts open."""
    rows = list(items)
    return sum(1 for item in rows if not is_open(item, contract)), len(rows)


# --- who owns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    role: str
    organisation_id: int | None
    organisation_name: str
    people: tuple[str, ...]

    @property
    def role_label(self) -> str:
        return str(TeamRole(self.role).label)

    @property
    def label(self) -> str:
        where = f" ({self.organisation_name})" if self.organisation_name else ""
        who = f": {', '.join(self.people)}" if self.people else ""
        return f"{self.role_label}{where}{who}"


def _responsible(letters: dict[str, str]) -> str | None:
    for role in MATRIX_ROLES:
        if "R" in letters.get(role, ""):
            return role
    return None


def owner_roles(partnership_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """{(partnership id, item code): role} for every item code, in two queries."""
    from contracts.models import ChecklistCode, ChecklistOwnerOverride

    ids = set(partnership_ids)
    cells: dict[tuple[int, str], dict[str, str]] = {}
    for partnership_id, task, role, letter in RaciCell.objects.filter(
        partnership__in=ids, task__in=set(TASK_OF.values())
    ).values_list("partnership_id", "task", "role", "letter"):
        cells.setdefault((partnership_id, task), {})[role] = letter
    overrides = {
        (p, code): role
        for p, code, role in ChecklistOwnerOverride.objects.filter(partnership__in=ids).values_list(
            "partnership_id", "code", "role"
        )
    }
    roles: dict[tuple[int, str], str] = {}
    for partnership_id in ids:
        for code in ChecklistCode.values:
            chosen: str | None = overrides.get((partnership_id, code))
            task_code = TASK_OF.get(code)
            if chosen is None and task_code:
                letters = cells.get((partnership_id, task_code))
                if letters is None:  # a matrix without the task: the template's letters
                    letters = dict(TASKS_BY_CODE[task_code].defaults)
                chosen = _responsible(letters)
            roles[(partnership_id, code)] = chosen or DEFAULT_OWNER.get(
                code, TeamRole.COORDINATOR_SCHOOL
            )
    return roles


def owner_organisation_id(
    role: str, *, school_id: int, company_id: int, training_centre_id: int | None
) -> int | None:
    """The organisation on whose behalf ``role`` owns an item of a contract: the school for a
    school role, the contract's company for a company role, the training centre; None for the
    student or the parents."""
    if role in SCHOOL_ROLES:
        return school_id
    if role in COMPANY_ROLES:
        return company_id
    if role == TeamRole.OPLEIDINGSCENTRUM:
        return training_centre_id
    return None


def _organisation_of(role: str, contract: Contract) -> tuple[int | None, str]:
    partnership = contract.traject.partnership
    organisation_id = owner_organisation_id(
        role,
        school_id=partnership.school_id,
        company_id=contract.company_id,
        training_centre_id=partnership.training_centre_id,
    )
    if organisation_id is None:
        return None, ""  # the student or the parents
    if organisation_id == partnership.school_id:
        return organisation_id, str(partnership.school)
    if organisation_id == contract.company_id:
        return organisation_id, str(contract.company)
    return organisation_id, str(partnership.training_centre)


def owners(contracts: list[Contract]) -> dict[tuple[int, str], Owner]:
    """{(contract pk, item code): Owner} for ``contracts`` (traject__partnership__school,
    company and traject__student selected), in three queries whatever their number."""
    partnership_ids = {c.traject.partnership_id for c in contracts}
    roles = owner_roles(partnership_ids)
    people: dict[tuple[int, str, int], list[str]] = {}
    members = (
        TeamMember.objects.filter(partnership__in=partnership_ids)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    for member in members:
        people.setdefault((member.partnership_id, member.role, member.organisation_id), []).append(
            member.user.full_name or member.user.email
        )
    result = {}
    for contract in contracts:
        partnership_id = contract.traject.partnership_id
        for (p, code), role in roles.items():
            if p != partnership_id:
                continue
            organisation_id, organisation_name = _organisation_of(role, contract)
            names: tuple[str, ...]
            if role == TeamRole.LEERLING:
                names = (contract.traject.student.full_name,)
            else:
                names = tuple(people.get((partnership_id, role, organisation_id or 0), []))
            result[(contract.pk, code)] = Owner(role, organisation_id, organisation_name, names)
    return result


# --- keeping the rows in step with the contract -----------------------------------------------


def _auto_state(code: str, contract: Contract) -> tuple[date | None, str, str]:
    """(done on, by, reference) of an item that follows the contract, or (None, "", "")."""
    if code == "signed" and contract.state in SIGNED_STATES:
        last = (
            contract.signatures.filter(voided_at__isnull=True)
            .order_by("-signed_at")
            .values_list("signed_at", flat=True)
            .first()
        )
        on = last.date() if last else (contract.registered_on or contract.start_date)
        return on, _("Every party"), ""
    if code == "registered" and contract.state in REGISTERED_STATES:
        on = contract.registered_on or contract.start_date
        return on, _("The school"), contract.registration_reference
    return None, "", ""


@transaction.atomic
def sync_checklist(contract: Contract) -> list[ChecklistItem]:
    """Create the items ``contract`` needs, drop those it no longer has (an OAO that became
    an SOAO has no Dimona), move the due dates with the start (unless set by hand), set
    "blocking" (health surveillance follows the student's age on the start date) and close or
    reopen the items that follow the contract (signed, registered). A taken-over contract gets
    every item done ("taken over"). Returns the rows, in the checklist's order."""
    from contracts.models import ChecklistItem

    specs = item_specs(contract)
    wanted = {spec.code: spec for spec in specs}
    rows = {item.code: item for item in ChecklistItem.objects.filter(contract=contract)}
    stale = [item.pk for code, item in rows.items() if code not in wanted]
    if stale:
        ChecklistItem.objects.filter(pk__in=stale).delete()
    result = []
    for spec in specs:
        item = rows.get(spec.code) or ChecklistItem(contract=contract, code=spec.code)
        fields: set[str] = set()
        if item.blocking != spec.blocking:
            item.blocking = spec.blocking
            fields.add("blocking")
        if not item.due_set_by_hand and item.due_on != spec.due_on:
            item.due_on = spec.due_on
            fields.add("due_on")
        if contract.taken_over and item.done_on is None:
            item.done_on = contract.start_date
            item.done_by_name = _("Taken over")
            item.automatic = True
            if spec.code == "registered":
                item.reference = contract.registration_reference
            fields |= {"done_on", "done_by_name", "automatic", "reference"}
        elif spec.code in AUTOMATIC and not contract.taken_over:
            on, by, reference = _auto_state(spec.code, contract)
            if (item.done_on, item.done_by_name, item.reference) != (on, by, reference):
                item.done_on, item.done_by_name, item.reference = on, by, reference
                item.automatic = True
                fields |= {"done_on", "done_by_name", "reference", "automatic"}
        if item.pk is None:
            item.save()
        elif fields:
            item.version += 1
            item.save(update_fields=[*fields, "version", "updated_at"])
        result.append(item)
    return result


def checklist_of(contract: Contract) -> list[ChecklistItem]:
    """The contract's items in the checklist's order. Reads only: the rows are made when the
    contract is saved (``checklist_receivers``) and, for contracts older than the checklist,
    by migration 0005. Should a row still be missing, it is shown as an open, unsaved item
    (so it blocks as it must); acting on it makes the rows first (``item_of(..., make=True)``)."""
    from contracts.models import ChecklistItem

    specs = item_specs(contract)
    rows = {item.code: item for item in ChecklistItem.objects.filter(contract=contract)}
    return [
        rows.get(spec.code)
        or ChecklistItem(
            contract=contract, code=spec.code, blocking=spec.blocking, due_on=spec.due_on
        )
        for spec in specs
    ]


# --- what blocks ------------------------------------------------------------------------------

BlockingCheck = Callable[["Contract"], list[BlockingItem]]
# A check of many contracts at once: {contract pk: its items} (lists with a fixed number of
# queries, like the coordinator's starts list, call it once for all their contracts).
BatchCheck = Callable[[list["Contract"]], dict[int, list[BlockingItem]]]
extra_checks: Registry[BatchCheck] = Registry("start blocking check")


def register_blocking_check(key: str) -> Callable[[BlockingCheck], BlockingCheck]:
    """Decorator: add a blocking condition of another app (see the module's docstring)."""

    def decorator(check: BlockingCheck) -> BlockingCheck:
        def each(contracts: list[Contract]) -> dict[int, list[BlockingItem]]:
            return {contract.pk: check(contract) for contract in contracts}

        extra_checks.register(key, each)
        return check

    return decorator


def register_batch_check(key: str) -> Callable[[BatchCheck], BatchCheck]:
    """Decorator: add a blocking condition that answers for many contracts at once
    (``contracts -> {contract pk: [BlockingItem]}``, a fixed number of queries)."""

    def decorator(check: BatchCheck) -> BatchCheck:
        return extra_checks.register(key, check)

    return decorator


def extra_blocking(contracts: list[Contract]) -> dict[int, list[BlockingItem]]:
    """What the extra checks add for each of ``contracts``: {contract pk: items}."""
    found: dict[int, list[BlockingItem]] = {contract.pk: [] for contract in contracts}
    if not contracts:
        return found
    for check in extra_checks.values():
        for pk, items in check(contracts).items():
            found.setdefault(pk, []).extend(items)
    return found


def open_blocking(
    contract: Contract,
    items: list[ChecklistItem],
    owner_of: dict[tuple[int, str], Owner],
    extra: dict[int, list[BlockingItem]] | None = None,
) -> list[BlockingItem]:
    """The open blocking items among ``items`` as ``BlockingItem``s, then the extra checks'
    (``extra``: ``extra_blocking`` of a list that holds ``contract``, else asked here)."""
    blocking = [
        BlockingItem(
            code=item.code,
            label=str(item.get_code_display()),
            owner=owner_of[(contract.pk, item.code)].label,
        )
        for item in items
        if item.blocking and is_open(item, contract)
    ]
    if extra is None:
        extra = extra_blocking([contract])
    return blocking + extra.get(contract.pk, [])


def blocking_items(contract: Contract) -> list[BlockingItem]:
    """The open items that block the start of ``contract`` (checklist and extra checks)."""
    items = checklist_of(contract)
    return open_blocking(contract, items, owners([contract]))


def item_of(contract: Contract, code: str, *, make: bool = False) -> ChecklistItem | None:
    """The item ``code`` of ``contract``'s checklist; None for anything that is not an item's
    code (checked before the database sees it: PostgreSQL refuses a NUL in a query). With
    ``make`` (a POST acting on the item), a missing row the contract needs is made first."""
    from contracts.models import ChecklistCode, ChecklistItem

    if code not in ChecklistCode.values:
        return None
    item = ChecklistItem.objects.filter(contract=contract, code=code).first()
    if item is None and make and code in {spec.code for spec in item_specs(contract)}:
        sync_checklist(contract)  # a row missing although the contract needs it (see checklist_of)
        item = ChecklistItem.objects.filter(contract=contract, code=code).first()
    return item


def owner_choices(partnership_id: int) -> dict[str, str]:
    """{item code: team role} the partnership chose as owners (over the RACI matrix)."""
    from contracts.models import ChecklistOwnerOverride

    return dict(
        ChecklistOwnerOverride.objects.filter(partnership=partnership_id).values_list(
            "code", "role"
        )
    )
