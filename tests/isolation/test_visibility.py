"""Visible and hidden sets (QUALITY.md): for every account of the demo cast, the trajects and
partnerships the selectors return equal the expected sets exactly — nothing missing, nothing
extra — and no model-wide permission or superuser flag widens them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from organisations import demo as people
from partnerships import permissions
from partnerships.demo import cast
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

LOTTE, MOHAMED, EMMA, JONAS, NOOR = "Lotte", "Mohamed", "Emma", "Jonas", "Noor"

# ARCHITECTURE.md, access model item 3, applied to the demo cast.
EXPECTED_STUDENTS: dict[str, set[str]] = {
    "tb@sintjozef.demo": {LOTTE, MOHAMED, EMMA, NOOR},
    "coord@sintjozef.demo": {LOTTE, MOHAMED, EMMA, NOOR},
    "lk@sintjozef.demo": {LOTTE, MOHAMED, NOOR},
    "directie@sintjozef.demo": {LOTTE, MOHAMED, EMMA, NOOR},
    "tb@dering.demo": {JONAS},
    "directie@dering.demo": {JONAS},
    "mentor@vandenberghe.demo": {LOTTE, NOOR},
    "mentor2@vandenberghe.demo": {MOHAMED, JONAS},
    "coord@vandenberghe.demo": {LOTTE, MOHAMED, JONAS, NOOR},
    "directie@vandenberghe.demo": {LOTTE, MOHAMED, JONAS, NOOR},
    "mentor@daems.demo": {EMMA},
    "coord@daems.demo": {EMMA},
    "oc@octl.demo": {LOTTE, MOHAMED, NOOR},
    "consulent@sector.demo": set(),
    "leerling1@sintjozef.demo": {LOTTE},
    "leerling2@sintjozef.demo": {MOHAMED},
    "leerling3@sintjozef.demo": {EMMA},
    "leerling1@dering.demo": {JONAS},
    "ouder1@sintjozef.demo": {LOTTE},
    "leerling4@sintjozef.demo": {NOOR},
    "ouder2@sintjozef.demo": {NOOR},
}

# Team members with at least one letter in the matrix see the partnership; students, parents
# and people outside every team see none.
EXPECTED_PARTNERSHIPS: dict[str, set[str]] = {
    "tb@sintjozef.demo": {"A1", "A2"},
    "coord@sintjozef.demo": {"A1", "A2"},
    "lk@sintjozef.demo": {"A1"},
    "directie@sintjozef.demo": {"A1", "A2"},
    "tb@dering.demo": {"B1"},
    "directie@dering.demo": {"B1"},
    "mentor@vandenberghe.demo": {"A1"},
    "mentor2@vandenberghe.demo": {"A1", "B1"},
    "coord@vandenberghe.demo": {"A1", "B1"},
    "directie@vandenberghe.demo": {"A1", "B1"},
    "mentor@daems.demo": {"A2"},
    "coord@daems.demo": {"A2"},
    "oc@octl.demo": {"A1"},
    "consulent@sector.demo": set(),
    "leerling1@sintjozef.demo": set(),
    "leerling2@sintjozef.demo": set(),
    "leerling3@sintjozef.demo": set(),
    "leerling1@dering.demo": set(),
    "ouder1@sintjozef.demo": set(),
    "leerling4@sintjozef.demo": set(),
    "ouder2@sintjozef.demo": set(),
}


def test_the_expectations_cover_the_whole_cast():
    everyone = {person.email for person in people.PEOPLE}
    assert set(EXPECTED_STUDENTS) == everyone
    assert set(EXPECTED_PARTNERSHIPS) == everyone


def _partnership_keys() -> dict[int, str]:
    """Demo partnership key by primary key (A1 and B1 share a name: match on the school too)."""
    school_names = {o.key: o.name for o in people.ORGANISATIONS}
    keys = {}
    for spec in cast.PARTNERSHIPS:
        partnership = Partnership.objects.get(
            name=spec.name, school__name=school_names[spec.school]
        )
        keys[partnership.pk] = spec.key
    return keys


def _students_seen(user: User) -> set[str]:
    return set(
        permissions.trajects_visible_to(user=user).values_list("student__first_name", flat=True)
    )


def _partnerships_seen(user: User, keys: dict[int, str]) -> set[str]:
    return {
        keys[pk]
        for pk in permissions.partnerships_visible_to(user=user).values_list("pk", flat=True)
    }


def _everything_seen() -> dict[str, tuple[set[str], set[str]]]:
    keys = _partnership_keys()
    return {
        person.email: (
            _students_seen(User.objects.get(email=person.email)),
            _partnerships_seen(User.objects.get(email=person.email), keys),
        )
        for person in people.PEOPLE
    }


@pytest.mark.parametrize("email", sorted(EXPECTED_STUDENTS))
def test_each_account_sees_exactly_its_students(demo_cast, email):
    assert _students_seen(demo_cast[email]) == EXPECTED_STUDENTS[email]


@pytest.mark.parametrize("email", sorted(EXPECTED_PARTNERSHIPS))
def test_each_account_sees_exactly_its_partnerships(demo_cast, email):
    assert _partnerships_seen(demo_cast[email], _partnership_keys()) == EXPECTED_PARTNERSHIPS[email]


def test_the_visible_trajects_can_be_fetched_and_the_hidden_ones_are_404(demo_cast):
    from django.http import Http404

    from partnerships.models import Traject

    trajects = {t.student.first_name: t for t in Traject.objects.select_related("student")}
    for email, expected in EXPECTED_STUDENTS.items():
        user = demo_cast[email]
        for name, traject in trajects.items():
            if name in expected:
                fetched = permissions.get_traject_for_user(user=user, public_id=traject.public_id)
                assert fetched.pk == traject.pk
                assert "view_traject" in fetched.user_perms
            else:
                with pytest.raises(Http404):
                    permissions.get_traject_for_user(user=user, public_id=traject.public_id)


def test_model_wide_permissions_and_superuser_flags_widen_nobody(demo_cast):
    before = _everything_seen()
    model_wide = Permission.objects.filter(
        content_type__app_label="partnerships",
        codename__in=["view_traject", "change_traject", "view_partnership", "change_partnership"],
    )
    assert model_wide.count() == 4
    everybody = Group.objects.create(name="everybody, model-wide")
    everybody.permissions.add(*model_wide)
    for user in demo_cast.values():
        user.user_permissions.add(*model_wide)
        user.groups.add(everybody)
    User.objects.filter(pk__in=[u.pk for u in demo_cast.values()]).update(
        is_superuser=True, is_staff=True
    )

    # Django itself now says yes to everything, on every object ...
    consulent = User.objects.get(email="consulent@sector.demo")
    assert consulent.has_perm("partnerships.view_traject")
    # ... the access module still answers from the object permissions only.
    assert _everything_seen() == before


def test_a_platform_superuser_outside_every_team_sees_nothing(demo_cast):
    admin = User.objects.create_superuser("platform@admin.invalid", "x", full_name="Platform")
    admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="partnerships"))

    assert not permissions.trajects_visible_to(user=admin).exists()
    assert not permissions.partnerships_visible_to(user=admin).exists()
