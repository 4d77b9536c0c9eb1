"""CSV import of students: parse on upload, check every row in a background task, import all
rows in one transaction or none.

Row errors are stored as ``{"code": ..., "params": {...}}`` and turned into sentences by
``row_error_message`` when shown, so each reader sees them in their own language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from duaal import audit
from duaal.validators import has_control_characters
from organisations.models import Organisation
from partnerships import audit as trail
from partnerships.models import (
    Partnership,
    SchoolClass,
    Student,
    StudentImport,
    StudentImportStatus,
    Traject,
)
from partnerships.services.grants import partnership_sync_grants
from partnerships.services.trajects import STUDENT_FIELDS

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Rows checked per committed step; the progress bar moves after each step.
VALIDATION_CHUNK = 100

# Column -> accepted header spellings (compared lower-cased, without spaces around).
COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("voornaam", "first name", "first_name"),
    "last_name": ("achternaam", "familienaam", "naam", "last name", "last_name"),
    "birth_date": ("geboortedatum", "birth date", "birth_date"),
    "school_class": ("klas", "class"),
    "stamnummer": ("stamnummer",),
    "email": ("e-mail", "email", "e-mailadres"),
}
REQUIRED_COLUMNS = ("first_name", "last_name", "birth_date", "school_class")
MAX_LENGTHS = {"first_name": 100, "last_name": 100, "stamnummer": 30, "email": 254}

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# --- messages --------------------------------------------------------------------------------

_MESSAGES: dict[str, Callable[[], str]] = {
    "required": lambda: _("Row %(row)d: %(column)s is missing."),
    "too_long": lambda: _("Row %(row)d: %(column)s is longer than %(max)d characters."),
    "control_characters": lambda: _(
        "Row %(row)d: %(column)s contains a line break, a tab or another control character."
    ),
    "date_format": lambda: _(
        "Row %(row)d: the birth date %(value)s is not a date (use dd/mm/yyyy or yyyy-mm-dd)."
    ),
    "date_invalid": lambda: _("Row %(row)d: the birth date %(value)s does not exist."),
    "date_future": lambda: _("Row %(row)d: the birth date %(value)s lies in the future."),
    "date_too_old": lambda: _("Row %(row)d: the birth date %(value)s is not plausible."),
    "unknown_class": lambda: _("Row %(row)d: unknown class %(value)s."),
    "email_invalid": lambda: _("Row %(row)d: %(value)s is not a valid e-mail address."),
    "stamnummer_duplicate_file": lambda: _(
        "Row %(row)d: stamnummer %(value)s also appears in row %(other)d."
    ),
    "stamnummer_exists": lambda: _(
        "Row %(row)d: a student of this school already has stamnummer %(value)s."
    ),
    "traject_exists": lambda: _(
        "Row %(row)d: this student already has a traject in the chosen partnership."
    ),
}

COLUMN_LABELS = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "birth_date": gettext_lazy("birth date"),
    "school_class": gettext_lazy("class"),
    "stamnummer": gettext_lazy("stamnummer"),
    "email": gettext_lazy("e-mail address"),
}


def row_error_message(*, row: int, error: dict[str, Any]) -> str:
    """The sentence for one stored row error, in the active language."""
    params = {"row": row, **error.get("params", {})}
    if "column" in params:
        params["column"] = str(COLUMN_LABELS.get(params["column"], params["column"]))
    template = _MESSAGES.get(error.get("code", ""))
    if template is None:
        return _("Row %(row)d: invalid value.") % {"row": row}
    return template() % params


# --- the template to fill in -----------------------------------------------------------------

TEMPLATE_HEADER = ("voornaam", "achternaam", "geboortedatum", "klas", "stamnummer", "e-mail")


def student_import_template(*, class_name: str) -> str:
    """The text of a CSV to fill in: the header row ``parse_student_csv`` reads and one example
    row in ``class_name``; ``;``-separated and with CRLF line ends, as Excel writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(("Lotte", "Peeters", "14/03/2009", class_name, "", "lotte.peeters@example.org"))
    return buffer.getvalue()


# --- parsing ---------------------------------------------------------------------------------


def _read_upload(upload: UploadedFile) -> str:
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)d MB; split it into smaller files.")
            % {"max": MAX_FILE_BYTES // (1024 * 1024)},
            code="too_large",
        )
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)d MB; split it into smaller files.")
            % {"max": MAX_FILE_BYTES // (1024 * 1024)},
            code="too_large",
        )
    # Judge by content, not by name: binary files (spreadsheets, images, PDFs) carry NUL bytes
    # or are not UTF-8 text.
    not_csv = ValidationError(
        _(
            "This is not a CSV file. Save the list from your spreadsheet as "
            "“CSV UTF-8” and upload that file."
        ),
        code="not_csv",
    )
    if b"\x00" in data:
        raise not_csv
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_csv from exc
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
        raise not_csv
    return text


def _header_map(header: list[str]) -> dict[str, int]:
    aliases = {alias: key for key, names in COLUMNS.items() for alias in names}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = aliases.get(name.strip().lower())
        if key and key not in found:
            found[key] = index
    return found


def parse_student_csv(upload: UploadedFile) -> list[dict[str, Any]]:
    """The data rows of an uploaded CSV as ``[{"row": n, "values": {...}, "errors": []}]``.

    Accepts ``;`` or ``,`` as separator, UTF-8 with or without BOM, a header row naming the
    columns. Raises ValidationError (whole file) when the file is too large, not text, lacks a
    required column, has no rows or more than MAX_ROWS rows.
    """
    text = _read_upload(upload)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise ValidationError(_("The file is empty."), code="empty")
        columns = _header_map(header)
        missing = [key for key in REQUIRED_COLUMNS if key not in columns]
        if missing:
            raise ValidationError(
                _(
                    "The first row must name the columns. Missing: %(columns)s. Expected: "
                    "voornaam; achternaam; geboortedatum; klas; stamnummer; e-mail."
                )
                % {"columns": ", ".join(COLUMNS[key][0] for key in missing)},
                code="columns",
            )
        rows: list[dict[str, Any]] = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError(
                    _("The file has more than %(max)d students; split it into smaller files.")
                    % {"max": MAX_ROWS},
                    code="too_many_rows",
                )
            values = {
                key: (record[index].strip() if index < len(record) else "")
                for key, index in columns.items()
            }
            rows.append({"row": reader.line_num, "values": values, "errors": []})
    except csv.Error as exc:
        raise ValidationError(
            _("The file could not be read as CSV (line %(line)d).") % {"line": reader.line_num},
            code="csv",
        ) from exc
    if not rows:
        raise ValidationError(_("The file contains no students."), code="empty")
    return rows


def parse_birth_date(value: str) -> tuple[date | None, str | None]:
    """(date, None) or (None, error code) for dd/mm/yyyy or yyyy-mm-dd."""
    if match := _DMY.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _YMD.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None, "date_format"
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None, "date_invalid"
    if parsed > timezone.localdate():
        return None, "date_future"
    if parsed.year < 1900:
        return None, "date_too_old"
    return parsed, None


# --- validation ------------------------------------------------------------------------------


class _Context:
    """What the row checks need to know about the school, loaded once per run (two queries)."""

    def __init__(self, *, school: Organisation, rows: list[dict[str, Any]]) -> None:
        self.classes = {
            name.casefold(): pk
            for pk, name in SchoolClass.objects.filter(school=school).values_list("pk", "name")
        }
        self.rows_of_stamnummer: dict[str, list[int]] = {}
        for r in rows:
            if nr := r["values"].get("stamnummer", ""):
                self.rows_of_stamnummer.setdefault(nr, []).append(r["row"])
        self.existing_stamnummers = set(
            Student.objects.filter(
                school=school, stamnummer__in=list(self.rows_of_stamnummer)
            ).values_list("stamnummer", flat=True)
        )


def _row_errors(*, row: int, values: dict[str, str], context: _Context) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for key in REQUIRED_COLUMNS:
        if not values.get(key):
            errors.append({"code": "required", "params": {"column": key}})
    for key, limit in MAX_LENGTHS.items():
        if len(values.get(key, "")) > limit:
            errors.append({"code": "too_long", "params": {"column": key, "max": limit}})
        if has_control_characters(values.get(key, "")):
            errors.append({"code": "control_characters", "params": {"column": key}})
    if raw := values.get("birth_date"):
        _parsed, code = parse_birth_date(raw)
        if code:
            errors.append({"code": code, "params": {"value": raw}})
    if (name := values.get("school_class")) and name.casefold() not in context.classes:
        errors.append({"code": "unknown_class", "params": {"value": name}})
    if email := values.get("email"):
        try:
            validate_email(email)
        except ValidationError:
            errors.append({"code": "email_invalid", "params": {"value": email}})
    if nr := values.get("stamnummer"):
        others = [other for other in context.rows_of_stamnummer[nr] if other != row]
        if others:
            errors.append(
                {"code": "stamnummer_duplicate_file", "params": {"value": nr, "other": others[0]}}
            )
        if nr in context.existing_stamnummers:
            errors.append({"code": "stamnummer_exists", "params": {"value": nr}})
    return errors


def _has_errors(rows: list[dict[str, Any]]) -> bool:
    return any(r["errors"] for r in rows)


# --- actions ---------------------------------------------------------------------------------


@transaction.atomic
def student_import_start(
    *,
    actor: User,
    school: Organisation,
    upload: UploadedFile,
    partnership: Partnership | None = None,
) -> StudentImport:
    """Read the uploaded CSV and queue the check of its rows; nothing is imported yet.

    Raises ValidationError for a file that cannot be used at all (see ``parse_student_csv``)
    or a partnership of another school. The caller checked that ``actor`` may manage the
    school's students (and create trajects in ``partnership``).
    """
    from partnerships.tasks import validate_student_import

    if partnership is not None and partnership.school_id != school.pk:
        raise ValidationError({"partnership": _("Choose a partnership of this school.")})
    rows = parse_student_csv(upload)
    student_import = StudentImport.objects.create(
        school=school,
        partnership=partnership,
        created_by=actor,
        file_name=(upload.name or "")[:255],
        total_rows=len(rows),
        rows=rows,
    )
    trail.record(
        actor=actor,
        action="student_import.start",
        organisation=school,
        obj=student_import,
        object_label=student_import.file_name,
        changes=audit.created(
            {
                "file_name": student_import.file_name,
                "total_rows": student_import.total_rows,
                "partnership": audit.json_value(partnership),
            }
        ),
    )
    transaction.on_commit(lambda: validate_student_import.delay(student_import.pk))
    return student_import


def student_import_validate(*, student_import_id: int) -> None:
    """Check every row of an import still being checked; progress is committed step by step.

    Ends in status ``valid`` (no row has an error) or ``invalid``. Runs again from the start
    when a worker died halfway (the task is acknowledged late); a finished import is left alone.
    """
    student_import = (
        StudentImport.objects.select_related("school")
        .filter(pk=student_import_id, status=StudentImportStatus.VALIDATING)
        .first()
    )
    if student_import is None:
        return
    rows = student_import.rows
    context = _Context(school=student_import.school, rows=rows)
    for start in range(0, len(rows), VALIDATION_CHUNK):
        for r in rows[start : start + VALIDATION_CHUNK]:
            r["errors"] = _row_errors(row=r["row"], values=r["values"], context=context)
        # Each step is its own small transaction, so the page polling the progress sees it.
        StudentImport.objects.filter(
            pk=student_import.pk, status=StudentImportStatus.VALIDATING
        ).update(processed_rows=min(start + VALIDATION_CHUNK, len(rows)))
    status = StudentImportStatus.INVALID if _has_errors(rows) else StudentImportStatus.VALID
    with transaction.atomic():
        done = StudentImport.objects.filter(
            pk=student_import.pk, status=StudentImportStatus.VALIDATING
        ).update(rows=rows, processed_rows=len(rows), status=status)
        if done:
            trail.record(
                actor=None,
                action="student_import.check",
                organisation=student_import.school,
                obj=student_import,
                object_label=student_import.file_name,
                changes={"status": (StudentImportStatus.VALIDATING, status)},
            )


def student_import_run(*, actor: User, student_import: StudentImport) -> int:
    """Create the students of a checked import — all of them in one transaction, or none.

    The rows are checked again first (classes or stamnummers may have changed since the
    preview); with any error the import becomes ``invalid``, its errors are stored and a
    ValidationError is raised. With a partnership, each student's traject is started in it.
    Returns the number of students created. The caller checked the actor's rights.
    """
    try:
        return _student_import_run(actor=actor, student_import=student_import)
    except IntegrityError as exc:
        # Someone added a student with one of these stamnummers in the meantime.
        raise ValidationError(
            _("Another student with one of these stamnummers was just added; nothing was imported.")
        ) from exc


def _student_import_run(*, actor: User, student_import: StudentImport) -> int:
    with transaction.atomic():
        locked = (
            StudentImport.objects.select_for_update(of=("self",))
            .select_related("school", "partnership")
            .get(pk=student_import.pk)
        )
        if locked.status != StudentImportStatus.VALID:
            raise ValidationError(
                _("This import cannot be run: it still has errors or was already imported.")
            )
        rows = locked.rows
        context = _Context(school=locked.school, rows=rows)
        for r in rows:
            r["errors"] = _row_errors(row=r["row"], values=r["values"], context=context)
        if not _has_errors(rows):
            created = _create_students(
                actor=actor, student_import=locked, rows=rows, context=context
            )
            locked.status = StudentImportStatus.IMPORTED
            locked.imported_count = created
            locked.imported_at = timezone.now()
            locked.save(update_fields=["status", "imported_count", "imported_at"])
            trail.record(
                actor=actor,
                action="student_import.run",
                organisation=locked.school,
                obj=locked,
                object_label=locked.file_name,
                changes={
                    "status": (StudentImportStatus.VALID, StudentImportStatus.IMPORTED),
                    "imported_count": (None, created),
                },
            )
            student_import.status = locked.status
            student_import.imported_count = created
            return created
        locked.rows = rows
        locked.status = StudentImportStatus.INVALID
        locked.save(update_fields=["rows", "status"])
        trail.record(
            actor=actor,
            action="student_import.check",
            organisation=locked.school,
            obj=locked,
            object_label=locked.file_name,
            changes={"status": (StudentImportStatus.VALID, StudentImportStatus.INVALID)},
        )
    student_import.status = StudentImportStatus.INVALID
    student_import.rows = rows
    raise ValidationError(
        _(
            "Some rows are no longer valid; nothing was imported. Correct the file and upload it again."
        )
    )


def _create_students(
    *, actor: User, student_import: StudentImport, rows: list[dict[str, Any]], context: _Context
) -> int:
    school = student_import.school
    students = []
    for r in rows:
        values = r["values"]
        birth_date, _code = parse_birth_date(values["birth_date"])
        assert birth_date is not None  # every row was validated before the import runs
        students.append(
            Student(
                school=school,
                first_name=values["first_name"],
                last_name=values["last_name"],
                birth_date=birth_date,
                school_class_id=context.classes[values["school_class"].casefold()],
                stamnummer=values.get("stamnummer", ""),
                email=values.get("email", "").lower(),
            )
        )
    created = Student.objects.bulk_create(students)
    classes = {c.pk: c for c in SchoolClass.objects.filter(school=school)}
    for student in created:
        student.school_class = classes[student.school_class_id]
    entries = [
        {
            "actor": actor,
            "action": "student.create",
            "organisation": school,
            "student": student,
            "obj": student,
            "changes": audit.created(audit.snapshot(student, STUDENT_FIELDS)),
        }
        for student in created
    ]
    partnership = student_import.partnership
    if partnership is not None:
        trajects = Traject.objects.bulk_create(
            [Traject(student=student, partnership=partnership) for student in created]
        )
        organisation = trail.acting_organisation(actor=actor, partnership=partnership)
        entries += [
            {
                "actor": actor,
                "action": "traject.create",
                "organisation": organisation,
                "partnership": partnership,
                "traject": traject,
                "student": traject.student_id,
                "obj": traject,
                "changes": audit.created(audit.snapshot(traject, ("status",))),
            }
            for traject in trajects
        ]
        partnership_sync_grants(partnership=partnership)
    audit.record_many(entries)
    return len(created)
