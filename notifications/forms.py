"""Forms of the notification screens: preferences and the reminders filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery, DeliveryStatus, NotificationPreference
from notifications.registry import kinds


class PreferenceForm(forms.Form):
    """Opt-out: every kind is ticked (e-mailed) until the person unticks it."""

    emailed_kinds = forms.MultipleChoiceField(
        label=_("E-mail me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unticked kinds are not e-mailed; they still appear in your notifications."),
    )
    delivery = forms.ChoiceField(
        label=_("When"), choices=Delivery.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, preference: NotificationPreference, **kwargs: Any) -> None:
        codes = [code for code, _label, _help in kinds()]
        kwargs.setdefault(
            "initial",
            {
                "delivery": preference.delivery,
                "emailed_kinds": [c for c in codes if c not in (preference.muted_kinds or [])],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["emailed_kinds"].choices = [
            (code, f"{label} – {help_text}") for code, label, help_text in kinds()
        ]


class ReminderFilterForm(forms.Form):
    """Filters of the coordinator's reminders page; unknown values are ignored."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *DeliveryStatus.choices],
    )
