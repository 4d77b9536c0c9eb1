"""Ids outside the database's integer range are refused as invalid choices (issue 13,
finding 5): 2**63 in a multi-select used to raise OverflowError on SQLite, a 500."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from duaal.forms import ModelChoiceField, ModelMultipleChoiceField, id_out_of_range
from organisations.models import Organisation, Vestiging
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

HUGE = [str(2**63), str(2**64), "99999999999999999999999999", str(-(2**63) - 1), "0", "-1"]
INVALID = "Selecteer een geldige keuze"  # Django's own message, in Dutch


@pytest.mark.parametrize("value", HUGE)
def test_out_of_range_ids_are_recognised(value):
    assert id_out_of_range(value)


@pytest.mark.parametrize("value", ["1", " 42 ", str(2**63 - 1)])
def test_ids_in_range_are_not(value):
    assert not id_out_of_range(value)


@pytest.mark.parametrize("value", HUGE)
def test_the_fields_refuse_out_of_range_ids_with_the_dutch_message(demo_cast, value):
    single = ModelChoiceField(queryset=Organisation.objects.all())
    multiple = ModelMultipleChoiceField(queryset=Vestiging.objects.all())
    with pytest.raises(forms.ValidationError) as raised:
        single.clean(value)
    assert raised.value.code == "invalid_choice"
    valid = str(Vestiging.objects.first().pk)
    with pytest.raises(forms.ValidationError) as raised:
        multiple.clean([valid, value])
    assert raised.value.code == "invalid_choice"
    assert multiple.clean([valid]).get().pk == int(valid)


def _placement_page(client, login):
    from partnerships.models import Traject

    login("coord@sintjozef.demo")
    traject = Traject.objects.get(student__first_name="Lotte")
    placement = traject.placements.get()
    return f"/trajects/{traject.public_id}/placements/{placement.public_id}/edit/", placement


@pytest.mark.parametrize("field", ["company_vestiging", "mentors", "begeleiders"])
def test_a_huge_id_in_the_placement_form_is_an_invalid_choice_not_a_500(
    client, demo_cast, login, field
):
    assert settings.DATABASES["default"]["ENGINE"].endswith(("sqlite3", "postgresql"))
    url, placement = _placement_page(client, login)
    client.raise_request_exception = True
    response = client.post(url, {field: [str(2**63)], "start_date": "2026-09-01"})
    assert response.status_code in {200, 400}
    assert INVALID in response.content.decode()


def test_a_huge_vestiging_id_when_adding_a_company_is_an_invalid_choice(client, demo_cast, login):
    login("coord@sintjozef.demo")
    a1 = Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )
    client.raise_request_exception = True
    response = client.post(
        f"/partnerships/{a1.public_id}/companies/add/",
        {"company-vestiging": str(2**63)},
    )
    assert response.status_code in {200, 400}
    assert INVALID in response.content.decode()


def _project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's apps (their modules imported first)."""
    base = Path(settings.BASE_DIR).resolve()
    project = [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        and not Path(config.path).resolve().is_relative_to(base / ".venv")
    ]
    for config in project:
        for module in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if any(part in module.name for part in (".migrations", ".management", ".tests")):
                continue
            try:
                importlib.import_module(module.name)
            except Exception:  # a module that needs more set-up holds no form
                continue
    names = tuple(f"{config.name}." for config in project)
    seen: list[type[forms.BaseForm]] = []
    pending = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith(names):
                seen.append(sub)
    return seen


def test_every_project_form_uses_the_range_checked_fields():
    found = _project_forms()
    assert len(found) > 20, "the project's forms were found"
    wrong = []
    for form_class in found:
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField):
                if not isinstance(field, ModelMultipleChoiceField):
                    wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
            elif isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, ModelChoiceField
            ):
                wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert not wrong, (
        "use duaal.forms.ModelChoiceField / ModelMultipleChoiceField (ModelForms: "
        f"Meta.field_classes) for: {wrong}"
    )
