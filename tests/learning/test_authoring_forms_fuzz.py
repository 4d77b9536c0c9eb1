"""Bad input never gives a 500: the authoring forms fed arbitrary data (hypothesis)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.models import Opleiding, SetEditor
from learning.services import versions
from organisations.models import Organisation
from tests.learning.factories import make_set_version

TEXT = st.text(max_size=300)
VALUE = st.one_of(TEXT, st.integers(-5, 10**12).map(str), st.just(""))
FIELDS = (
    "title",
    "theme",
    "intro_kennen",
    "has_opdracht",
    "lasprocessen",
    "metals",
    "lasnaadvorm",
    "heading",
    "text",
    "note",
    "code",
    "norm_reference",
    "direction",
    "confirm",
    "change_note",
    "user",
    "owner",
    "opleiding",
    "name",
)


@pytest.fixture
def draft(demo_cast):
    sector = Organisation.objects.get(name="Sectoraal Partnerschap Technologische Industrie")
    published = make_set_version(
        owner=sector, opleiding=Opleiding.objects.get(code="lassen-constructie"), name="Fuzz"
    )
    SetEditor.objects.create(
        leerfiche_set=published.leerfiche_set, user=demo_cast["consulent@sector.demo"]
    )
    return versions.start_draft(leerfiche_set=published.leerfiche_set)


@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, VALUE)))
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_authoring_forms_never_fail(client, login, draft, data):
    login("consulent@sector.demo")
    fiche = draft.leerfiches.order_by("pk").first()
    theme = draft.themes.order_by("pk").first()
    urls = [
        reverse("learning:leerfiche_edit", args=[fiche.public_id]),
        reverse("learning:criterion_add", args=[fiche.public_id]),
        reverse("learning:item_add", args=[fiche.public_id, "leerdoel"]),
        reverse("learning:theme_edit", args=[draft.public_id, theme.pk]),
        reverse("learning:leerfiche_add", args=[draft.public_id]),
        reverse("learning:theme_move", args=[draft.public_id, theme.pk]),
    ]
    for url in urls:
        response = client.post(url, data)
        assert response.status_code in {200, 302, 400, 404}, (url, response.status_code)
