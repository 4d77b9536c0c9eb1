"""Fixtures of the isolation suite."""

from __future__ import annotations

import pytest

from tests.isolation.test_url_classification import _a1, _company_x, _import_model, _school_a


@pytest.fixture
def tenant_objects(demo_cast, django_capture_on_commit_callbacks):
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
            base_url="http://testserver/",
        )
    model = _import_model()
    if model is not None and not model.objects.exists():
        from tests.isolation.factories import make_import_job

        make_import_job(
            model=model, school=_school_a(), user=User.objects.get(email="coord@sintjozef.demo")
        )
    return demo_cast
