"""Forms of the opleidingsplan screens: they shape input; ``learning.services.plans`` holds the
rules (week ranges, vestigingen, overlapping periods)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duaal.forms import ModelChoiceField
from duaal.validators import no_control_characters
from learning.models import Leerfiche, Offer, PlaceKind, SetVersion
from learning.services.plans import PlaceSpec, place_label
from organisations.models import Vestiging
from partnerships import sharing

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEEK_WIDGET = forms.NumberInput(attrs={"min": 1, "inputmode": "numeric", "class": "plan__week"})


class VersionChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: SetVersion) -> str:
        return _("%(set)s, version %(number)s (%(owner)s)") % {
            "set": obj.leerfiche_set.name,
            "number": obj.number,
            "owner": obj.leerfiche_set.owner.name,
        }


class AdoptForm(forms.Form):
    set_version = VersionChoiceField(
        label=_("Leerfiche version"),
        queryset=SetVersion.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("Published versions of the leerfiche sets of this opleiding."),
    )

    def __init__(self, *args: Any, versions: list[SetVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["set_version"]
        field.queryset = SetVersion.objects.filter(pk__in=[v.pk for v in versions]).select_related(
            "leerfiche_set__owner"
        )
        field.choices = [(v.pk, field.label_from_instance(v)) for v in versions]


class PeriodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, validators=[no_control_characters])
    start_date = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End date"), widget=DATE_WIDGET)


@dataclass(frozen=True)
class PlaceOption:
    """One place a cell may name: the school, a company vestiging, the training centre, or
    simulated learning."""

    key: str
    kind: str
    label: str
    vestiging: Vestiging | None = None


def place_options(*, vestigingen: list[Vestiging], training_centre_name: str) -> list[PlaceOption]:
    options = [PlaceOption("school", PlaceKind.SCHOOL, place_label(PlaceKind.SCHOOL))]
    options += [
        PlaceOption(
            f"company{v.pk}",
            PlaceKind.COMPANY,
            place_label(PlaceKind.COMPANY, vestiging_name=v.name),
            v,
        )
        for v in vestigingen
    ]
    if training_centre_name:
        options.append(
            PlaceOption(
                "training_centre",
                PlaceKind.TRAINING_CENTRE,
                place_label(PlaceKind.TRAINING_CENTRE, training_centre_name=training_centre_name),
            )
        )
    options.append(PlaceOption("simulated", PlaceKind.SIMULATED, place_label(PlaceKind.SIMULATED)))
    return options


class CellForm(forms.Form):
    """The places of one cell: per place a checkbox and its first and last week."""

    def __init__(
        self,
        *args: Any,
        options: list[PlaceOption],
        weeks: int,
        current: dict[str, tuple[int, int]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.options = options
        current = current or {}
        for option in options:
            chosen = current.get(option.key)
            self.fields[f"{option.key}_on"] = forms.BooleanField(
                label=option.label, required=False, initial=chosen is not None
            )
            self.fields[f"{option.key}_from"] = forms.IntegerField(
                label=_("from week"),
                required=False,
                initial=chosen[0] if chosen else 1,
                widget=WEEK_WIDGET,
            )
            self.fields[f"{option.key}_to"] = forms.IntegerField(
                label=_("to week"),
                required=False,
                initial=chosen[1] if chosen else weeks,
                widget=WEEK_WIDGET,
            )

    @property
    def rows(self) -> list[tuple[PlaceOption, Any, Any, Any]]:
        return [
            (o, self[f"{o.key}_on"], self[f"{o.key}_from"], self[f"{o.key}_to"])
            for o in self.options
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for option in self.options:
            if data.get(f"{option.key}_on") and (
                data.get(f"{option.key}_from") is None or data.get(f"{option.key}_to") is None
            ):
                self.add_error(
                    f"{option.key}_from",
                    _("%(place)s: fill in the first and the last week.") % {"place": option.label},
                )
        return data

    def places(self) -> list[PlaceSpec]:
        return [
            (
                option.kind,
                option.vestiging,
                self.cleaned_data[f"{option.key}_from"],
                self.cleaned_data[f"{option.key}_to"],
            )
            for option in self.options
            if self.cleaned_data.get(f"{option.key}_on")
        ]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    leerfiche_key = forms.ChoiceField(label=_("About"), required=False)

    def __init__(self, *args: Any, fiches: list[Leerfiche], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leerfiche_key"].choices = [("", _("The whole plan"))] + [
            (f.key, f.title) for f in fiches
        ]
        sharing.label_form(self, "learning.plancomment", ["text"])


OFFER_CHOICES = [("", _("Not filled in")), *Offer.choices]


class OfferForm(forms.Form):
    """The activiteitenlijst of one vestiging: per leerfiche an offer and a note."""

    def __init__(
        self, *args: Any, fiches: list[Leerfiche], current: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fiches = fiches
        for fiche in fiches:
            entry = current.get(fiche.key)
            self.fields[f"offer_{fiche.pk}"] = forms.ChoiceField(
                label=fiche.title,
                choices=OFFER_CHOICES,
                required=False,
                initial=entry.offer if entry else "",
            )
            self.fields[f"note_{fiche.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=500,
                initial=entry.note if entry else "",
            )

    @property
    def rows(self) -> list[tuple[Leerfiche, Any, Any]]:
        return [(f, self[f"offer_{f.pk}"], self[f"note_{f.pk}"]) for f in self.fiches]

    def values(self) -> list[tuple[Leerfiche, str, str]]:
        return [
            (
                f,
                self.cleaned_data.get(f"offer_{f.pk}") or "",
                self.cleaned_data.get(f"note_{f.pk}") or "",
            )
            for f in self.fiches
        ]
