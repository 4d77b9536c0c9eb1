"""The soft-skill sheets PDF (appendix-3 layout) rendered on the demo, and who may ask for it."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from evaluation.documents.softskills import SoftSkillSheets, softskills_context
from evaluation.models import SoftSkillRound, Werkpunt
from evaluation.services import softskills, werkpunten
from evaluation.skills import RATING_COLUMNS, SKILLS
from learning.models import Period
from tests.evaluation.support import as_seen_by, traject_of


def _text(context) -> str:
    from documents import rendering

    rendered = rendering.render_pdf(
        template_name=SoftSkillSheets.template_name,
        context={**context, "generated_at": timezone.now()},
    )
    assert rendered.refused == []
    reader = PdfReader(io.BytesIO(rendered.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def lotte(demo_cast):
    traject = traject_of("Lotte")
    SoftSkillRound.objects.filter(traject=traject).delete()
    Werkpunt.objects.filter(traject=traject).delete()
    return traject


def test_the_pdf_holds_the_sheet_with_marks_strong_points_and_afspraken(demo_cast, lotte):
    mentor = demo_cast["mentor@vandenberghe.demo"]
    traject = as_seen_by(mentor, lotte)
    today = timezone.localdate()
    period = Period.objects.filter(partnership=lotte.partnership, start_date__lte=today).last()
    round_ = softskills.open_round(actor=mentor, traject=traject, period=period)
    softskills.rate_soft_skills(
        actor=mentor,
        traject=traject,
        round=round_,
        evaluator="mentor",
        ratings={"stiptheid": "not_yet", "inzet-tonen": "above"},
        strong={"inzet-tonen": True},
        version=0,
    )
    werkpunten.open_werkpunt(
        actor=mentor,
        traject=traject,
        text="Op tijd komen",
        example="Drie keer te laat",
        afspraak="Verwittigen",
        skill_key="stiptheid",
        soft_skill_round=round_,
    )
    softskills.set_agreement(
        actor=mentor,
        traject=traject,
        round=round_,
        group_key="respectvol-handelen",
        text="Wekker om zes uur",
    )
    context = softskills_context(traject=lotte)
    sheet = next(s for s in context["sheets"] if s.period == period)
    stiptheid = next(i for b in sheet.groups for i in b.items if i.key == "stiptheid")
    # The mentor's "voldoet nog niet": the second of the nine cells (LL M LK per column).
    assert stiptheid.grid == [False, True] + [False] * 7
    text = _text(context)
    for label in (
        "RESPECTVOL HANDELEN",
        "PROFESSIONEEL HANDELEN",
        "LEERBEREIDHEID",
        *RATING_COLUMNS,
    ):
        assert label in text
    for skill in SKILLS.values():
        assert " ".join(skill.label.split()) in text, skill.label
    assert "* Deze items overstijgen de basisverwachtingen" in text
    assert text.count("Maak afspraken om werkpunten te verbeteren:") >= 3
    assert "Wekker om zes uur" in text and "Op tijd komen" in text
    assert "Basis" in text and "Uitbreiding" in text


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("mentor@vandenberghe.demo", 302),
        ("lk@sintjozef.demo", 302),
        ("leerling1@sintjozef.demo", 302),
        ("ouder1@sintjozef.demo", 302),
        ("mentor2@vandenberghe.demo", 404),
        ("mentor@daems.demo", 404),
        ("tb@dering.demo", 404),
    ],
)
def test_who_may_request_the_pdf(client, login, lotte, email, status):
    login(email)
    response = client.post(f"/documents/request/soft-skills/{lotte.public_id}/")
    assert response.status_code == status
