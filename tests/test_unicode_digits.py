"""``str.isdigit()`` is true for "²" and "٣", which ``int()`` refuses: every place that
checks digits before converting them must accept ASCII digits only (found on the dashboards'
``?year=``: a 500). Each case answers as for any other bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from evaluation.selectors.checkins import parse_version_token
from organisations.identifiers import normalize_ondernemingsnummer, normalize_vestigingsnummer

pytestmark = pytest.mark.django_db

NOT_ASCII = ["²", "٣", "2026²", "²²²²", "0123456789²"]


@pytest.mark.parametrize("value", NOT_ASCII)
def test_a_version_token_of_other_digits_is_refused(value):
    assert parse_version_token(value) is None
    assert parse_version_token(f"4.{value}") is None


@pytest.mark.parametrize("value", NOT_ASCII)
def test_an_identifier_of_other_digits_is_a_validation_error(value):
    for normalize in (normalize_ondernemingsnummer, normalize_vestigingsnummer):
        with pytest.raises(ValidationError):
            normalize(value)


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("directie@sintjozef.demo", "/dashboards/school/"),
        ("lk@sintjozef.demo", "/dashboards/klassenraad/"),
        ("directie@sintjozef.demo", "/dashboards/klassenraad/"),
    ],
)
@pytest.mark.parametrize("value", NOT_ASCII)
def test_a_dashboard_year_of_other_digits_falls_back(demo_cast, login, email, path, value):
    assert login(email).get(path, {"year": value}).status_code == 200
