"""Form fields shared by the apps.

``ModelChoiceField`` and ``ModelMultipleChoiceField`` refuse an id outside the range of the
database's integer columns before it reaches the database: on SQLite a value such as 2**63
raised ``OverflowError`` inside the query (a 500), where any other unknown id is simply "not
one of the choices". Every form of the project uses these two instead of Django's
(``tests/security/test_form_ids.py`` checks the source).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# The range of a (big) integer primary key; ids are positive.
MIN_ID = 1
MAX_ID = 2**63 - 1


def _integer_key(field: forms.ModelChoiceField) -> bool:
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(key, models.IntegerField | models.AutoField)


def id_out_of_range(value: Any) -> bool:
    """True when ``value`` reads as an integer outside MIN_ID..MAX_ID. Anything else (not a
    number at all) is left to Django, which refuses it as an invalid choice itself."""
    if isinstance(value, models.Model):
        return False
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False
    return not MIN_ID <= number <= MAX_ID


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and _integer_key(self) and id_out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and _integer_key(self):
            for item in value:
                if isinstance(item, str | int) and id_out_of_range(item):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: each field's messages beside that
    field (when the form has it), everything else at the top."""
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)
