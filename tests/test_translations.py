"""Django's own messages speak our Dutch: informal, complete, Flemish abbreviations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import django
from django.template.defaultfilters import date as date_filter
from django.utils import translation

from duaal import django_strings

DJANGO_ROOT = Path(django.__file__).parent


def _django_sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in [
            *DJANGO_ROOT.glob("conf/locale/en/LC_MESSAGES/django.po"),
            *DJANGO_ROOT.glob("contrib/*/locale/en/LC_MESSAGES/django.po"),
        ]
    )


def test_every_overridden_id_is_still_a_django_message():
    sources = _django_sources().replace('"\n"', "")
    with translation.override("en"):
        ids = [str(message) for message in django_strings.MESSAGES]
        ids += [str(message) for message in django_strings.MONTH_ABBREVIATIONS]
    missing = [message for message in ids if f'msgid "{message}"' not in sources]
    assert missing == [], (
        f"Django no longer uses these ids; update duaal/django_strings.py: {missing}"
    )


def test_django_messages_use_je_and_the_empty_choice_is_dutch():
    from django.contrib.auth.password_validation import (
        MinimumLengthValidator,
        NumericPasswordValidator,
    )
    from django.core.exceptions import ValidationError
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("nl-be"):
        assert str(BLANK_CHOICE_LABEL) == "- Kies -"
        try:
            NumericPasswordValidator().validate("12345678")
        except ValidationError as error:
            message = " ".join(error.messages)
        assert message.startswith("Dit wachtwoord"), message
        assert "Uw" not in str(NumericPasswordValidator().get_help_text())
        # The plural message of the length validator, with our wording.
        try:
            MinimumLengthValidator(min_length=8).validate("kort")
        except ValidationError as error:
            message = " ".join(error.messages)
        assert message == "Dit wachtwoord is te kort: gebruik minstens 8 tekens.", message
        help_text = MinimumLengthValidator(min_length=8).get_help_text()
        assert help_text == "Je wachtwoord moet minstens 8 tekens lang zijn.", help_text


def test_month_abbreviations_end_in_a_full_stop_in_flemish():
    with translation.override("nl-be"):
        assert date_filter(dt.date(2026, 12, 2), "j N") == "2 dec."
        assert date_filter(dt.date(2026, 5, 4), "j N") == "4 mei"
    with translation.override("en"):
        assert date_filter(dt.date(2026, 12, 2), "j N") == "2 Dec."


def test_short_dates_are_flemish():
    from django.utils.formats import date_format

    with translation.override("nl-be"):
        assert date_format(dt.date(2026, 9, 1), "SHORT_DATE_FORMAT") == "1/9/2026"
    with translation.override("en"):
        assert date_format(dt.date(2026, 9, 1), "SHORT_DATE_FORMAT") != "1/9/2026"
