"""What recognition holds about a person (plug-in of ``duaal.privacy``): a mentor's profile
(what the eligibility rules read — birth date, experience, the check of the criminal record
extract, the mentor training — and the proofs' file names) and the recognitions that name them
as a mentor. No student is ever in a recognition.

Erasure: the profile is deleted with its proof files (birth date, experience, the extract's
check and the training dates name and describe the person; the recognition itself stays, for
the company, naming the erased account). Recognitions, visits and the routing table hold no
other personal data than the accounts they point to (``accounts``' erasure anonymises those);
the reasons and notes are about the company.
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from duaal.privacy import Person, Provider, Section, register_provider
from recognition.models import MentorProfile, Recognition

PROOFS = ("prior_education_proof", "experience_exemption_proof", "training_certificate")


def _file_name(value: FieldFile) -> str:
    """A proof as its file name (the upload's own name, without the storage folder)."""
    return value.name.rsplit("/", 1)[-1] if value else ""


@register_provider
class MentorProvider(Provider):
    key = "recognition.mentor"
    order = 45

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        if person.user_id is None:
            return []
        sections = []
        profile = (
            MentorProfile.objects.select_related("extract_checked_by")
            .filter(user_id=person.user_id)
            .first()
        )
        if profile is not None:
            checker = profile.extract_checked_by
            row = {
                _("birth date"): profile.birth_date or "",
                _("proof of prior education in the profession"): _file_name(
                    profile.prior_education_proof
                ),
                _("years of experience"): (
                    "" if profile.experience_years is None else profile.experience_years
                ),
                _("proof for an exemption of the experience"): _file_name(
                    profile.experience_exemption_proof
                ),
                _("criminal record extract"): profile.get_extract_status_display(),
                _("extract issued on"): profile.extract_issued_on or "",
                _("extract checked by"): (checker.full_name or checker.email) if checker else "",
                _("extract checked on"): profile.extract_checked_on or "",
                _("introduction session (half a day)"): profile.introduction_session_on or "",
                _("deepening session (one day)"): profile.deepening_session_on or "",
                _("mentor training certificate"): _file_name(profile.training_certificate),
            }
            sections.append(
                Section(
                    "mentor_profile",
                    _("Mentor profile"),
                    [row],
                    note=_("The criminal record extract itself is never stored: only its check."),
                )
            )
        recognitions = [
            {
                _("company"): str(recognition.company),
                _("establishment"): str(recognition.vestiging),
                _("opleiding"): str(recognition.opleiding),
                _("status"): recognition.get_status_display(),
                _("submitted on"): recognition.submitted_on or "",
                _("decided on"): recognition.decided_on or "",
                _("valid until"): recognition.valid_until or "",
            }
            for recognition in Recognition.objects.filter(mentors=person.user_id)
            .select_related("company", "vestiging", "opleiding")
            .order_by("created_at", "pk")
        ]
        if recognitions:
            sections.append(
                Section("recognitions", _("Recognitions naming you as a mentor"), recognitions)
            )
        return sections

    def erase(self, person: Person) -> int:
        if person.user_id is None:
            return 0
        changed = 0
        for profile in MentorProfile.objects.filter(user_id=person.user_id):
            for name in PROOFS:
                proof = getattr(profile, name)
                if proof:
                    proof.delete(save=False)
            profile.delete()
            changed += 1
        return changed
