"""Free text as the evaluation services accept it: trimmed, and never with a NUL character
(PostgreSQL cannot store one; the views read raw POST data, without a Django form's
``ProhibitNullCharactersValidator``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def clean(value: str | None, *, field: str) -> str:
    """``value`` trimmed; a ValidationError on ``field`` when it holds a NUL character."""
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: gettext("Null characters are not allowed.")})
    return value
