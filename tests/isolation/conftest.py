"""Fixtures of the isolation suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import TestCase

from tests import seeding
from tests.isolation.test_url_classification import (
    _a1,
    _company_x,
    _import_model,
    _lotte,
    _school_a,
)

NEW_MENTOR = "nieuw@vandenberghe.demo"


def _add_tenant_objects() -> None:
    """An open invitation, an account invitation, a generated document and an import job of
    school A, so every URL can be built."""
    from accounts.models import User
    from partnerships.services.invitations import invitation_create

    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation_create(
            actor=User.objects.get(email="coord@sintjozef.demo"),
            partnership=_a1(),
            email=NEW_MENTOR,
            full_name="Nieuwe Mentor",
            role="mentor",
            organisation=_company_x(),
        )
    from partnerships.services.accounts import account_invitation_create
    from partnerships.services.trajects import student_contact_add

    coord = User.objects.get(email="coord@sintjozef.demo")
    lotte = _lotte()
    contact = student_contact_add(
        actor=coord,
        student=lotte.student,
        full_name="Tweede Ouder",
        relation="guardian",
        email="tweede.ouder@example.org",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_invitation_create(actor=coord, student=lotte.student, contact=contact)
    from documents.services import document_request

    with TestCase.captureOnCommitCallbacks(execute=True):
        document_request(actor=coord, kind="raci_matrix", subject=_a1())
    _add_bedrijfsfiches()
    model = _import_model()
    if model is not None and not model.objects.exists():
        from tests.isolation.factories import make_import_job

        make_import_job(
            model=model, school=_school_a(), user=User.objects.get(email="coord@sintjozef.demo")
        )


def _add_plan_objects() -> None:
    """A1 follows a leerfiche version (the demo's, or a test set when the demo has none) with a
    comment; Lotte has a plan of her own."""
    from learning.models import Opleidingsplan, SetVersion, VersionStatus
    from learning.services import plans
    from organisations.models import Organisation, OrganisationKind
    from tests.learning.factories import make_set_version

    a1 = _a1()
    plan = plans.partnership_plan(a1)
    if plan is None:
        version = (
            SetVersion.objects.filter(
                status=VersionStatus.PUBLISHED, leerfiche_set__opleiding=a1.opleiding
            )
            .order_by("-published_at")
            .first()
        )
        if version is None:
            version = make_set_version(
                owner=Organisation.objects.filter(kind=OrganisationKind.SECTOR_BODY).first(),
                opleiding=a1.opleiding,
                name="Leerfiches isolatietest",
            )
        plan = plans.adopt_version(partnership=a1, set_version=version).plan
    plans.default_periods(a1)
    plans.add_comment(plan=plan, author=None, text="Opmerking van het team over het plan")
    if not Opleidingsplan.objects.filter(traject=_lotte()).exists():
        plans.override_for_traject(traject=_lotte())


def _add_bedrijfsfiches() -> None:
    """Vandenberghe's demo bedrijfsfiches in A1 (a published one with a photo, a draft); when
    the demo has no adopted plan for A1, one is built first (tests/learning)."""
    from learning.demo.bedrijfsfiches import seed_bedrijfsfiches
    from learning.models import Bedrijfsfiche
    from tests.learning.bedrijfsfiche_helpers import adopt_plan

    if not Bedrijfsfiche.objects.filter(partnership=_a1()).exists():
        adopt_plan(_a1())
        seed_bedrijfsfiches()


def _add_isolation_set() -> None:
    """A leerfiche set of the sector body: version 1 published (adopted by A1 when A1 has no
    plan yet), a draft on top, consulent@sector.demo its editor."""
    from accounts.models import User
    from learning.models import Opleiding, Opleidingsplan, SetEditor, SetVersion
    from learning.services.versions import start_draft
    from organisations.models import Organisation
    from tests.isolation.test_url_classification import ISOLATION_SET
    from tests.learning.factories import make_set_version

    published = make_set_version(
        owner=Organisation.objects.get(name="Sectoraal Partnerschap Technologische Industrie"),
        # Not an opleiding of the demo's own sets (their tests look those up by opleiding).
        opleiding=Opleiding.objects.get(code="onderhoudsmechanica"),
        name=ISOLATION_SET,
        themes=2,
        fiches_per_theme=2,
        criteria_per_fiche=2,
    )
    SetEditor.objects.create(
        leerfiche_set=published.leerfiche_set,
        user=User.objects.get(email="consulent@sector.demo"),
    )
    start_draft(leerfiche_set=published.leerfiche_set)
    if not Opleidingsplan.objects.filter(partnership=_a1(), traject__isnull=True).exists():
        # Until the demo's plans adopt one: A1 adopts the demo's welding set (else this one).
        welding = SetVersion.objects.filter(
            status="published",
            leerfiche_set__opleiding__code="lassen-constructie",
            leerfiche_set__owner=published.leerfiche_set.owner,
        ).first()
        Opleidingsplan.objects.create(partnership=_a1(), set_version=welding or published)


def _seed_tenant_objects() -> None:
    seeding.seed_demo()
    _add_tenant_objects()
    _add_plan_objects()
    _add_isolation_set()


def _tenant_objects_present() -> bool:
    from partnerships.models import Invitation

    return Invitation.objects.filter(email=NEW_MENTOR).exists()


# Built once, like the demo: the cross-tenant matrix runs hundreds of requests on it.
seeding.register(
    "demo and tenant objects",
    fixture="tenant_objects",
    build=_seed_tenant_objects,
    present=_tenant_objects_present,
    version=seeding.today,
    priority=10,
    folder=Path(__file__).parent,
)


@pytest.fixture
def tenant_objects(request, private_storage, demo_cast):
    """The demo, plus an open invitation, an account invitation, a generated document (with
    its file) and an import job of school A."""
    seeding.require(request, "tenant_objects")
    return demo_cast
