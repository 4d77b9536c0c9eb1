"""Forms of the company's side of recognition: the mentor profile and the request.

The rules live in ``recognition.services`` and ``recognition.selectors``; these forms only
turn what a person typed into values (with Dutch messages next to the fields).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from duaal.forms import ModelChoiceField, ModelMultipleChoiceField
from learning.models import Opleiding
from organisations.identifiers import format_ondernemingsnummer
from organisations.models import Organisation, Vestiging
from recognition.models import ExtractStatus, MentorProfile
from recognition.selectors import CONDITION_LABELS, Unmet

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# A proof is a PDF or a photo of the paper (checked on the first bytes, not the name).
UPLOAD_SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "pdf",
    b"\xff\xd8\xff": "jpg",
    b"\x89PNG\r\n\x1a\n": "png",
}
UPLOAD_HELP = gettext_lazy("PDF, JPEG or PNG, at most 10 MB.")
# The profile's values a person types (the check's who and when follow from who records it).
PROFILE_VALUES = (
    "birth_date",
    "experience_years",
    "extract_status",
    "extract_issued_on",
    "introduction_session_on",
    "deepening_session_on",
)
PROFILE_FILES = ("prior_education_proof", "experience_exemption_proof", "training_certificate")


def clean_upload(upload: UploadedFile | None, *, stem: str) -> UploadedFile | None:
    """A PDF, JPEG or PNG of at most 10 MB, renamed ``<stem>.<extension>`` (the name a person
    gave it is not kept: it could say anything)."""
    if upload is None:
        return None
    if upload.size is not None and upload.size > UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    head = upload.read(8)
    upload.seek(0)
    for signature, extension in UPLOAD_SIGNATURES.items():
        if head.startswith(signature):
            upload.name = f"{stem}.{extension}"
            return upload
    raise ValidationError(_("Upload a PDF, JPEG or PNG file."), code="file_type")


def _not_future(value: date | None, message: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(message)
    if value is not None and value.year < 1900:
        raise ValidationError(_("Enter a plausible date."))
    return value


class MentorProfileForm(forms.Form):
    """What the mentor rules read; the extract is checked, never uploaded."""

    birth_date = forms.DateField(
        label=gettext_lazy("Birth date"), required=False, widget=DATE_WIDGET
    )
    prior_education_proof = forms.FileField(
        label=gettext_lazy("Proof of prior education in the profession"),
        required=False,
        help_text=format_lazy(
            "{} {}",
            gettext_lazy(
                "Needed for a mentor aged 23 or 24 (a diploma or certificate in the profession)."
            ),
            UPLOAD_HELP,
        ),
    )
    experience_years = forms.IntegerField(
        label=gettext_lazy("Years of experience in the profession"),
        required=False,
        min_value=0,
        max_value=60,
    )
    experience_exemption_proof = forms.FileField(
        label=gettext_lazy("Proof for an exemption of the experience"),
        required=False,
        help_text=format_lazy(
            "{} {}", gettext_lazy("Only with fewer than 5 years of experience."), UPLOAD_HELP
        ),
    )
    extract_status = forms.ChoiceField(
        label=gettext_lazy("Criminal record extract (model 596.2): your check"),
        required=False,
        choices=[("", gettext_lazy("Not checked yet")), *ExtractStatus.choices],
        help_text=gettext_lazy(
            "Look at the extract and record what you saw: Duaal stores your check, never the "
            "extract itself."
        ),
    )
    extract_issued_on = forms.DateField(
        label=gettext_lazy("Extract issued on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy("At most one year before the recognition request."),
    )
    introduction_session_on = forms.DateField(
        label=gettext_lazy("Introduction session followed on (half a day)"),
        required=False,
        widget=DATE_WIDGET,
    )
    deepening_session_on = forms.DateField(
        label=gettext_lazy("Deepening session followed on (one day)"),
        required=False,
        widget=DATE_WIDGET,
    )
    training_certificate = forms.FileField(
        label=gettext_lazy("Mentor training certificate"), required=False, help_text=UPLOAD_HELP
    )

    @classmethod
    def for_profile(
        cls, profile: MentorProfile | None, *args: Any, **kwargs: Any
    ) -> MentorProfileForm:
        initial = {}
        if profile is not None:
            initial = {name: getattr(profile, name) for name in PROFILE_VALUES}
        return cls(*args, initial=initial, **kwargs)

    def clean_birth_date(self) -> date | None:
        value = _not_future(
            self.cleaned_data.get("birth_date"), _("The birth date lies in the future.")
        )
        if value is not None and value.year < 1920:
            raise ValidationError(_("Enter a plausible birth date."))
        return value

    def clean_extract_issued_on(self) -> date | None:
        return _not_future(
            self.cleaned_data.get("extract_issued_on"), _("The issue date lies in the future.")
        )

    def clean_introduction_session_on(self) -> date | None:
        return _not_future(
            self.cleaned_data.get("introduction_session_on"),
            _("Record a session once it has been followed."),
        )

    def clean_deepening_session_on(self) -> date | None:
        return _not_future(
            self.cleaned_data.get("deepening_session_on"),
            _("Record a session once it has been followed."),
        )

    def clean_prior_education_proof(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("prior_education_proof"), stem="vooropleiding")

    def clean_experience_exemption_proof(self) -> UploadedFile | None:
        return clean_upload(
            self.cleaned_data.get("experience_exemption_proof"), stem="vrijstelling"
        )

    def clean_training_certificate(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("training_certificate"), stem="getuigschrift")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("extract_status") and not data.get("extract_issued_on"):
            self.add_error("extract_issued_on", _("Enter the issue date written on the extract."))
        if data.get("extract_issued_on") and not data.get("extract_status"):
            self.add_error("extract_status", _("Record the result of your check."))
        return data

    def profile_data(self) -> dict[str, Any]:
        """The values for ``mentor_profile_update``: the fields, and each proof only when a
        new file was uploaded."""
        data = {name: self.cleaned_data.get(name) for name in PROFILE_VALUES}
        data["extract_status"] = data["extract_status"] or ""
        for name in PROFILE_FILES:
            if self.cleaned_data.get(name):
                data[name] = self.cleaned_data[name]
        return data


# --- the request -----------------------------------------------------------------------------


class MentorsField(ModelMultipleChoiceField):
    """The company's people, each with what keeps them from being eligible today."""

    statuses: dict[int, list[Unmet]] | None = None

    def label_from_instance(self, obj: User) -> str:
        person = f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email
        unmet = (self.statuses or {}).get(obj.pk, [])
        if not unmet:
            return person
        return _("%(person)s · not eligible: %(conditions)s") % {
            "person": person,
            "conditions": ", ".join(str(CONDITION_LABELS[u.code]) for u in unmet),
        }


class VestigingField(ModelChoiceField):
    def label_from_instance(self, obj: Vestiging) -> str:
        return f"{obj.name} ({obj.vestigingsnummer})"


class RecognitionMentorsForm(forms.Form):
    mentors = MentorsField(
        label=gettext_lazy("Mentors"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "The mentors who will guide students here. To submit, name at least one."
        ),
    )

    def __init__(
        self,
        *args: Any,
        company: Organisation,
        statuses: dict[int, list[Unmet]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentors"]
        assert isinstance(field, MentorsField)
        field.queryset = User.objects.filter(memberships__organisation=company).order_by(
            "full_name", "email"
        )
        field.statuses = statuses


class RecognitionCreateForm(RecognitionMentorsForm):
    """A request of one vestiging for one opleiding (a school adds the mandate)."""

    vestiging = VestigingField(
        label=gettext_lazy("Establishment"), queryset=Vestiging.objects.none(), empty_label=None
    )
    opleiding = ModelChoiceField(
        label=gettext_lazy("Opleiding"),
        queryset=Opleiding.objects.filter(active=True),
        help_text=gettext_lazy("One request per opleiding: the exact opleiding students follow."),
    )
    ondernemingsnummer = forms.CharField(
        label=gettext_lazy("Enterprise number (KBO)"),
        max_length=20,
        help_text=gettext_lazy("For example 0461.728.314."),
    )
    vestigingsnummer = forms.CharField(
        label=gettext_lazy("Establishment number (KBO)"),
        max_length=20,
        help_text=gettext_lazy("The number of the establishment unit, for example 2.123.456.789."),
    )
    field_order = ["vestiging", "opleiding", "ondernemingsnummer", "vestigingsnummer", "mentors"]

    def __init__(self, *args: Any, company: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "ondernemingsnummer": format_ondernemingsnummer(company.ondernemingsnummer)
                if company.ondernemingsnummer
                else ""
            },
        )
        super().__init__(*args, company=company, **kwargs)
        field = self.fields["vestiging"]
        assert isinstance(field, VestigingField)
        field.queryset = company.vestigingen.order_by("name")


class MandatedRecognitionCreateForm(RecognitionCreateForm):
    """Filed by a school: with the company's mandate and sworn statement."""

    mandate = forms.FileField(
        label=gettext_lazy("Mandate of the company (machtiging)"), help_text=UPLOAD_HELP
    )
    sworn_statement = forms.FileField(
        label=gettext_lazy("Sworn statement of the company (verklaring op eer)"),
        help_text=UPLOAD_HELP,
    )

    def clean_mandate(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("mandate"), stem="machtiging")

    def clean_sworn_statement(self) -> UploadedFile | None:
        return clean_upload(self.cleaned_data.get("sworn_statement"), stem="verklaring-op-eer")


class CompanyPickForm(forms.Form):
    company = ModelChoiceField(
        label=gettext_lazy("Company"),
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        help_text=gettext_lazy("A company of one of your partnerships."),
    )

    def __init__(self, *args: Any, companies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["company"]
        assert isinstance(field, ModelChoiceField)
        field.queryset = companies


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, label: str | None = None, help_text: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
