"""Forms of the bedrijfsfiches: create, edit a draft, add a photo, change a caption."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duaal.forms import ModelChoiceField
from learning import images
from learning.models import BedrijfsficheVersion, Leerfiche
from organisations.models import Vestiging
from partnerships import sharing


class LeerficheChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.theme.title} – {obj.title}"


class BedrijfsficheCreateForm(forms.Form):
    vestiging = ModelChoiceField(
        label=_("Establishment"), queryset=Vestiging.objects.none(), empty_label=None
    )
    leerfiche = LeerficheChoiceField(label=_("Leerfiche"), queryset=Leerfiche.objects.none())

    def __init__(
        self, *args: Any, vestigingen: QuerySet, leerfiches: QuerySet, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vestiging"].queryset = vestigingen  # type: ignore[attr-defined]
        self.fields["leerfiche"].queryset = leerfiches  # type: ignore[attr-defined]
        self.fields["leerfiche"].empty_label = _("Pick a leerfiche")  # type: ignore[attr-defined]


class BedrijfsficheForm(forms.ModelForm):
    class Meta:
        model = BedrijfsficheVersion
        fields = ["timing", "materiaal", "instructies", "veiligheid", "werkvorm", "werkvorm_steps"]
        labels = {
            "timing": _("Timing"),
            "materiaal": _("Material"),
            "instructies": _("Instructions"),
            "veiligheid": _("Safety and PPE"),
            "werkvorm": _("Working method"),
            "werkvorm_steps": _("Steps or kijkwijzer questions"),
        }
        help_texts = {
            "timing": _("When and how long, e.g. “week 3–5, two half days”."),
            "werkvorm_steps": _("One step per line; they are shown numbered."),
        }
        widgets = {
            "timing": forms.Textarea(attrs={"rows": 2}),
            "materiaal": forms.Textarea(attrs={"rows": 4}),
            "instructies": forms.Textarea(attrs={"rows": 6}),
            "veiligheid": forms.Textarea(attrs={"rows": 4}),
            "werkvorm_steps": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("timing", "materiaal", "instructies", "veiligheid", "werkvorm_steps"):
            self.fields[name].max_length = 20_000  # type: ignore[attr-defined]
            self.fields[name].widget.attrs["maxlength"] = "20000"
        sharing.label_form(self, "learning.bedrijfsficheversion")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("timing", "materiaal", "instructies", "veiligheid", "werkvorm_steps"):
            value = cleaned.get(name)
            if isinstance(value, str):
                cleaned[name] = value.replace("\x00", "").replace("\r\n", "\n").strip()
        return cleaned


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 10 MB. Location data is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_image(self) -> Any:
        upload = self.cleaned_data["image"]
        # Checked and re-encoded here, so the errors land next to the field; the service
        # stores only this re-encoded image.
        self.cleaned_image = images.clean_image(upload)
        return upload

    def clean_caption(self) -> str:
        return self.cleaned_data.get("caption", "").replace("\x00", "").strip()


class CaptionForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_caption(self) -> str:
        return self.cleaned_data.get("caption", "").replace("\x00", "").strip()
