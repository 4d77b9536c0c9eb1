"""Contracts in the isolation suite: per account of the demo cast, whose contracts it reads
(``contracts.access``; 404 for every other) and whether it manages them (the RACI task
"Opmaken contracten"; 403 for a reader without it). A company never reads another company's
contract — not even in a rotation where it sees the traject through its own placement."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from contracts.access import (
    contracts_visible_to,
    get_contract_for_user,
    traject_contracts_visible_to,
)
from contracts.models import Contract
from contracts.services import lifecycle
from organisations.models import Organisation, Vestiging
from partnerships import permissions
from partnerships.models import Traject
from partnerships.selectors.trajects import team_with_role_labels
from partnerships.services.partnerships import partnership_company_add
from partnerships.services.trajects import placement_create, placement_update

pytestmark = pytest.mark.django_db

# {account: students whose contracts it reads}; managers (Opmaken contracten R/A: the school's
# coordinator and directie) in MANAGERS.
EXPECTED: dict[str, set[str]] = {
    "tb@sintjozef.demo": {"Lotte", "Mohamed", "Emma", "Noor"},
    "coord@sintjozef.demo": {"Lotte", "Mohamed", "Emma", "Noor"},
    "lk@sintjozef.demo": {"Lotte", "Mohamed", "Noor"},
    "directie@sintjozef.demo": {"Lotte", "Mohamed", "Emma", "Noor"},
    "tb@dering.demo": {"Jonas"},
    "directie@dering.demo": {"Jonas"},
    "mentor@vandenberghe.demo": {"Lotte", "Noor"},
    "mentor2@vandenberghe.demo": {"Mohamed", "Jonas"},
    "coord@vandenberghe.demo": {"Lotte", "Mohamed", "Jonas", "Noor"},
    "directie@vandenberghe.demo": {"Lotte", "Mohamed", "Jonas", "Noor"},
    "mentor@daems.demo": {"Emma"},
    "coord@daems.demo": {"Emma"},
    # The training centre sees Lotte's and Mohamed's trajects, but is no party to a contract.
    "oc@octl.demo": set(),
    "consulent@sector.demo": set(),
    "leerling1@sintjozef.demo": {"Lotte"},
    "leerling2@sintjozef.demo": {"Mohamed"},
    "leerling3@sintjozef.demo": {"Emma"},
    "leerling1@dering.demo": {"Jonas"},
    "ouder1@sintjozef.demo": {"Lotte"},
    "leerling4@sintjozef.demo": {"Noor"},
    "ouder2@sintjozef.demo": {"Noor"},
}
MANAGERS = {
    "coord@sintjozef.demo": {"Lotte", "Mohamed", "Emma", "Noor"},
    "directie@sintjozef.demo": {"Lotte", "Mohamed", "Emma", "Noor"},
    "directie@dering.demo": {"Jonas"},
}


def _contracts() -> dict[str, Contract]:
    return {
        c.traject.student.first_name: c
        for c in Contract.objects.select_related("traject__student").filter(
            traject__student__first_name__in=["Lotte", "Mohamed", "Emma", "Jonas"]
        )
    }


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_who_reads_and_who_manages_which_contract(demo_cast, email):
    account = User.objects.get(email=email)
    contracts = _contracts()
    listed = {c.traject.student.first_name for c in contracts_visible_to(user=account)}
    assert listed == EXPECTED[email]
    for name, contract in contracts.items():
        readable = name in EXPECTED[email]
        assert (
            permissions.may_read_contract(
                user=account, traject=contract.traject, company_id=contract.company_id
            )
            == readable
        )
        if not readable:
            with pytest.raises(Http404):
                get_contract_for_user(user=account, public_id=contract.public_id)
            continue
        assert get_contract_for_user(user=account, public_id=contract.public_id) == contract
        if name in MANAGERS.get(email, set()):
            get_contract_for_user(user=account, public_id=contract.public_id, manage=True)
        else:
            with pytest.raises(PermissionDenied):
                get_contract_for_user(user=account, public_id=contract.public_id, manage=True)


def _assert_one_traject_answer_is_the_general_one(account: User) -> None:
    """``traject_contracts_visible_to`` (the traject page's question, with and without the
    team and for a traject fetched for the account or not) lists the contracts that
    ``contracts_visible_to`` lists for that traject."""
    for traject in Traject.objects.all():
        expected = set(contracts_visible_to(user=account).filter(traject=traject))
        assert set(traject_contracts_visible_to(user=account, traject=traject)) == expected
        try:
            fetched = permissions.get_traject_for_user(user=account, public_id=traject.public_id)
        except Http404:
            assert not expected
            continue
        team = team_with_role_labels(partnership=fetched.partnership)
        for given in (None, team):
            listed = traject_contracts_visible_to(user=account, traject=fetched, team=given)
            assert set(listed) == expected, (account.email, traject.pk, given is None)


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_the_traject_pages_question_gives_the_same_contracts(demo_cast, email):
    _assert_one_traject_answer_is_the_general_one(User.objects.get(email=email))


def test_a_company_never_reads_another_companys_contract_in_a_rotation(demo_cast):
    """Lotte rotates to Daems in spring: Daems now sees her traject (its placement), and has
    its own contract; it still never reads Vandenberghe's, nor Vandenberghe Daems's."""
    coord = User.objects.get(email="coord@sintjozef.demo")
    lotte = Traject.objects.get(student__first_name="Lotte")
    daems = Organisation.objects.get(name="Koeltechniek Daems")
    vestiging = Vestiging.objects.filter(organisation=daems).first()
    partnership_company_add(
        actor=coord, partnership=lotte.partnership, company=daems, vestiging=vestiging
    )
    year = lotte.partnership.school_year
    first = lotte.placements.get()
    placement_update(
        actor=coord,
        placement=first,
        company=first.company,
        vestiging=first.vestiging,
        start_date=first.start_date,
        end_date=date(year + 1, 1, 31),
        weekly_pattern={
            day: getattr(first, day)
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
        workplace_hours_per_week=first.workplace_hours_per_week,
        mentors=[User.objects.get(email="mentor@vandenberghe.demo")],
    )
    placement_create(
        actor=coord,
        traject=lotte,
        company=daems,
        vestiging=vestiging,
        start_date=date(year + 1, 2, 1),
        end_date=date(year + 1, 6, 30),
        weekly_pattern={"thursday": "company", "friday": "company"},
        workplace_hours_per_week=16,
        mentors=[User.objects.get(email="mentor@daems.demo")],
    )
    spring = lifecycle.contract_create(actor=coord, traject=lotte, company=daems)
    assert spring.contract_type == "SOAO"
    vandenberghe_contract = Contract.objects.get(
        traject=lotte, company__name="Metaalbouw Vandenberghe"
    )

    daems_coord = User.objects.get(email="coord@daems.demo")
    assert permissions.trajects_visible_to(user=daems_coord).filter(pk=lotte.pk).exists()
    assert set(contracts_visible_to(user=daems_coord).filter(traject=lotte)) == {spring}
    with pytest.raises(Http404):
        get_contract_for_user(user=daems_coord, public_id=vandenberghe_contract.public_id)

    x_coord = User.objects.get(email="coord@vandenberghe.demo")
    assert set(contracts_visible_to(user=x_coord).filter(traject=lotte)) == {vandenberghe_contract}
    with pytest.raises(Http404):
        get_contract_for_user(user=x_coord, public_id=spring.public_id)
    # The school and the family read both.
    for email in ("coord@sintjozef.demo", "leerling1@sintjozef.demo", "ouder1@sintjozef.demo"):
        reader = User.objects.get(email=email)
        assert set(contracts_visible_to(user=reader).filter(traject=lotte)) == {
            spring,
            vandenberghe_contract,
        }
    # The traject page's question gives the same answers, for everyone.
    for account in User.objects.filter(email__in=EXPECTED):
        _assert_one_traject_answer_is_the_general_one(account)


def test_a_malformed_or_unknown_id_is_404(demo_cast):
    coord = User.objects.get(email="coord@sintjozef.demo")
    for public_id in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(Http404):
            get_contract_for_user(user=coord, public_id=public_id)
