"""Forms of the school's side of recognition: partner search, a company's listing, programmatie."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duaal.forms import ModelChoiceField, ModelMultipleChoiceField
from learning.models import Opleiding
from recognition import postcodes
from recognition.models import REASON_MAX_LENGTH
from recognition.programmatie import first_open_school_year, school_year_label

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_opleidingen() -> QuerySet[Opleiding]:
    return Opleiding.objects.filter(active=True).order_by("name")


class PartnerSearchForm(forms.Form):
    opleiding = ModelChoiceField(
        label=_("Opleiding"), queryset=Opleiding.objects.none(), empty_label=_("Choose…")
    )
    postcode = forms.CharField(
        label=_("Near postcode"),
        max_length=10,
        help_text=_("A Belgian postcode of four digits, for example 3600."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    only_free = forms.BooleanField(
        label=_("Only companies whose mentors can take another student"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opleiding"].queryset = active_opleidingen()

    def clean_postcode(self) -> str:
        value = postcodes.normalize(self.cleaned_data.get("postcode"))
        if not value:
            raise forms.ValidationError(
                _("Enter a Belgian postcode of four digits, for example 3600."), code="format"
            )
        if postcodes.place(value) is None:
            raise forms.ValidationError(
                _("We do not know postcode %(postcode)s. Check it and try again."),
                code="unknown",
                params={"postcode": value},
            )
        return value


class ListingForm(forms.Form):
    findable = forms.BooleanField(
        label=_("Findable for schools"),
        required=False,
        help_text=_(
            "Schools you do not work with yet can find your company and its establishments "
            "when they look for a company for a partnership."
        ),
    )
    opleidingen = ModelMultipleChoiceField(
        label=_("Opleidingen that interest us"),
        queryset=Opleiding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Schools searching for one of these find you even before you are recognised for it "
            "(only when you are findable)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opleidingen"].queryset = active_opleidingen()


class ProgrammatieForm(forms.Form):
    school = ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    opleiding = ModelChoiceField(
        label=_("Opleiding"), queryset=Opleiding.objects.none(), empty_label=_("Choose…")
    )
    school_year = forms.TypedChoiceField(label=_("School year"), coerce=int)

    def __init__(self, *args: Any, schools: QuerySet, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].initial = schools.first()
        self.fields["opleiding"].queryset = active_opleidingen()
        first = first_open_school_year(today)
        self.fields["school_year"].choices = [
            (year, school_year_label(year)) for year in range(first, first + 3)
        ]


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("approved", _("Approved")), ("refused", _("Refused"))],
        widget=forms.RadioSelect,
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when refused. Internal: the school's team reads it."),
    )


class StartForm(forms.Form):
    started_on = forms.DateField(label=_("First student started on"), widget=DATE_WIDGET)


class LapseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
