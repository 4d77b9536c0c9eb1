"""The forms of the contract page's lifecycle actions (``contracts.views.contract_page``).

Each posts the ``version`` the page showed (optimistic locking, decision 0018); the services
validate the rest and their ``ValidationError``s land beside the field of the same name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models.contracts import REASON_MAX_LENGTH, Contract


class VersionForm(forms.Form):
    """The version shown: every action carries it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _category_field() -> forms.TypedChoiceField:
    field = Contract._meta.get_field("leervergoeding_category")
    return forms.TypedChoiceField(
        label=_("Leervergoeding category"),
        choices=[("", _("Not chosen yet")), *field.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("OAO only: the category sets the percentage of the GGMMI."),
    )


class CreateForm(forms.Form):
    company = forms.TypedChoiceField(label=_("Company"), coerce=int)
    leervergoeding_category = _category_field()

    def __init__(self, *args: Any, companies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = companies


class EditForm(VersionForm):
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    leervergoeding_category = _category_field()
    rederive_hours = forms.BooleanField(
        label=_("Derive the type and the hours again from the placements"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date lies before the start date."))
        return data


class RegisterForm(VersionForm):
    registration_reference = forms.CharField(
        label=_("Registration reference"),
        max_length=60,
        help_text=_("The reference number of the registration on the Werkplek duaal loket."),
    )
    registered_on = forms.DateField(
        label=_("Registered on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )

    def clean_registered_on(self) -> Any:
        value = self.cleaned_data.get("registered_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("A registration cannot lie in the future."))
        return value


class SuspendForm(VersionForm):
    suspended_on = forms.DateField(
        label=_("Suspended from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    suspension_reason = forms.CharField(
        label=_("Reason for the suspension"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Internal: the team reads it, the student and the parents do not."),
    )


class EndForm(VersionForm):
    ended_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    end_reason = forms.CharField(
        label=_("Reason for ending"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Internal: the team reads it, the student and the parents do not."),
    )
    early = forms.BooleanField(
        label=_("Ended early (vroegtijdig beëindigd)"),
        required=False,
        help_text=_("Tick this when the contract ends before its planned end date."),
    )
