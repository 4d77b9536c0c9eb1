import pytest
from django.core.management import call_command

from accounts.models import User
from duaal.models import AuditEntry
from evaluation.models import CriterionScore, Evaluation, Session, WeeklyCheckin, Werkpunt
from organisations import demo as people
from organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(User.objects.values_list("email", "full_name")),
        sorted(
            Organisation.objects.values_list(
                "name", "kind", "ondernemingsnummer", "instellingsnummer"
            )
        ),
        sorted(Membership.objects.values_list("user__email", "organisation__name", "is_admin")),
        # The school year of evaluations (evaluation.demo.school_year) is not seeded twice.
        tuple(
            model.objects.count()
            for model in (Session, Evaluation, CriterionScore, WeeklyCheckin, Werkpunt)
        ),
        AuditEntry.objects.filter(action__startswith="evaluation.").count(),
    )


def test_seed_demo_builds_the_cast_and_is_idempotent(demo_cast):
    first = _snapshot()
    call_command("seed_demo", "--no-reminder-cases", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first
    assert {email for email, _ in first[0]} == {p.email for p in people.PEOPLE}
    assert len(first[1]) == 6


def test_every_cast_member_has_the_expected_membership(demo_cast):
    by_key = {o.key: o.name for o in people.ORGANISATIONS}
    for person in people.PEOPLE:
        memberships = set(
            Membership.objects.filter(user__email=person.email).values_list(
                "organisation__name", flat=True
            )
        )
        expected = {by_key[person.organisation]} if person.organisation else set()
        assert memberships == expected, person.email


def test_every_cast_member_can_log_in_with_the_default_password(demo_cast, client):
    for person in people.PEOPLE:
        response = client.post(
            "/accounts/login/", {"username": person.email, "password": "duaal-demo"}
        )
        assert response.status_code == 302, person.email
        client.post("/accounts/logout/")


def test_seed_demo_password_option(db):
    call_command("seed_demo", "--password", "iets-anders-123", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(email="tb@sintjozef.demo")
    assert user.check_password("iets-anders-123")
    assert not user.check_password("duaal-demo")


def test_demo_identifiers_are_valid():
    from organisations.identifiers import normalize_ondernemingsnummer

    for spec in people.ORGANISATIONS:
        if spec.ondernemingsnummer:
            assert normalize_ondernemingsnummer(spec.ondernemingsnummer) == spec.ondernemingsnummer
