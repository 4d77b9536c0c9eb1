"""Subject access (GDPR art. 15 and 20): everything Duaal holds about one person, as JSON and
as a readable PDF, assembled by ``duaal.privacy`` from every app's ``privacy.py``.

* ``/students/<id>/my-data/`` — a student's file: for the school's student managers (with the
  team's internal notes), the adult student and the parents of a minor (without them);
* ``/my-data/`` — one's own account (and, for an adult student, their own file).

Every download is written to the audit trail. The PDF is rendered while the person waits
(rare, and never stored: a copy of someone's whole file should not linger in storage).
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User
from documents.rendering import render_pdf
from duaal import privacy
from partnerships import audit, permissions
from partnerships.models import Student
from partnerships.selectors.trajects import is_minor

FORMATS = ("json", "pdf")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "export"


def _export(
    request: HttpRequest,
    *,
    person: privacy.Person,
    internal: bool,
    fmt: str,
    student: Student | None,
) -> HttpResponse:
    now = timezone.now()
    sections = privacy.collect(person, internal=internal)
    audit.record(
        actor=request.user,
        action="privacy.export",
        student=student,
        obj=student or request.user,
        object_label=person.label,
        changes={"format": (None, fmt), "internal": (None, internal)},
    )
    stem = f"duaal-{_slug(person.label)}-{now:%Y%m%d}"
    if fmt == "json":
        response = HttpResponse(
            privacy.as_json(person, sections, generated_at=now),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
        return response
    rendered = render_pdf(
        template_name="privacy/export_pdf.html",
        context={"person": person, "sections": sections, "generated_at": now},
    )
    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    return response


def _page(
    request: HttpRequest, *, person: privacy.Person, internal: bool, urls: dict[str, str]
) -> HttpResponse:
    return render(
        request,
        "privacy/export_page.html",
        {"person": person, "internal": internal, "urls": urls},
    )


@login_required
@require_GET
def student_data(request: HttpRequest, student_id: str, fmt: str = "") -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    student, internal = permissions.get_student_for_export(user=user, public_id=student_id)
    person = privacy.Person(
        label=f"{student.first_name} {student.last_name}",
        student_id=student.pk,
        user_id=student.user_id,
    )
    if fmt:
        return _export(request, person=person, internal=internal, fmt=fmt, student=student)
    urls = {
        f: reverse("partnerships:student_data_export", args=[student.public_id, f]) for f in FORMATS
    }
    return _page(request, person=person, internal=internal, urls=urls)


@login_required
@require_GET
def my_data(request: HttpRequest, fmt: str = "") -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    own: Student | None = Student.objects.filter(user=user).first()
    # A minor's own file is exported by the school or the parents; the account is theirs.
    adult = own is not None and not is_minor(birth_date=own.birth_date)
    person = privacy.Person(
        label=user.full_name or user.email,
        user_id=user.pk,
        student_id=own.pk if own is not None and adult else None,
    )
    if fmt:
        return _export(
            request, person=person, internal=False, fmt=fmt, student=own if adult else None
        )
    urls = {f: reverse(f"partnerships:my_data_{f}") for f in FORMATS}
    return _page(request, person=person, internal=False, urls=urls)


urlpatterns = [
    path("my-data/", my_data, name="my_data"),
    path("my-data/export.json", my_data, {"fmt": "json"}, name="my_data_json"),
    path("my-data/export.pdf", my_data, {"fmt": "pdf"}, name="my_data_pdf"),
    path("students/<uuid:student_id>/my-data/", student_data, name="student_data"),
    re_path(
        r"^students/(?P<student_id>[0-9a-f-]{36})/my-data/export\.(?P<fmt>json|pdf)$",
        student_data,
        name="student_data_export",
    ),
]
