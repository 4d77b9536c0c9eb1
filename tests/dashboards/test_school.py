"""The school director's dashboard (issue 14, item 1) and the summaries behind it (item 7)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from contracts.models import ContractState
from dashboards.models import LeerficheSummary, PeriodSummary, TrajectSummary, WeekSummary
from dashboards.selectors.school import school_dashboard
from evaluation.models import Evaluation, Evaluator, Session
from evaluation.services import sheets
from learning.models import ContractType
from partnerships import permissions
from partnerships.models import Partnership, Traject
from tests.dashboards.school_recompute import monday, recompute

DIRECTOR = "directie@sintjozef.demo"
URL = "/dashboards/school/"
A1 = "Lassen-Constructie duaal"
A1_OF = {"name": A1, "school__name": "Technisch Instituut Sint-Jozef"}

pytestmark = pytest.mark.django_db


def _board(user, partnership: Partnership):
    return school_dashboard(
        user=user, year=str(partnership.school_year), partnership_id=str(partnership.public_id)
    )


def _snapshot() -> list[tuple]:
    """Every summary row, comparable."""
    return [
        *TrajectSummary.objects.order_by("pk").values_list(
            "traject_id",
            "last_evaluated_on",
            "criteria_total",
            "criteria_reached",
            "criteria_not_yet",
            "criteria_divergent",
            "open_werkpunten",
            "contract_type",
            "contract_state",
            "contract_start",
            "checklist_done",
            "checklist_total",
            "checklist_blocking_open",
        ),
        *LeerficheSummary.objects.order_by("traject_id", "leerfiche_key").values_list(
            "traject_id", "leerfiche_key", "total", "reached", "not_yet", "divergent"
        ),
        *WeekSummary.objects.order_by("traject_id", "week_start").values_list(
            "traject_id", "week_start", "self_days", "teacher_days", "checkin_done"
        ),
        *PeriodSummary.objects.order_by("traject_id", "period_id").values_list(
            "traject_id", "period_id", "self_done", "mentor_done", "teacher_done"
        ),
    ]


def test_numbers_equal_a_recomputation_from_the_raw_rows(demo_cast):
    """Every figure of the dashboard, for each partnership the director has one of, equals an
    independent recomputation from the evaluations, check-ins, rounds and contracts."""
    director = demo_cast[DIRECTOR]
    today = timezone.localdate()
    seen = 0
    for partnership in Partnership.objects.filter(team__user=director).distinct():
        board = _board(director, partnership)
        assert board.partnership == partnership
        start = board.weeks[0].week_start if board.weeks else today
        end = board.weeks[-1].week_start if board.weeks else today
        truth = recompute(partnership, today, start, end)

        assert {status: n for status, _l, n in board.by_status} == dict(truth["statuses"])
        assert board.students == sum(truth["statuses"].values())
        assert [(w.week_start, w.self_pct, w.mentor_pct, w.teacher_pct) for w in board.weeks] == (
            truth["weeks"]
        )
        assert {r.period_id: (r.self_pct, r.mentor_pct, r.teacher_pct) for r in board.rounds} == (
            truth["rounds"]
        )
        assert {
            f.key: (f.students, f.students_complete, f.reached, f.total) for f in board.fiches
        } == truth["fiches"]
        types, states = dict(ContractType.choices), dict(ContractState.choices)
        assert {(r.contract_type, r.state): r.count for r in board.contracts} == {
            (str(types[t]), str(states[s])): n for (t, s), n in truth["contracts"].items()
        }
        assert {(r.contract_type, r.state): r.checklists_complete for r in board.contracts} == {
            (str(types[t]), str(states[s])): truth["complete"][(t, s)]
            for (t, s) in truth["contracts"]
        }
        assert board.open_werkpunten == truth["werkpunten"]
        assert {row.traject_id: row.codes for row in board.at_risk} == truth["at_risk"]
        assert board.untaught == truth["untaught"]
        seen += 1
        if partnership.name == A1 and partnership.school.name == A1_OF["school__name"]:
            # The demo has a school year of evaluations there: the figures are not all zero.
            assert any(w.self_pct for w in board.weeks)
            assert any(w.mentor_pct for w in board.weeks)
            assert board.fiches and any(f.reached for f in board.fiches)
    assert seen >= 2


def test_the_page_shows_the_figures_and_links_only_visible_students(demo_cast, login):
    director = demo_cast[DIRECTOR]
    a1 = Partnership.objects.get(**A1_OF)
    board = _board(director, a1)
    response = login(DIRECTOR).get(URL, {"year": a1.school_year, "partnership": a1.public_id})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Leerlingen: {board.students}" in html
    assert 'data-table="at-risk"' in html and 'data-table="weeks"' in html
    assert html.count('data-testid="chart"') == 2
    for row in board.at_risk:
        visible = Traject.objects.filter(pk=row.traject_id)
        if row.link:
            assert f'href="{row.link}"' in html
            assert str(visible.get().public_id) in row.link


def test_saving_an_evaluation_through_the_service_updates_the_summaries(demo_cast):
    """The real service (``evaluation.services.sheets.rate``) keeps the summaries current in
    its own transaction: the leerfiche, the week and the traject's totals."""
    traject = Traject.objects.select_related("partnership").get(student__first_name="Lotte")
    evaluation = (
        Evaluation.objects.filter(session__traject=traject, evaluator=Evaluator.MENTOR)
        .select_related("session", "author")
        .order_by("-session__date")
        .first()
    )
    assert evaluation is not None
    session = evaluation.session
    keys = list(session.leerfiche.criteria.order_by("order").values_list("key", flat=True))
    current = dict(evaluation.scores.values_list("criterion_key", "mark"))
    flipped = {key: ("O" if current.get(key) == "V" else "V") for key in keys}
    before = LeerficheSummary.objects.get(traject=traject, leerfiche_key=session.leerfiche_key)
    totals_before = TrajectSummary.objects.get(traject=traject)

    sheets.rate(
        actor=evaluation.author,
        traject=permissions.get_traject_for_evaluation(
            user=evaluation.author, public_id=traject.public_id
        ),
        session=session,
        evaluator=Evaluator.MENTOR,
        marks=flipped,
        version=None,
        submit=True,
    )

    after = LeerficheSummary.objects.get(traject=traject, leerfiche_key=session.leerfiche_key)
    assert (after.reached, after.not_yet) != (before.reached, before.not_yet)
    totals = TrajectSummary.objects.get(traject=traject)
    assert (
        totals.criteria_reached - totals_before.criteria_reached == after.reached - before.reached
    )
    # The summaries now equal a rebuild from the raw rows, and the dashboard a recomputation.
    kept = _snapshot()
    call_command("rebuild_dashboards", verbosity=0)
    assert _snapshot() == kept
    today = timezone.localdate()
    truth = recompute(traject.partnership, today, monday(today), monday(today))
    board = _board(demo_cast[DIRECTOR], traject.partnership)
    assert {
        f.key: (f.students, f.students_complete, f.reached, f.total) for f in board.fiches
    } == truth["fiches"]


def test_a_self_evaluation_handed_in_fills_its_week(demo_cast):
    """A self-evaluation handed in through the services makes this week count for the
    student, on the dashboard too."""
    traject = Traject.objects.select_related("student__user", "partnership").get(
        student__first_name="Lotte"
    )
    student = traject.student.user
    today = timezone.localdate()
    Session.objects.filter(traject=traject, date__gte=monday(today)).delete()
    call_command("rebuild_dashboards", verbosity=0)
    assert not WeekSummary.objects.filter(
        traject=traject, week_start=monday(today), self_days__gt=0
    )
    seen = permissions.get_traject_for_evaluation(user=student, public_id=traject.public_id)
    fiche = Session.objects.filter(traject=traject).order_by("-date").first().leerfiche
    session = sheets.open_session(actor=student, traject=seen, leerfiche=fiche, on=today)
    key = fiche.criteria.order_by("order").values_list("key", flat=True).first()
    sheets.rate(
        actor=student,
        traject=seen,
        session=session,
        evaluator=Evaluator.SELF,
        marks={key: "V"},
        version=0,
        submit=True,
    )
    week = WeekSummary.objects.get(traject=traject, week_start=monday(today))
    assert week.self_days == 1
    assert TrajectSummary.objects.get(traject=traject).last_evaluated_on == today
    board = _board(demo_cast[DIRECTOR], traject.partnership)
    truth = recompute(traject.partnership, today, board.weeks[0].week_start, monday(today))
    assert board.weeks[-1].self_pct == truth["weeks"][-1][1] > 0


def test_rebuild_restores_what_the_signals_keep(demo_cast):
    kept = _snapshot()
    assert kept, "the demo's services filled the summaries"
    TrajectSummary.objects.all().delete()
    LeerficheSummary.objects.all().delete()
    WeekSummary.objects.all().delete()
    PeriodSummary.objects.all().delete()
    call_command("rebuild_dashboards", verbosity=0)
    assert _snapshot() == kept


@pytest.mark.parametrize(
    "email",
    [
        "mentor@vandenberghe.demo",  # a mentor in the partnership
        "directie@vandenberghe.demo",  # the company's director
        "leerling1@sintjozef.demo",  # a student
        "ouder1@sintjozef.demo",  # a parent
        "tb@sintjozef.demo",  # a trajectbegeleider (no director)
    ],
)
def test_wrong_viewers_get_404(demo_cast, login, email):
    if email not in demo_cast:
        pytest.skip(f"{email} not in the demo cast")
    response = login(email).get(URL)
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(client, demo_cast):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_schools_director_sees_only_their_own(demo_cast, login):
    """The director of another school asking for a Sint-Jozef partnership gets their own
    school's dashboard: no Sint-Jozef partnership, no Sint-Jozef student."""
    sint_jozef = Partnership.objects.get(**A1_OF)
    response = login("directie@dering.demo").get(
        URL, {"partnership": sint_jozef.public_id, "year": sint_jozef.school_year}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # (The id asked for comes back only in the links that keep the query string.)
    assert sint_jozef.school.name not in html
    for traject in Traject.objects.filter(partnership=sint_jozef).select_related("student"):
        assert traject.student.last_name not in html, traject.student
    board = school_dashboard(user=demo_cast["directie@dering.demo"])
    assert board.partnership is not None and board.partnership.school != sint_jozef.school


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "²"},
        {"year": "-1"},
        {"year": "99999999999999999999"},
        {"partnership": "not-a-uuid"},
        {"partnership": "00000000-0000-0000-0000-000000000000", "year": "2026"},
        {"export": "weeks", "format": "pdf"},
        {"export": "nope", "format": "csv"},
    ],
)
def test_bad_parameters_do_not_fail(demo_cast, login, query):
    assert login(DIRECTOR).get(URL, query).status_code == 200


def test_export_csv_and_xlsx(demo_cast, login):
    client = login(DIRECTOR)
    a1 = Partnership.objects.get(**A1_OF)
    for fmt in ("csv", "xlsx"):
        response = client.get(
            URL,
            {"partnership": a1.public_id, "year": a1.school_year, "export": "weeks", "format": fmt},
        )
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]


def test_charts_are_accessible_svg(demo_cast, login):
    a1 = Partnership.objects.get(**A1_OF)
    html = login(DIRECTOR).get(URL, {"partnership": a1.public_id}).content.decode()
    for svg in re.findall(r"<svg .*?</svg>", html, re.S):
        assert 'role="img"' in svg and "<title " in svg and "<desc " in svg
        assert "aria-labelledby" in svg
    assert "<script" not in "".join(re.findall(r"<svg .*?</svg>", html, re.S))


def test_a_student_the_director_may_not_see_is_neither_named_nor_linked(demo_cast, login):
    """Drill-down only where ``trajects_visible_to`` holds the traject: take the director's
    view of one at-risk student away and the row stays, without name and without link."""
    from evaluation.models import WeeklyCheckin
    from partnerships.models import TrajectGroupObjectPermission, TrajectUserObjectPermission

    director = demo_cast[DIRECTOR]
    a1 = Partnership.objects.get(**A1_OF)
    # Lotte has not been evaluated at all: she needs attention.
    target = Traject.objects.select_related("student").get(student__first_name="Lotte")
    Session.objects.filter(traject=target).delete()
    WeeklyCheckin.objects.filter(traject=target).delete()
    call_command("rebuild_dashboards", verbosity=0)
    board = _board(director, a1)
    row = next(row for row in board.at_risk if row.traject_id == target.pk)
    assert "no_evaluation" in row.codes
    assert row.link and target.student.full_name == row.name
    TrajectUserObjectPermission.objects.filter(content_object=target, user=director).delete()
    TrajectGroupObjectPermission.objects.filter(
        content_object=target, group__user=director
    ).delete()
    assert not permissions.trajects_visible_to(user=director).filter(pk=target.pk).exists()

    board = _board(director, a1)
    row = next(row for row in board.at_risk if row.traject_id == target.pk)
    assert row.link is None and target.student.last_name not in row.name
    html = login(DIRECTOR).get(URL, {"partnership": a1.public_id}).content.decode()
    assert str(target.public_id) not in html
    assert target.student.full_name not in html


def test_a_checklist_change_through_the_service_updates_the_contract_summary(demo_cast):
    """``contracts.signals.contract_changed``: a start checklist item reopened through the
    service counts as open at once, and equals a rebuild."""
    from contracts.checklist import AUTOMATIC
    from contracts.models import ChecklistItem
    from contracts.services.checklist import item_reopen

    item = (
        ChecklistItem.objects.filter(done_on__isnull=False)
        .exclude(code__in=AUTOMATIC)
        .select_related("contract")
        .first()
    )
    assert item is not None, "the demo has a checklist item done"
    traject_id = item.contract.traject_id
    call_command("rebuild_dashboards", verbosity=0)
    before = TrajectSummary.objects.get(traject_id=traject_id)
    if before.contract_start != item.contract.start_date:
        pytest.skip("the item is not of the traject's current contract")
    item_reopen(actor=demo_cast["coord@sintjozef.demo"], item=item, version=None)
    after = TrajectSummary.objects.get(traject_id=traject_id)
    assert after.checklist_done == before.checklist_done - 1
    kept = _snapshot()
    call_command("rebuild_dashboards", verbosity=0)
    assert _snapshot() == kept


def test_the_students_by_status_link_to_the_students_list(demo_cast, login):
    """Each status row links to the students list filtered on it (which shows only the
    students the viewer may see); the list names the partnership's students of that status."""
    client = login(DIRECTOR)
    a1 = Partnership.objects.get(**A1_OF)
    html = client.get(URL, {"partnership": a1.public_id}).content.decode()
    links = re.findall(r'<a href="(/trajects/\?[^"]+)"', html)
    assert links
    running = Traject.objects.filter(partnership=a1, status="running").select_related("student")
    link = next(link.replace("&amp;", "&") for link in links if "status=running" in link)
    listing = client.get(link)
    assert listing.status_code == 200
    for traject in running:
        assert traject.student.last_name in listing.content.decode()


def test_a_first_start_that_is_blocked_puts_an_intake_traject_at_risk():
    """A traject runs only once its first contract starts: a blocked first start is the case
    that matters, so an intake traject with a passed start date and blocking items open is at
    risk (its evaluations are not judged: it has not started)."""
    import datetime as dt

    from dashboards.selectors.school import risk_reasons
    from partnerships.models import TrajectStatus

    today = dt.date(2026, 12, 2)
    summary = TrajectSummary(
        contract_state=ContractState.REGISTERED,
        contract_start=today - dt.timedelta(days=1),
        checklist_blocking_open=3,
        last_evaluated_on=None,
    )
    for status in (TrajectStatus.INTAKE, TrajectStatus.RUNNING):
        codes = [code for code, _text in risk_reasons(Traject(status=status), summary, today)]
        assert "blocked" in codes, status
    intake = risk_reasons(Traject(status=TrajectStatus.INTAKE), summary, today)
    assert [code for code, _text in intake] == ["blocked"]
    summary.contract_start = today + dt.timedelta(days=1)
    assert risk_reasons(Traject(status=TrajectStatus.INTAKE), summary, today) == []
    summary.contract_start = today - dt.timedelta(days=1)
    assert risk_reasons(Traject(status=TrajectStatus.COMPLETED), summary, today) == []


def test_the_last_evaluated_day_survives_a_traject_without_check_ins_or_without_sessions(
    demo_cast,
):
    """The receiver's "last evaluated" is the later of the last session and the last finished
    check-in, or the one there is (SQLite's GREATEST is NULL when either is: a save then
    wiped the date and put the student at risk), equal to a rebuild."""
    from dashboards.summaries import rebuild, refresh_traject
    from evaluation.models import WeeklyCheckin

    traject = Traject.objects.filter(evaluation_sessions__isnull=False).distinct().first()
    assert traject is not None
    WeeklyCheckin.objects.filter(traject=traject).update(done_at=None)
    refresh_traject(traject.pk)
    by_receiver = TrajectSummary.objects.get(traject=traject).last_evaluated_on
    rebuild([traject.pk])
    assert by_receiver is not None
    assert TrajectSummary.objects.get(traject=traject).last_evaluated_on == by_receiver

    checkin = WeeklyCheckin.objects.filter(traject=traject).order_by("-week_start").first()
    if checkin is not None:
        WeeklyCheckin.objects.filter(pk=checkin.pk).update(done_at=timezone.now())
        Session.objects.filter(traject=traject).delete()
        refresh_traject(traject.pk)
        assert TrajectSummary.objects.get(traject=traject).last_evaluated_on == checkin.week_start
