"""Forms of the catalogue pages: a new set, editors, themes, leerfiches, items, criteria."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from duaal.forms import ModelChoiceField
from duaal.validators import no_control_characters
from learning.models import ItemKind, Leerfiche, Opleiding, SetVersion, Theme
from learning.services.authoring import LEERFICHE_TEXT_FIELDS
from organisations.models import Organisation


class _ListField(forms.CharField):
    """A list of short values typed on one line, separated by commas ("131, 135, 136")."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        # The validators see the list; check the typed text itself (PostgreSQL refuses NUL).
        ProhibitNullCharactersValidator()(text)
        return [part.strip() for part in text.split(",") if part.strip()]


class SetCreateForm(forms.Form):
    owner = ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    opleiding = ModelChoiceField(
        queryset=Opleiding.objects.filter(active=True), label=_("Opleiding")
    )
    name = forms.CharField(
        label=_("Name of the set"), max_length=200, validators=[no_control_characters]
    )

    def __init__(self, *args: Any, owners: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if owners.count() == 1:
            self.fields["owner"].initial = owners.first()


class EditorAddForm(forms.Form):
    user = ModelChoiceField(queryset=User.objects.none(), label=_("Member"))

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Title of the theme"), max_length=200)


class _ThemeChoiceForm(forms.Form):
    theme = ModelChoiceField(queryset=Theme.objects.none(), label=_("Theme"))

    def __init__(self, *args: Any, version: SetVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(version=version).order_by(
            "order", "pk"
        )


class LeerficheAddForm(_ThemeChoiceForm):
    title = forms.CharField(label=_("Title of the leerfiche"), max_length=200)

    field_order = ["title", "theme"]


class LeerficheForm(forms.ModelForm):
    """The texts of a leerfiche and its opdracht; items and criteria have their own forms."""

    lasprocessen = _ListField(
        label=_("Lasprocessen (ISO 4063 numbers)"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, e.g. 131, 135, 136, 138."),
    )
    metals = _ListField(
        label=_("Metals the student chooses from"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, e.g. Staal, RVS, ALU."),
    )

    class Meta:
        model = Leerfiche
        fields = ["title", "theme", *LEERFICHE_TEXT_FIELDS]
        field_classes = {"theme": ModelChoiceField}
        labels = {
            "title": _("Title"),
            "theme": _("Theme"),
            "intro_kennen": _("Introduction: kennen"),
            "intro_kunnen": _("Introduction: kunnen"),
            "kennis_intro": _("Kennis & vaardigheden op school: introduction"),
            "kennis_outro": _("Kennis & vaardigheden op school: closing paragraph"),
            "oefencontexten_intro": _("Oefencontexten: introduction"),
            "has_opdracht": _("This leerfiche has an opdracht (lasprocédé, stappenplan …)"),
            "lasprocede": _("Lasprocédé"),
            "lasnaadvorm": _("Lasnaadvorm"),
            "lasstand": _("Lasstand"),
            "doelstelling": _("Doelstelling"),
            "wps_reference": _("Note on the lasmethodebeschrijving (WPS)"),
            "opdracht_note": _("Note on the opdracht"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "intro_kennen",
                "intro_kunnen",
                "kennis_intro",
                "kennis_outro",
                "oefencontexten_intro",
                "doelstelling",
                "opdracht_note",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(
            version_id=self.instance.version_id
        ).order_by("order", "pk")
        self.fields["theme"].empty_label = None


# The sections whose lines an editor adds one by one, in the order of the page.
SECTION_KINDS = (
    ItemKind.LEERDOEL,
    ItemKind.KENNIS,
    ItemKind.OEFENCONTEXT,
    ItemKind.STEP,
    ItemKind.MEASUREMENT,
    ItemKind.BEHAVIOUR,
)


class ItemForm(forms.Form):
    heading = forms.CharField(
        label=_("Sub-heading"),
        max_length=200,
        required=False,
        help_text=_("Lines with the same sub-heading are shown together under it."),
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown under the line, e.g. a remark for the teacher."),
    )


class CriterionForm(forms.Form):
    heading = forms.CharField(label=_("Sub-heading"), max_length=200, required=False)
    text = forms.CharField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 2}))
    code = forms.CharField(
        label=_("Code"),
        max_length=10,
        required=False,
        help_text=_('E.g. "S"; shown as (S) after the criterion.'),
    )
    norm_reference = forms.CharField(
        label=_("Norm reference"),
        max_length=40,
        required=False,
        help_text=_("E.g. an ISO 6520-1 number such as 2017 or 5011 5012."),
    )


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Read by every organisation that uses the set."),
    )
