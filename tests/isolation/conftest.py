"""Fixtures of the isolation suite."""

from __future__ import annotations

import pytest

from tests.isolation.test_url_classification import (
    _a1,
    _company_x,
    _import_model,
    _lotte,
    _school_a,
)


@pytest.fixture
def tenant_objects(private_storage, demo_cast, django_capture_on_commit_callbacks):
    """The demo, plus an open invitation and an import job of school A, so every URL can be built."""
    from accounts.models import User
    from partnerships.services.invitations import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=User.objects.get(email="coord@sintjozef.demo"),
            partnership=_a1(),
            email="nieuw@vandenberghe.demo",
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
    with django_capture_on_commit_callbacks(execute=True):
        account_invitation_create(actor=coord, student=lotte.student, contact=contact)
    from documents.services import document_request

    with django_capture_on_commit_callbacks(execute=True):
        document_request(actor=coord, kind="raci_matrix", subject=_a1())
    model = _import_model()
    if model is not None and not model.objects.exists():
        from tests.isolation.factories import make_import_job

        make_import_job(
            model=model, school=_school_a(), user=User.objects.get(email="coord@sintjozef.demo")
        )
    return demo_cast
