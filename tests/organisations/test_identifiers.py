import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from organisations.identifiers import (
    format_insz,
    format_ondernemingsnummer,
    format_vestigingsnummer,
    normalize_insz,
    normalize_ondernemingsnummer,
    normalize_vestigingsnummer,
)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("0566.988.259", "0566988259"),
        ("0202239951", "0202239951"),
        ("BE 0202.239.951", "0202239951"),
        ("566.988.259", "0566988259"),
    ],
)
def test_valid_enterprise_numbers(typed, digits):
    assert normalize_ondernemingsnummer(typed) == digits


@pytest.mark.parametrize(
    ("typed", "code", "dutch"),
    [
        ("0566.988.258", "checksum", "controlecijfers"),
        ("0566.988", "length", "10 cijfers"),
        ("2566.988.259", "first_digit", "begint met 0 of 1"),
        ("0566.98A.259", "not_digits", "cijfers"),
        ("", "required", "ondernemingsnummer"),
    ],
)
def test_invalid_enterprise_numbers_name_the_problem(typed, code, dutch):
    with translation.override("nl-be"), pytest.raises(ValidationError) as excinfo:
        normalize_ondernemingsnummer(typed)
    assert excinfo.value.code == code
    assert dutch in excinfo.value.messages[0]


def test_formatting():
    assert format_ondernemingsnummer("0566988259") == "0566.988.259"
    assert format_vestigingsnummer("2147812701") == "2.147.812.701"
    assert format_insz("93051822361") == "93.05.18-223.61"


def test_establishment_numbers():
    assert normalize_vestigingsnummer("2.147.812.701") == "2147812701"
    with pytest.raises(ValidationError):
        normalize_vestigingsnummer("2.147.812.702")
    with pytest.raises(ValidationError):
        normalize_vestigingsnummer("0.147.812.701")


@pytest.mark.parametrize("typed", ["93.05.18-223.61", "00.01.25-567.77"])
def test_valid_national_numbers_before_and_after_2000(typed):
    assert len(normalize_insz(typed)) == 11


def test_invalid_national_number():
    with pytest.raises(ValidationError):
        normalize_insz("93.05.18-223.62")


@given(st.text(max_size=30))
def test_enterprise_number_never_crashes_on_any_input(text):
    try:
        result = normalize_ondernemingsnummer(text)
    except ValidationError:
        return
    assert len(result) == 10 and result.isdigit() and result[0] in "01"
    assert 97 - int(result[:8]) % 97 == int(result[8:])
