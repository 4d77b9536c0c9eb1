from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.identifiers import (
    format_ondernemingsnummer,
    normalize_instellingsnummer,
    normalize_ondernemingsnummer,
)
from organisations.models import Organisation, OrganisationKind


class OrganisationForm(forms.ModelForm):
    """An organisation's own details; identifiers are validated and stored as bare digits."""

    ondernemingsnummer = forms.CharField(
        label=_("Enterprise number (KBO)"),
        required=False,
        max_length=20,
        help_text=_("Ten digits, for example 0566.988.259."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "instellingsnummer", "ondernemingsnummer", "paritair_comite", "findable"]
        labels = {"findable": _("Findable for schools")}

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.ondernemingsnummer and not self.is_bound:
            self.initial["ondernemingsnummer"] = format_ondernemingsnummer(
                self.instance.ondernemingsnummer
            )
        if self.instance.kind != OrganisationKind.COMPANY:
            del self.fields["findable"]
        if self.instance.kind != OrganisationKind.SCHOOL:
            del self.fields["instellingsnummer"]
        else:
            self.fields["instellingsnummer"].required = True

    def clean_ondernemingsnummer(self) -> str:
        value = self.cleaned_data.get("ondernemingsnummer", "").strip()
        if not value:
            if self.instance.kind == OrganisationKind.COMPANY:
                raise forms.ValidationError(_("A company needs its enterprise number (KBO)."))
            return ""
        return normalize_ondernemingsnummer(value)

    def clean_instellingsnummer(self) -> str:
        return normalize_instellingsnummer(self.cleaned_data.get("instellingsnummer", ""))
