"""The evaluation report (PDF kind ``evaluation_report``): one section per period with the
criteria (LL / M / LK), the soft skills of the period and the werkpunten; requested by the
team, never by the family."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from documents.models import DocumentStatus
from evaluation.documents.report import EvaluationReport, report_context
from evaluation.models import Evaluator, Outcome, Rating
from evaluation.services import werkpunten
from tests.documents.conftest import pdf_text, squash
from tests.evaluation.marking import criterion_keys, mark, periods_of, rate_skills
from tests.evaluation.support import as_seen_by, traject_of

LL, M = Evaluator.SELF, Evaluator.MENTOR


@pytest.fixture
def lotte(demo_cast):
    return traject_of("Lotte")


@pytest.fixture
def two_periods(demo_cast, lotte):
    """Marks in the first two periods: a divergence in the first, agreement in the second; a
    soft skill rated in the first; a werkpunt opened in the first, closed in the second."""
    first, second = periods_of(lotte)[:2]
    d1, d2 = first.start_date + dt.timedelta(days=14), second.start_date + dt.timedelta(days=7)
    c = criterion_keys(lotte)
    mark(demo_cast, lotte, LL, {c[0]: "V"}, on=d1)
    mark(demo_cast, lotte, M, {c[0]: "O"}, on=d1)
    mark(demo_cast, lotte, M, {c[0]: "V"}, on=d2)
    rate_skills(demo_cast, lotte, first, LL, {"stiptheid": Rating.MEETS})
    rate_skills(demo_cast, lotte, first, M, {"stiptheid": Rating.NOT_YET})
    mentor = demo_cast["mentor@vandenberghe.demo"]
    seen = as_seen_by(mentor, lotte)
    werkpunt = werkpunten.open_werkpunt(
        actor=mentor, traject=seen, text="Stipter beginnen", afspraak="Om 8 u aanwezig", on=d1
    )
    werkpunten.close_werkpunt(
        actor=mentor,
        traject=seen,
        werkpunt=werkpunt,
        outcome=Outcome.RESOLVED,
        version=werkpunt.version,
        on=d2,
    )
    return first, second, second.start_date + dt.timedelta(days=10)


def test_one_report_per_period_as_it_stood_then(lotte, two_periods):
    first, second, today = two_periods
    context = report_context(traject=lotte, today=today)
    reports = context["reports"]
    assert [r.period for r in reports] == [first, second]  # the third has not begun
    one, two = reports
    assert not one.ongoing and two.ongoing and two.until == today
    row = one.criteria.leerfiches[0].rows[0]
    assert [cell.value for cell in row.cells] == ["V", "O", ""]
    assert row.divergence == "self_higher"
    assert two.criteria.leerfiches[0].rows[0].divergence is None
    assert one.skills is not None and one.skills.divergences == 1
    assert two.skills is None
    # The werkpunt ran through both periods.
    assert [w.text for w in one.werkpunten] == ["Stipter beginnen"]
    assert [w.text for w in two.werkpunten] == ["Stipter beginnen"]


def test_the_pdf_holds_criteria_soft_skills_and_werkpunten(
    demo_cast, lotte, two_periods, django_capture_on_commit_callbacks
):
    from documents import services

    first, second, today = two_periods
    noon = dt.datetime.combine(today, dt.time(12))
    with (
        time_machine.travel(noon, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        document = services.document_request(
            actor=demo_cast["lk@sintjozef.demo"], kind=EvaluationReport.code, subject=lotte
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, (document.failure, document.error)
    with document.file.open("rb") as handle:
        text = squash(pdf_text(handle.read()))
    with translation.override("nl-be"):
        skill_label = squash(str(Rating.NOT_YET.label))
    for expected in (
        "LotteJanssens",
        squash(first.name),
        squash(second.name),
        "Stiptheid",
        skill_label,
        "StipterbeginnenOm8uaanwezig",
        "▲",
    ):
        assert expected in text, expected
    assert document.pages >= 2  # a period per page


def test_the_team_requests_it_the_family_may_not(client, login, demo_cast, lotte):
    url = f"/documents/request/evaluation-report/{lotte.public_id}/"
    for email in ("ouder1@sintjozef.demo", "leerling1@sintjozef.demo"):
        login(email)
        assert client.post(url).status_code == 403, email
        client.logout()
    login("mentor2@vandenberghe.demo")
    assert client.post(url).status_code == 404
    client.logout()
    for email in ("lk@sintjozef.demo", "mentor@vandenberghe.demo"):
        login(email)
        response = client.post(url)
        assert response.status_code == 302, email
        client.logout()
