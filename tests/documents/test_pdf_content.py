"""What the generated PDFs say, read back with a PDF text extractor (pypdf)."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from documents.models import DocumentStatus
from partnerships import raci
from partnerships.documents import RaciMatrix, TrajectSheet
from partnerships.models import RaciCell, TeamMember
from tests.documents.conftest import a1, lotte, pdf_text, squash

pytestmark = pytest.mark.django_db


def _content(document) -> bytes:
    assert document.status == DocumentStatus.READY, (document.failure, document.error)
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def raci_pdf(demo_cast, request_document) -> bytes:
    coordinator = demo_cast["coord@sintjozef.demo"]
    return _content(request_document(coordinator, RaciMatrix.code, a1()))


def _task_segments(text: str) -> dict[str, str]:
    """The squashed text of each task's row: from its name to the next task's name."""
    with translation.override("nl-be"):
        names = [(task.code, squash(str(task.name))) for task in raci.TASKS]
    positions = []
    start = 0
    for code, name in names:
        index = text.find(name, start)
        assert index >= 0, f"task {code} ({name}) missing or out of order"
        positions.append((code, index))
        start = index + len(name)
    ends = [index for _code, index in positions[1:]] + [len(text)]
    return {code: text[index:end] for (code, index), end in zip(positions, ends, strict=True)}


def test_raci_pdf_has_every_task_of_appendix_4_in_order(raci_pdf):
    text = squash(pdf_text(raci_pdf))
    segments = _task_segments(text)
    assert list(segments) == [task.code for task in raci.TASKS]
    with translation.override("nl-be"):
        for _code, label in raci.PHASES:
            assert squash(str(label)) in text


def test_raci_pdf_names_the_people_holding_r_and_a(raci_pdf):
    segments = _task_segments(squash(pdf_text(raci_pdf)))
    # The brochure's example: the trajectbegeleider is Responsible for the jaarplanning.
    assert "AnPeeters" in segments["jaarplanning"]
    assert "MarcGoossens" in segments["jaarplanning"]  # directie school: Accountable
    assert segments["jaarplanning"].index("AnPeeters") < segments["jaarplanning"].index(
        "MarcGoossens"
    ), "the R column comes before the A column"

    partnership = a1()
    people: dict[str, list[str]] = {}
    for member in TeamMember.objects.filter(partnership=partnership).select_related("user"):
        people.setdefault(member.role, []).append(squash(member.user.full_name))
    checked = 0
    for cell in RaciCell.objects.filter(partnership=partnership):
        segment = segments[cell.task]
        for letter in ("R", "A"):
            if letter in cell.letter:
                for name in people.get(cell.role, []):
                    assert name in segment, (cell.task, cell.role, letter, name)
                    checked += 1
    assert checked >= len(raci.TASKS) * 2  # every task has at least one R and one A holder


def test_raci_pdf_is_landscape_with_embedded_fonts_and_page_numbers(raci_pdf):
    reader = PdfReader(io.BytesIO(raci_pdf))
    pages = len(reader.pages)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height
        assert round(width) == 842 and round(height) == 595  # A4 landscape, in points
    text = squash(pdf_text(raci_pdf))
    for number in range(1, pages + 1):
        assert f"{number}/{pages}" in text
    fonts = _embedded_fonts(reader)
    assert fonts, "no embedded font"
    assert any("Duaal-Sans" in name for name in fonts)


def _embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            names.add(str(font["/BaseFont"]))
    return names


def test_traject_sheet_has_student_partnership_team_and_placements(demo_cast, request_document):
    traject = lotte()
    document = request_document(demo_cast["tb@sintjozef.demo"], TrajectSheet.code, traject)
    content = _content(document)
    reader = PdfReader(io.BytesIO(content))
    assert float(reader.pages[0].mediabox.height) > float(reader.pages[0].mediabox.width)
    text = squash(pdf_text(content))
    for expected in (
        "LotteJanssens",
        "14/3/2009",  # birth date, nl-BE short format
        "6LAS",
        "TechnischInstituutSint-Jozef",
        "Lassen-Constructieduaal",
        traject.partnership.school_year_label,
        "KatrienJanssens",  # parent
        # team with contacts
        "AnPeeters",
        "tb@sintjozef.demo",
        "PatrickHermans",
        "mentor@vandenberghe.demo",
        "OpleidingscentrumTechniekLimburg",
        # placement: company, vestiging with address, hours
        "MetaalbouwVandenberghe",
        "Industrieweg12",
        "3600Genk",
        "22,5",
    ):
        assert expected in text, expected
    # Weekly pattern Monday to Friday: school, training centre, company x3 (Dutch labels).
    assert "MaandagDinsdagWoensdagDonderdagVrijdag" in text
    assert "SchoolOpleidingscentrumBedrijfBedrijfBedrijf" in text
    assert document.pages == len(reader.pages)
    assert document.size == len(content)


@pytest.mark.parametrize(
    ("field", "payload"),
    [
        ("first_name", "<b>Lotte</b><style>*{color:red}</style>"),
        ("last_name", "<script>alert(1)</script>&amp;"),
    ],
)
def test_database_text_with_markup_prints_as_literal_text(
    demo_cast, request_document, field, payload
):
    traject = lotte()
    setattr(traject.student, field, payload)
    traject.student.save(update_fields=[field])
    traject.intake_notes = "Gesprek </td><img src=file:///etc/passwd> ok"
    traject.beginsituatie = "<link rel=attachment href=file:///etc/passwd>@import 'x';"
    traject.save(update_fields=["intake_notes", "beginsituatie"])

    document = request_document(demo_cast["tb@sintjozef.demo"], TrajectSheet.code, traject)
    content = _content(document)
    text = squash(pdf_text(content))
    assert squash(payload) in text
    assert squash("Gesprek </td><img src=file:///etc/passwd> ok") in text
    assert squash("<link rel=attachment href=file:///etc/passwd>@import 'x';") in text
    assert PdfReader(io.BytesIO(content)).attachments == {}


def test_database_text_never_reaches_the_fetcher(demo_cast, monkeypatch):
    """The same hostile text, rendered directly: nothing was even asked of the fetcher."""
    from django.utils import timezone

    from documents import rendering
    from partnerships.documents import traject_sheet_context

    traject = lotte()
    traject.student.first_name = '<img src="file:///etc/passwd">'
    traject.student.save(update_fields=["first_name"])
    traject.intake_notes = '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
    traject.save(update_fields=["intake_notes"])
    result = rendering.render_pdf(
        template_name="pdf/traject_sheet.html",
        context={
            **traject_sheet_context(traject=traject, show_internal=True),
            "generated_at": timezone.now(),
        },
    )
    assert result.refused == []
    assert '<imgsrc="file:///etc/passwd">' in squash(pdf_text(result.content))


def test_raci_pdf_marks_a_letter_held_by_a_role_nobody_fills(demo_cast, request_document):
    client_language = "en"
    demo_cast["coord@sintjozef.demo"].language = client_language
    demo_cast["coord@sintjozef.demo"].save(update_fields=["language"])
    content = _content(request_document(demo_cast["coord@sintjozef.demo"], RaciMatrix.code, a1()))
    text = squash(pdf_text(content))
    # The preventieadviseur is Consulted on the werkpostfiche, but A1 has none in its team.
    assert squash("(nobody in the team)") in text
    assert "Responsible" in text and "Accountable" in text
