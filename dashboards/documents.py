"""The klassenraad report of a class in a school year (plug-in of the PDF engine, ``documents``;
issue 14, item 6).

The engine names a document by one subject and no parameter (decision 0007): the subject is a
``ClassYear`` (a class in a school year, made when the report is first asked for, in the
engine's generic subject column). Who may ask for it and download it while still allowed:
``partnerships.permissions.trajects_in_klassenraad_of`` (the school's directie and coördinator
duaal, the class's trajectbegeleiders and leerkrachten); the report lists only the students
whose traject the requester sees. The numbers come from the dashboards' summaries
(``dashboards.selectors.klassenraad``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from dashboards.models import ClassYear
from dashboards.selectors.klassenraad import klassenraad_report
from documents.registry import DocumentKind, register_kind
from partnerships import permissions


@register_kind
class KlassenraadReport(DocumentKind):
    code = "klassenraad"
    slug = "klassenraad"
    label = _("Klassenraad report")
    template_name = "pdf/klassenraad.html"
    subject_field = "subject"
    subject_model_label = "dashboards.ClassYear"
    subject_related = ("school_class__school",)

    def get_subject_for_user(self, *, user: User, subject_id: uuid.UUID) -> ClassYear:
        class_year = (
            ClassYear.objects.select_related("school_class__school")
            .filter(public_id=subject_id)
            .first()
        )
        if class_year is None:
            raise Http404
        permissions.check_klassenraad_access(
            user=user, school_class=class_year.school_class, school_year=class_year.school_year
        )
        return class_year

    def subjects_visible_to(self, *, user: User) -> QuerySet[ClassYear]:
        scope = permissions.trajects_in_klassenraad_of(user=user).filter(
            student__school_class=OuterRef("school_class"),
            partnership__school_year=OuterRef("school_year"),
        )
        return ClassYear.objects.filter(Exists(scope))

    def load_subject(self, *, pk: int) -> ClassYear:
        return ClassYear.objects.select_related("school_class__school").get(pk=pk)

    def context(self, *, subject: ClassYear, viewer: User) -> dict[str, Any]:
        return {
            "class_year": subject,
            "school_class": subject.school_class,
            "school": subject.school_class.school,
            "school_year_label": f"{subject.school_year}-{subject.school_year + 1}",
            "report": klassenraad_report(class_year=subject, viewer=viewer),
        }

    def title(self, subject: ClassYear) -> str:
        return f"{_('Klassenraad report')} – {subject}"

    def subject_path(self, subject: ClassYear) -> str:
        return reverse("dashboards:klassenraad") + f"?year={subject.school_year}"

    def filename_stem(self, subject: ClassYear) -> str:
        return f"klassenraad-{subject.school_class.name}-{subject.school_year}"
