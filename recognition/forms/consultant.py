"""Forms of the sector consultant's screens (``recognition/views/consultant.py``): the inbox's
filters and one form per action on a request. The rules stay in ``recognition.services``;
these forms only read and check the input (dates, the choices, a reason when refusing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from duaal.forms import ModelChoiceField
from duaal.validators import no_control_characters
from learning.models import Opleiding
from recognition.models import REASON_MAX_LENGTH, RecognitionStatus, VisitResult, WorkplaceVisit
from recognition.services import VISIT_CHECKS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    """A free-text field of at most the services' reason length (notes, reasons)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
        help_text=help_text,
    )


STATE_CHOICES = [
    ("open", _("Open (not decided yet)")),
    ("all", _("All states")),
    *[(value, label) for value, label in RecognitionStatus.choices if value != "concept"],
]
DUE_CHOICES = [
    ("", _("Any due date")),
    ("soon", _("Decision due within 14 days")),
    ("overdue", _("Decision overdue")),
]


class InboxFilterForm(forms.Form):
    company = forms.CharField(
        label=_("Search a company"),
        required=False,
        max_length=100,
        validators=[no_control_characters],
    )
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    due = forms.ChoiceField(label=_("Decision"), choices=DUE_CHOICES, required=False)
    opleiding = ModelChoiceField(
        label=_("Opleiding"),
        queryset=Opleiding.objects.none(),
        required=False,
        empty_label=_("Every opleiding"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, opleidingen: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opleiding"].queryset = opleidingen  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid value counts as not filtering on it)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "state": data.get("state") or "open",
            "due": data.get("due") or "",
            "opleiding": data.get("opleiding"),
            "company": data.get("company") or "",
        }

    @property
    def active(self) -> int:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return sum(1 for name in ("due", "opleiding", "company") if data.get(name)) + (
            1 if data.get("state") not in (None, "", "open") else 0
        )


class VisitPlanForm(forms.Form):
    planned_on = forms.DateField(label=_("Date of the workplace visit"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, not_before: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_before = not_before

    def clean_planned_on(self) -> date:
        day: date = self.cleaned_data["planned_on"]
        if self.not_before and day < self.not_before:
            raise forms.ValidationError(
                _("A visit cannot be planned before the request was complete (%(day)s)."),
                params={"day": date_format(self.not_before, "SHORT_DATE_FORMAT")},
            )
        return day


YES_NO = [("", _("Not checked")), ("yes", _("Yes")), ("no", _("No"))]


class VisitRecordForm(forms.Form):
    """The visit's report: the general checks, the result and notes. What the company can offer
    per leerfiche is learning's own activiteitenlijst form (``learning.forms.plans.OfferForm``)
    beside it in the same HTML form."""

    visited_on = forms.DateField(label=_("Visited on"), widget=DATE_WIDGET)
    result = forms.ChoiceField(
        label=_("Result of the visit"), choices=VisitResult.choices, widget=forms.RadioSelect
    )
    notes = _text(
        _("Notes"), help_text=_("Only for the sector body; the company does not read them.")
    )

    def __init__(self, *args: Any, visit: WorkplaceVisit, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.today = today
        for name in VISIT_CHECKS:
            value = getattr(visit, name)
            self.fields[name] = forms.ChoiceField(
                label=WorkplaceVisit._meta.get_field(name).verbose_name,
                choices=YES_NO,
                required=False,
                initial="" if value is None else ("yes" if value else "no"),
            )

    @property
    def check_fields(self) -> list[Any]:
        return [self[name] for name in VISIT_CHECKS]

    def clean_visited_on(self) -> date:
        day: date = self.cleaned_data["visited_on"]
        if day > self.today:
            raise forms.ValidationError(_("The visit cannot lie in the future."))
        return day

    def checks(self) -> dict[str, bool | None]:
        values = {"yes": True, "no": False}
        return {name: values.get(self.cleaned_data.get(name) or "") for name in VISIT_CHECKS}


DECISION_CHOICES = [
    ("recognised", _("Recognised (erkend) for 5 years")),
    ("refused", _("Refused (geweigerd)")),
]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect
    )
    refusal_reason = _text(
        _("Reason for the refusal"),
        help_text=_("Required when refusing: the company reads it in the decision letter."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refused" and not (data.get("refusal_reason") or "").strip():
            self.add_error(
                "refusal_reason",
                _("Give the reason for the refusal: the company reads it in the letter."),
            )
        return data

    @property
    def recognised(self) -> bool:
        return self.cleaned_data["decision"] == "recognised"


class AppealForm(forms.Form):
    """An appeal the company sent to the sector body (by letter or e-mail), registered here."""

    appealed_on = forms.DateField(label=_("Appeal received on"), widget=DATE_WIDGET)
    appeal_reason = _text(_("Reason for the appeal"), required=True)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_appealed_on(self) -> date:
        day: date = self.cleaned_data["appealed_on"]
        if day > self.today:
            raise forms.ValidationError(_("The date of receipt cannot lie in the future."))
        return day
