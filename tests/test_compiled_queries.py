"""``duaal.compiled``: queries compiled once per process and bound per call (decision 0022).
The permission filters use it; these tests hold that the bound query answers exactly what
the ORM's own query answers, for every member of the demo cast."""

from __future__ import annotations

import pytest
from django.db.models import Q

from accounts.models import User
from duaal.compiled import SENTINELS, bound_sql, bound_subquery, fetch_column
from partnerships import permissions
from partnerships.codenames import VIEW_TRAJECT
from partnerships.models import (
    PartnershipGroupObjectPermission,
    PartnershipUserObjectPermission,
    Traject,
    TrajectGroupObjectPermission,
    TrajectUserObjectPermission,
)

pytestmark = pytest.mark.django_db


def _orm_visible(user: User) -> set[int]:
    direct = TrajectUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW_TRAJECT
    ).values_list("content_object_id", flat=True)
    via_group = TrajectGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=VIEW_TRAJECT
    ).values_list("content_object_id", flat=True)
    return set(direct) | set(via_group)


def test_every_person_sees_the_trajects_their_grants_give(demo_cast):
    checked = 0
    for user in User.objects.all():
        visible = set(permissions.trajects_visible_to(user=user).values_list("pk", flat=True))
        assert visible == _orm_visible(user), user.email
        checked += bool(visible)
    assert checked >= 5  # the demo cast has many people with trajects


def test_the_held_codenames_equal_the_grants(demo_cast):
    traject = Traject.objects.select_related("partnership").first()
    traject_holders = 0
    for user in User.objects.all():
        held = permissions.traject_permissions(user=user, traject=traject)
        direct = set(
            TrajectUserObjectPermission.objects.filter(
                user=user, content_object=traject
            ).values_list("permission__codename", flat=True)
        )
        groups = set(
            TrajectGroupObjectPermission.objects.filter(
                group__user=user, content_object=traject
            ).values_list("permission__codename", flat=True)
        )
        assert held == direct | groups, user.email
        traject_holders += bool(held)
    assert traject_holders >= 3  # the student, the family, the team
    partnership = traject.partnership
    holders = 0
    for user in User.objects.all():
        held = permissions.partnership_permissions(user=user, partnership=partnership)
        direct = set(
            PartnershipUserObjectPermission.objects.filter(
                user=user, content_object=partnership
            ).values_list("permission__codename", flat=True)
        )
        groups = set(
            PartnershipGroupObjectPermission.objects.filter(
                group__user=user, content_object=partnership
            ).values_list("permission__codename", flat=True)
        )
        assert held == direct | groups, user.email
        holders += bool(held)
    assert holders >= 3  # the partnership's team


def test_one_sql_text_for_everyone_the_values_bound(demo_cast):
    first, second = User.objects.order_by("pk")[:2]

    def build(user_pk: int):
        return Traject.objects.filter(student__user_id=user_pk).values("pk")

    sql_a, params_a = bound_sql("test-students-own", build, first.pk)
    sql_b, params_b = bound_sql("test-students-own", build, second.pk)
    assert sql_a == sql_b
    assert first.pk in params_a and second.pk in params_b
    assert not set(SENTINELS) & set(params_a)
    rows = Traject.objects.filter(Q(pk__in=bound_subquery("test-students-own", build, first.pk)))
    assert list(rows) == list(Traject.objects.filter(student__user_id=first.pk))
    assert fetch_column("test-students-own", build, first.pk) == list(
        Traject.objects.filter(student__user_id=first.pk).values_list("pk", flat=True)
    )


def test_a_query_that_ignores_its_argument_is_refused(db):
    with pytest.raises(ValueError, match="does not use its arguments"):
        bound_sql("test-ignores", lambda user_pk: Traject.objects.values("pk"), 1)


def test_the_traject_lookup_answers_what_the_grants_say(demo_cast):
    """``get_traject_for_user`` (its grants' query bound to the person and the public id):
    404 exactly for the trajects a person does not see; otherwise the codenames held on the
    traject and, when asked, on its partnership — as ``traject_permissions`` and
    ``partnership_permissions`` answer, for every person and traject of the demo cast."""
    from django.http import Http404

    trajects = list(Traject.objects.select_related("partnership"))
    found = 0
    for user in User.objects.all():
        visible = _orm_visible(user)
        for traject in trajects:
            for with_partnership in (False, True):
                try:
                    fetched = permissions.get_traject_for_user(
                        user=user,
                        public_id=str(traject.public_id),
                        with_partnership_perms=with_partnership,
                    )
                except Http404:
                    assert traject.pk not in visible, (user.email, traject.pk)
                    continue
                found += 1
                assert fetched.pk == traject.pk and traject.pk in visible
                assert fetched.user_perms == permissions.traject_permissions(
                    user=user, traject=traject
                )
                if with_partnership:
                    assert fetched.partnership_perms == permissions.partnership_permissions(
                        user=user, partnership=traject.partnership
                    )
    assert found >= 20


def test_a_uuid_is_bound_like_an_id(demo_cast):
    first, second = Traject.objects.order_by("pk")[:2]

    def build(public_id):
        return Traject.objects.filter(public_id=public_id).values("pk")

    sql_a, params_a = bound_sql("test-by-public-id", build, first.public_id)
    sql_b, _ = bound_sql("test-by-public-id", build, second.public_id)
    assert sql_a == sql_b
    assert fetch_column("test-by-public-id", build, first.public_id) == [first.pk]
    assert fetch_column("test-by-public-id", build, second.public_id) == [second.pk]


def test_fetched_rows_are_converted_as_the_orm_converts_them(demo_cast):
    """SQLite stores a UUID as 32 hex digits and a date as text: the compiled rows carry a
    ``uuid.UUID`` and a ``date`` on every database, exactly the ORM's ``values_list``
    (a student's home reversed a traject link from raw hex digits on SQLite: a 500)."""
    import datetime as dt
    import uuid

    from duaal.compiled import fetch_rows

    def build(student_id):
        return Traject.objects.filter(student_id=student_id).values_list(
            "public_id", "student__birth_date", "pk"
        )

    checked = 0
    for traject in Traject.objects.all():
        rows = fetch_rows("test.converted_rows", build, traject.student_id)
        assert rows == list(build(traject.student_id)) != []
        public_id, start, _pk = rows[0]
        assert isinstance(public_id, uuid.UUID)
        assert start is None or isinstance(start, dt.date)
        checked += 1
    assert checked >= 3
