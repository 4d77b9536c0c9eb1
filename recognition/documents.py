"""The decision letter of a recognition (plug-in of the PDF engine, ``documents``).

A letter to the company about the decision on its request: recognised for the opleiding at
the vestiging, with the period it is valid (5 years), or refused with the reason and the right
to appeal within 10 days. The subject is the ``Recognition`` itself, in the engine's generic
subject column (decision 0007). Whoever sees a decided request may ask for its letter and
download it while they still see it (``partnerships.permissions.recognitions_visible_to``):
the routed sector body, the company, the school that filed it. No student is ever in it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from documents.registry import DocumentKind, register_kind
from partnerships import permissions
from recognition.models import APPEAL_DAYS, VALID_YEARS, Recognition, RecognitionStatus

TEMPLATE_NAME = "pdf/recognition_letter.html"
RELATED = ("company", "vestiging", "opleiding", "sector_body", "filed_by_school")


@register_kind
class DecisionLetter(DocumentKind):
    code = "recognition_letter"
    slug = "recognition-letter"
    label = _("Recognition decision letter")
    template_name = TEMPLATE_NAME
    subject_field = "subject"
    subject_model_label = "recognition.Recognition"

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> Recognition:
        recognition = permissions.get_recognition_for_user(user=user, public_id=subject_id)
        assert isinstance(recognition, Recognition)
        if recognition.decided_on is None:
            raise Http404  # no decision yet: no letter
        return recognition

    def subjects_visible_to(self, *, user: User) -> QuerySet[Recognition]:
        return permissions.recognitions_visible_to(user=user).filter(decided_on__isnull=False)

    def load_subject(self, *, pk: int) -> Recognition:
        return Recognition.objects.select_related(*RELATED).get(pk=pk)

    def context(self, *, subject: Recognition, viewer: User) -> dict[str, Any]:
        refused = subject.status in (RecognitionStatus.REFUSED, RecognitionStatus.APPEAL)
        assert subject.decided_on is not None
        return {
            "recognition": subject,
            "company": subject.company,
            "vestiging": subject.vestiging,
            "sector_body": subject.sector_body,
            "refused": refused,
            "appeal_until": subject.decided_on + timedelta(days=APPEAL_DAYS),
            "appeal_days": APPEAL_DAYS,
            "valid_years": VALID_YEARS,
        }

    def title(self, subject: Recognition) -> str:
        return f"{_('Decision letter')} – {subject.company.name} – {subject.opleiding.name}"

    def subject_path(self, subject: Recognition) -> str:
        return reverse("recognition:consultant_detail", args=[subject.public_id])

    def filename_stem(self, subject: Recognition) -> str:
        return f"erkenning-{subject.company.name}-{subject.opleiding.code}"
