"""The opdracht session sheets PDF (appendix-2 layout) rendered on the demo, and who may ask."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from evaluation.documents.opdracht import OpdrachtSheets, opdracht_context
from evaluation.services import sheets, werkpunten
from learning.models import ItemKind
from tests.evaluation.support import as_seen_by, leerfiche, traject_of

KEY = "geintegreerde-lasopdracht"


def _text(context) -> str:
    from documents import rendering

    rendered = rendering.render_pdf(
        template_name=OpdrachtSheets.template_name,
        context={**context, "generated_at": timezone.now()},
    )
    assert rendered.refused == []
    reader = PdfReader(io.BytesIO(rendered.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


def test_the_pdf_holds_the_opdracht_sheet_with_sessions_answers_and_marks(demo_cast, lotte):
    student, mentor = demo_cast["leerling1@sintjozef.demo"], demo_cast["mentor@vandenberghe.demo"]
    fiche = leerfiche(lotte, KEY)
    behaviour = fiche.items.filter(kind=ItemKind.BEHAVIOUR).order_by("order", "pk").first()
    measurement = fiche.items.filter(kind=ItemKind.MEASUREMENT).order_by("order", "pk").first()
    criteria = list(fiche.criteria.order_by("order", "pk"))
    day = timezone.localdate() - dt.timedelta(days=400)  # before any session of the demo
    by_student, by_mentor = as_seen_by(student, lotte), as_seen_by(mentor, lotte)
    session = sheets.open_session(actor=mentor, traject=by_mentor, leerfiche=fiche, on=day)
    session = sheets.update_session(
        actor=mentor,
        traject=by_mentor,
        session=session,
        version=session.version,
        omschrijving="Hoeklas op T-stuk",
        werktijden="8u–12u",
        metal="rvs",
        sterke_punten="Rustige voorloopbeweging",
    )
    sheets.rate(
        actor=student,
        traject=by_student,
        session=session,
        evaluator="self",
        marks={criteria[1].key: "V"},
        answers={behaviour.pk: "ja"},
        version=None,
    )
    sheets.rate(
        actor=mentor,
        traject=by_mentor,
        session=session,
        evaluator="mentor",
        marks={criteria[1].key: "O"},
        answers={measurement.pk: "4 mm"},
        version=None,
    )
    werkpunten.open_werkpunt(
        actor=mentor,
        traject=by_mentor,
        text="Keelhoogte aanhouden",
        afspraak="Meten na elke las",
        session=session,
    )
    context = opdracht_context(traject=lotte)
    sheet = next(s for s in context["sheets"] if s.leerfiche.key == KEY)
    first = sheet.tables[0]
    assert first["columns"][0].session == session
    row = next(r for r in first["criteria"] if r.label.startswith(criteria[1].text))
    assert row.cells[0] == ("V", "O")
    text = _text(context)
    for words in (
        "Geïntegreerde lasopdracht",
        "Halfautomaat 131, 135, 136 en 138",
        "Hoeklas",
        "Een rechte, gelijkmatige, liggende las kunnen leggen",
        "Hoeklas op T-stuk",
        "8u–12u",
        "RVS",
        "Evaluatiecriteria ISO",
        "Lkr/ Mentor",
        "Sterke punten / Werkpunten/ Afspraken",
        "Rustige voorloopbeweging",
        "Keelhoogte aanhouden",
        "Meten na elke las",
        "4 mm",
        "Scheurvrij",
    ):
        assert words in text, words
    for item in fiche.items.filter(kind=ItemKind.BEHAVIOUR):
        assert " ".join(item.text.split()) in text, item.text


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("mentor@vandenberghe.demo", 302),
        ("lk@sintjozef.demo", 302),
        ("leerling1@sintjozef.demo", 302),
        ("ouder1@sintjozef.demo", 302),
        ("mentor2@vandenberghe.demo", 404),
        ("coord@daems.demo", 404),
        ("consulent@sector.demo", 404),
    ],
)
def test_who_may_request_the_pdf(client, login, lotte, email, status):
    login(email)
    response = client.post(f"/documents/request/opdracht/{lotte.public_id}/")
    assert response.status_code == status
