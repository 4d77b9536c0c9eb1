"""Forms of the dashboards' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import SchoolClass


class KlassenraadForm(forms.Form):
    """Which class's klassenraad report to make, in one school year: the classes offered are
    those whose report the user may ask for that year (``permissions.klassenraad_classes``)."""

    year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    school_class = forms.TypedChoiceField(
        label=_("Class"),
        coerce=int,
        help_text=_("The PDF lists each student of the class whose traject you follow."),
        error_messages={"invalid_choice": _("Choose one of the classes in the list.")},
    )

    def __init__(
        self, *args: Any, years: list[int], classes: list[SchoolClass], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}-{year + 1}") for year in years]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "Choose one of the school years in the list."
        )
        self.fields["school_class"].choices = [
            (school_class.pk, f"{school_class.name} · {school_class.school.name}")
            for school_class in classes
        ]
