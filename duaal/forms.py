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
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

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


class QuickSelect(forms.Select):
    """A ``Select`` that writes its HTML in Python instead of rendering Django's
    ``select.html`` and one ``select_option.html`` (with its ``attrs.html``) per option: the
    same HTML, byte for byte (``tests/test_quick_select.py`` compares the two), at a fraction
    of the cost.
    For the long candidate lists of pages that are asked for often (the partnership page's
    add forms, decision 0022). Single choice only; the project overrides none of Django's
    widget templates (if it did, this widget would have to follow)."""

    allow_multiple_selected = False

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = self.format_value(value)
        parts = [
            format_html('<select name="{}"', name),
            _attributes(self.build_attrs(self.attrs, attrs)),
            ">",
        ]
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            group = isinstance(option_label, list | tuple)
            options = option_label if group else [(option_value, option_label)]
            if group and option_value:
                parts.append(format_html('\n  <optgroup label="{}">', option_value))
            for sub_value, sub_label in options:
                selected = not has_selected and str(sub_value) in chosen
                has_selected |= selected
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(sub_value),
                        mark_safe(" selected") if selected else "",
                        sub_label,
                    )
                )
            if group and option_value:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """Django's ``attrs.html``: `` name="value"``, `` name`` for True, nothing for False."""
    return mark_safe(  # noqa: S308 - names and values escaped
        "".join(
            ""
            if value is False
            else f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
            for name, value in attrs.items()
        )
    )
