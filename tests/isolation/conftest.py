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


def _add_bedrijfsfiches() -> None:
    """Vandenberghe's demo bedrijfsfiches in A1 (a published one with a photo, a draft); when
    the demo has no adopted plan for A1, one is built first (tests/learning)."""
    from learning.demo.bedrijfsfiches import seed_bedrijfsfiches
    from learning.models import Bedrijfsfiche
    from tests.learning.bedrijfsfiche_helpers import adopt_plan

    if not Bedrijfsfiche.objects.filter(partnership=_a1()).exists():
        adopt_plan(_a1())
        seed_bedrijfsfiches()


def _seed_tenant_objects() -> None:
    seeding.seed_demo()
    _add_tenant_objects()


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
