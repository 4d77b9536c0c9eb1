"""The organisations app took over Organisation, Membership and Vestiging from partnerships.

A database seeded at the previous schema (partnerships 0004) migrates to the new one with
every row, value and relation intact, and the content types follow the models.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("partnerships", "0004_accountinvitation"), ("organisations", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.fixture
def back_to_the_latest_schema():
    """Whatever happens in the test, later tests get the database fully migrated again."""
    yield
    _migrate(_leaves())


@pytest.mark.django_db(transaction=True)
def test_existing_rows_survive_the_move(back_to_the_latest_schema):
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Organisation = old.get_model("partnerships", "Organisation")
    Membership = old.get_model("partnerships", "Membership")
    Vestiging = old.get_model("partnerships", "Vestiging")
    Partnership = old.get_model("partnerships", "Partnership")
    Opleiding = old.get_model("learning", "Opleiding")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")

    user = User.objects.create(email="oud@school.test", full_name="Oude Gebruiker")
    school = Organisation.objects.create(
        kind="school", name="Oude School", instellingsnummer="123456", email_domain="school.test"
    )
    company = Organisation.objects.create(
        kind="company", name="Oud Bedrijf", ondernemingsnummer="0403170701", paritair_comite="111"
    )
    vestiging = Vestiging.objects.create(
        organisation=company, vestigingsnummer="2123456789", name="Werkplaats", city="Genk"
    )
    Membership.objects.create(user=user, organisation=school, is_admin=True, job_title="Directie")
    partnership = Partnership.objects.create(
        name="Oud partnerschap",
        school=school,
        opleiding=Opleiding.objects.first()
        or Opleiding.objects.create(
            code="oud", name="Oude opleiding", workplace_hours_per_week=20, contract_type="OAO"
        ),
        school_year=2026,
        created_by=user,
    )
    content_type, _ = ContentType.objects.get_or_create(
        app_label="partnerships", model="organisation"
    )
    permission = Permission.objects.create(
        content_type=content_type, codename="audit_organisation", name="Audit organisation"
    )
    ids = {"school": school.pk, "company": company.pk, "vestiging": vestiging.pk}
    public_ids = {"school": school.public_id, "vestiging": vestiging.public_id}

    new = _migrate(_leaves())
    Organisation = new.get_model("organisations", "Organisation")
    Membership = new.get_model("organisations", "Membership")
    Vestiging = new.get_model("organisations", "Vestiging")
    Partnership = new.get_model("partnerships", "Partnership")
    ContentType = new.get_model("contenttypes", "ContentType")
    Permission = new.get_model("auth", "Permission")

    school = Organisation.objects.get(pk=ids["school"])
    assert (school.name, school.kind, school.instellingsnummer, school.email_domain) == (
        "Oude School",
        "school",
        "123456",
        "school.test",
    )
    assert school.public_id == public_ids["school"]
    company = Organisation.objects.get(pk=ids["company"])
    assert (company.ondernemingsnummer, company.paritair_comite) == ("0403170701", "111")
    vestiging = Vestiging.objects.get(pk=ids["vestiging"])
    assert vestiging.organisation_id == company.pk
    assert vestiging.public_id == public_ids["vestiging"]
    membership = Membership.objects.get(user__email="oud@school.test")
    assert (membership.organisation_id, membership.is_admin, membership.job_title) == (
        school.pk,
        True,
        "Directie",
    )
    assert Partnership.objects.get(pk=partnership.pk).school_id == school.pk
    moved = ContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("organisations", "organisation")
    assert Permission.objects.get(pk=permission.pk).content_type_id == moved.pk
    assert not ContentType.objects.filter(app_label="partnerships", model="organisation").exists()


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
