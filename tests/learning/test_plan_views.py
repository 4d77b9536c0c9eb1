"""The opleidingsplan's pages: who reads, comments and edits (the RACI matrix decides), the
one-cell editing with htmx and without JavaScript, the traject's plan, the activiteitenlijst,
periods, adoption, and a query count that does not grow with the number of leerfiches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.models import (
    ActiviteitenlijstEntry,
    Opleidingsplan,
    PlaceKind,
    PlanComment,
    PlanEntry,
)
from learning.selectors import plans as selectors
from learning.services import plans
from partnerships.models import Traject
from tests.learning import plans_support as support

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def a1(demo_cast):
    return support.partnership("A1")


@pytest.fixture
def plan(a1):
    plan = support.adopted(a1)
    period = a1.periods.get(name="Trimester 1")
    plans.set_cell(
        plan=plan,
        leerfiche=plan.set_version.leerfiches.get(key="leerfiche-1-1"),
        period=period,
        places=[(PlaceKind.COMPANY, a1.companies.get().vestiging, 2, 6)],
    )
    plans.add_comment(
        plan=plan,
        author=None,
        text="Interne opmerking: hoeklas pas na de kerstvakantie",
    )
    return plan


@pytest.fixture
def lotte(demo_cast):
    return Traject.objects.get(student__first_name="Lotte")


def _plan_url(a1) -> str:
    return f"/partnerships/{a1.public_id}/plan/"


def _cell_url(plan, key="leerfiche-1-1", period_name="Trimester 1", traject=None) -> str:
    fiche = plan.set_version.leerfiches.get(key=key)
    period = plan.partnership.periods.get(name=period_name)
    if traject is not None:
        return f"/trajects/{traject.public_id}/plan/cells/{fiche.public_id}/{period.pk}/"
    return f"/partnerships/{plan.partnership.public_id}/plan/cells/{fiche.public_id}/{period.pk}/"


def _vestiging_id(plan) -> int:
    return plan.partnership.companies.get().vestiging_id


def _company_post(plan, week_from: int, week_to: int) -> dict[str, str]:
    key = f"company{_vestiging_id(plan)}"
    return {f"{key}_on": "on", f"{key}_from": str(week_from), f"{key}_to": str(week_to)}


# --- who does what (RACI defaults: leerinhouden R = leerkracht, A = directie school) ----------

EDITORS = ["lk@sintjozef.demo", "directie@sintjozef.demo"]
COMMENTERS = [  # C on leerinhouden, or C on another task (COMMENT_PARTNERSHIP)
    "tb@sintjozef.demo",
    "mentor@vandenberghe.demo",
    "oc@octl.demo",
    "coord@vandenberghe.demo",
    "coord@sintjozef.demo",
]


@pytest.mark.parametrize("email", EDITORS)
def test_the_plans_designers_edit_cells(client, login, plan, email):
    login(email)
    page = client.get(_plan_url(plan.partnership))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="plan-cell-edit"' in html
    assert "Bedrijf: Metaalbouw Vandenberghe – Genk · wk 2–6" in html
    assert client.get(_cell_url(plan)).status_code == 200
    response = client.post(_cell_url(plan, key="leerfiche-2-1"), _company_post(plan, 1, 3))
    assert response.status_code == 302
    assert PlanEntry.objects.filter(plan=plan, leerfiche__key="leerfiche-2-1").count() == 1


@pytest.mark.parametrize("email", COMMENTERS)
def test_the_team_reads_and_comments_but_only_designers_edit(client, login, plan, email):
    login(email)
    page = client.get(_plan_url(plan.partnership))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="plan-cell-edit"' not in html
    assert "Interne opmerking" in html
    assert 'data-testid="plan-comment-form"' in html
    assert client.get(_cell_url(plan)).status_code == 403
    assert client.post(_cell_url(plan), _company_post(plan, 1, 2)).status_code == 403
    assert (
        client.get(f"/partnerships/{plan.partnership.public_id}/plan/periods/").status_code == 403
    )
    response = client.post(
        f"/partnerships/{plan.partnership.public_id}/plan/comments/",
        {"text": f"Opmerking van {email}", "leerfiche_key": "leerfiche-1-2"},
    )
    assert response.status_code == 302
    assert PlanComment.objects.filter(plan=plan, text=f"Opmerking van {email}").exists()
    assert list(plan.entries.values_list("week_from", "week_to")) == [(2, 6)]


def test_the_mentor_comments_on_the_plan_but_cannot_edit_it(client, login, plan):
    """The brochure's example: the mentor is R on lesvoorbereiding, C on leerinhouden."""
    login("mentor@vandenberghe.demo")
    assert client.get(_cell_url(plan)).status_code == 403
    assert client.post(f"/partnerships/{plan.partnership.public_id}/plan/adopt/").status_code == 403


def test_a_comment_without_text_is_refused_in_dutch(client, login, plan):
    login("tb@sintjozef.demo")
    response = client.post(
        f"/partnerships/{plan.partnership.public_id}/plan/comments/", {"text": " "}
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("email", ["leerling1@sintjozef.demo", "ouder1@sintjozef.demo"])
def test_student_and_parent_read_their_own_plan_without_comments(client, login, plan, lotte, email):
    login(email)
    assert client.get(_plan_url(plan.partnership)).status_code == 404
    response = client.get(f"/trajects/{lotte.public_id}/plan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bedrijf: Metaalbouw Vandenberghe – Genk · wk 2–6" in html
    assert "Leerfiche 1.1" in html
    assert "Interne opmerking" not in html and "Opmerkingen" not in html
    assert 'data-testid="plan-cell-edit"' not in html and 'data-testid="plan-own"' not in html
    assert client.post(f"/trajects/{lotte.public_id}/plan/own/").status_code == 403
    assert client.get(_cell_url(plan, traject=lotte)).status_code == 403
    # The traject page links to it.
    assert (
        f"/trajects/{lotte.public_id}/plan/"
        in client.get(f"/trajects/{lotte.public_id}/").content.decode()
    )


@pytest.mark.parametrize(
    "email",
    ["tb@dering.demo", "mentor@daems.demo", "consulent@sector.demo", "leerling3@sintjozef.demo"],
)
def test_outsiders_get_404(client, login, plan, lotte, email):
    login(email)
    vestiging = plan.partnership.companies.get().vestiging
    for url in (
        _plan_url(plan.partnership),
        _cell_url(plan),
        f"/partnerships/{plan.partnership.public_id}/plan/periods/",
        f"/partnerships/{plan.partnership.public_id}/plan/offers/{vestiging.public_id}/",
        f"/trajects/{lotte.public_id}/plan/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_cell_url(plan), _company_post(plan, 1, 2)).status_code == 404


def test_the_mentor_of_another_student_does_not_see_lottes_plan(client, login, plan, lotte):
    login("mentor2@vandenberghe.demo")  # mentor of Mohamed, in A1's team
    assert client.get(_plan_url(plan.partnership)).status_code == 200
    assert client.get(f"/trajects/{lotte.public_id}/plan/").status_code == 404


# --- one cell: htmx in place, and a plain form page without JavaScript -----------------------


def test_htmx_edits_one_cell_in_place(client, login, plan):
    login("lk@sintjozef.demo")
    url = _cell_url(plan)
    form = client.get(url, **HTMX)
    html = form.content.decode()
    assert form.status_code == 200 and "<html" not in html
    assert 'data-testid="plan-cell-form"' in html and f'hx-post="{url}"' in html
    assert 'value="2"' in html and 'value="6"' in html  # the current weeks

    bad = client.post(url, _company_post(plan, 3, 40), **HTMX)
    assert bad.status_code == 400
    assert "kies de weken tussen 1 en" in bad.content.decode()
    assert list(plan.entries.values_list("week_from", "week_to")) == [(2, 6)]

    saved = client.post(
        url,
        {**_company_post(plan, 3, 5), "school_on": "on", "school_from": "1", "school_to": "2"},
        **HTMX,
    )
    html = saved.content.decode()
    assert saved.status_code == 200 and "<html" not in html
    assert (
        html.strip().startswith("<td")
        and "Bedrijf: Metaalbouw Vandenberghe – Genk · wk 3–5" in html
    )
    assert "School · wk 1–2" in html and 'data-testid="plan-cell-edit"' in html
    assert sorted(plan.entries.values_list("place", "week_from", "week_to")) == [
        ("company", 3, 5),
        ("school", 1, 2),
    ]
    cancel = client.get(f"{url}?cancel=1", **HTMX)
    assert "plan-cell-form" not in cancel.content.decode()


def test_without_javascript_the_cell_is_a_form_page(client, login, plan):
    login("directie@sintjozef.demo")
    url = _cell_url(plan)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    assert f'action="{url}"' in html and 'method="post"' in html
    bad = client.post(url, {"simulated_on": "on", "simulated_from": "", "simulated_to": ""})
    assert bad.status_code == 400 and "vul de eerste en de laatste week in" in bad.content.decode()
    response = client.post(url, {"simulated_on": "on", "simulated_from": "4", "simulated_to": "8"})
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/plan/#cell-{plan.set_version.leerfiches.get(key='leerfiche-1-1').pk}-{plan.partnership.periods.get(name='Trimester 1').pk}"
    )
    assert list(plan.entries.values_list("place", "week_from", "week_to")) == [("simulated", 4, 8)]
    # Nothing chosen: the cell is emptied.
    assert client.post(url, {}).status_code == 302
    assert not plan.entries.exists()


def test_an_unknown_cell_is_404(client, login, plan):
    login("lk@sintjozef.demo")
    other = support.version_for(support.partnership("A2")).leerfiches.first()
    period = plan.partnership.periods.first()
    assert (
        client.get(
            f"/partnerships/{plan.partnership.public_id}/plan/cells/{other.public_id}/{period.pk}/"
        ).status_code
        == 404
    )
    fiche = plan.set_version.leerfiches.first()
    a2_period = support.adopted(support.partnership("A2")).partnership.periods.first()
    assert (
        client.get(
            f"/partnerships/{plan.partnership.public_id}/plan/cells/{fiche.public_id}/{a2_period.pk}/"
        ).status_code
        == 404
    )


# --- a traject's own plan ----------------------------------------------------------------------


def test_a_designer_gives_a_student_an_own_plan_and_drops_it_after_confirmation(
    client, login, plan, lotte
):
    login("lk@sintjozef.demo")
    page = client.get(f"/trajects/{lotte.public_id}/plan/").content.decode()
    assert "Eigen plan voor deze leerling" in page and 'data-testid="plan-cell-edit"' not in page
    assert client.post(f"/trajects/{lotte.public_id}/plan/own/").status_code == 302
    own = Opleidingsplan.objects.get(traject=lotte)
    page = client.get(f"/trajects/{lotte.public_id}/plan/").content.decode()
    assert 'data-testid="plan-cell-edit"' in page and 'data-confirm="drop-own-plan"' in page
    url = _cell_url(plan, traject=lotte)
    assert client.post(url, _company_post(plan, 7, 9)).status_code == 302
    assert list(own.entries.values_list("week_from", "week_to")) == [(7, 9)]
    assert list(plan.entries.values_list("week_from", "week_to")) == [(2, 6)]

    confirm = client.get(f"/trajects/{lotte.public_id}/plan/own/drop/")
    assert confirm.status_code == 200
    assert "gaan verloren" in confirm.content.decode()
    # A bare POST only shows the confirmation again.
    assert client.post(f"/trajects/{lotte.public_id}/plan/own/drop/").status_code == 200
    assert Opleidingsplan.objects.filter(traject=lotte).exists()
    response = client.post(f"/trajects/{lotte.public_id}/plan/own/drop/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not Opleidingsplan.objects.filter(traject=lotte).exists()


def test_the_student_reads_their_own_plan_when_they_have_one(client, login, plan, lotte):
    own = plans.override_for_traject(traject=lotte)
    plans.set_cell(
        plan=own,
        leerfiche=plan.set_version.leerfiches.get(key="leerfiche-1-1"),
        period=plan.partnership.periods.get(name="Trimester 1"),
        places=[(PlaceKind.SCHOOL, None, 8, 9)],
    )
    login("leerling1@sintjozef.demo")
    html = client.get(f"/trajects/{lotte.public_id}/plan/").content.decode()
    assert "School · wk 8–9" in html and "wk 2–6" not in html
    assert 'data-confirm="drop-own-plan"' not in html


# --- the activiteitenlijst ---------------------------------------------------------------------


@pytest.mark.parametrize("email", ["coord@vandenberghe.demo", "mentor@vandenberghe.demo"])
def test_the_company_fills_in_its_activiteitenlijst(client, login, plan, email):
    login(email)
    vestiging = plan.partnership.companies.get().vestiging
    page = client.get(_plan_url(plan.partnership)).content.decode()
    url = f"/partnerships/{plan.partnership.public_id}/plan/offers/{vestiging.public_id}/"
    assert url in page
    assert client.get(url).status_code == 200
    fiche = plan.set_version.leerfiches.get(key="leerfiche-1-1")
    response = client.post(url, {f"offer_{fiche.pk}": "no", f"note_{fiche.pk}": "Geen lasrobot"})
    assert response.status_code == 302
    entry = ActiviteitenlijstEntry.objects.get(
        activiteitenlijst__vestiging=vestiging, leerfiche_key="leerfiche-1-1"
    )
    assert (entry.offer, entry.note) == ("no", "Geen lasrobot")
    # The grid warns where the plan places a leerfiche at a company that cannot offer it.
    page = client.get(_plan_url(plan.partnership)).content.decode()
    assert "kan dit niet aanbieden" in page


@pytest.mark.parametrize("email", ["lk@sintjozef.demo", "tb@sintjozef.demo", "oc@octl.demo"])
def test_others_in_the_team_do_not_write_the_companys_activiteitenlijst(client, login, plan, email):
    login(email)
    vestiging = plan.partnership.companies.get().vestiging
    url = f"/partnerships/{plan.partnership.public_id}/plan/offers/{vestiging.public_id}/"
    assert url not in client.get(_plan_url(plan.partnership)).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


# --- periods and adoption ----------------------------------------------------------------------


def test_periods_page_adds_and_removes_with_consequences(client, login, plan):
    login("lk@sintjozef.demo")
    base = f"/partnerships/{plan.partnership.public_id}/plan/periods/"
    assert client.get(base).status_code == 200
    year = plan.partnership.school_year
    bad = client.post(
        base,
        {
            "period-name": "Zomer",
            "period-start_date": f"{year + 1}-06-15",
            "period-end_date": f"{year + 1}-07-31",
        },
    )
    assert bad.status_code == 400 and "overlapt met Trimester 3" in bad.content.decode()
    ok = client.post(
        base,
        {
            "period-name": "Zomer",
            "period-start_date": f"{year + 1}-07-01",
            "period-end_date": f"{year + 1}-07-31",
        },
    )
    assert ok.status_code == 302
    t1 = plan.partnership.periods.get(name="Trimester 1")
    confirm = client.get(f"{base}{t1.pk}/remove/")
    assert confirm.status_code == 200
    assert (
        "Leerfiche 1.1 bij Bedrijf: Metaalbouw Vandenberghe – Genk · wk 2–6"
        in confirm.content.decode()
    )
    assert client.post(f"{base}{t1.pk}/remove/", {"confirm": "yes"}).status_code == 302
    assert not plan.entries.exists()
    assert list(plan.partnership.periods.values_list("name", flat=True)) == [
        "Trimester 2",
        "Trimester 3",
        "Zomer",
    ]


def test_a_designer_adopts_a_version_from_the_plan_page(client, login, a1):
    support.clean(a1)
    version = support.version_for(a1)
    login("directie@sintjozef.demo")
    page = client.get(_plan_url(a1)).content.decode()
    assert 'data-testid="plan-adopt-form"' in page and version.leerfiche_set.name in page
    response = client.post(f"/partnerships/{a1.public_id}/plan/adopt/", {"set_version": version.pk})
    assert response.status_code == 302
    plan = Opleidingsplan.objects.get(partnership=a1, traject=None)
    assert plan.set_version == version and a1.periods.count() == 3
    # Someone who only reads sees that nothing is adopted yet, without the form.
    support.clean(a1)
    login("coord@sintjozef.demo")
    page = client.get(_plan_url(a1)).content.decode()
    assert 'data-testid="plan-none"' in page and "plan-adopt-form" not in page


def test_the_partnership_page_links_to_the_plan(client, login, a1):
    login("coord@sintjozef.demo")
    assert _plan_url(a1) in client.get(f"/partnerships/{a1.public_id}/").content.decode()


# --- query count -------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _fill(plan) -> None:
    """Every leerfiche placed in every period, and an activiteitenlijst line for each."""
    vestiging = plan.partnership.companies.get().vestiging
    periods = list(plan.partnership.periods.all())
    for i, fiche in enumerate(plan.set_version.leerfiches.all()):
        PlanEntry.objects.bulk_create(
            PlanEntry(
                plan=plan,
                leerfiche=fiche,
                period=period,
                place=PlaceKind.COMPANY if i % 2 else PlaceKind.SCHOOL,
                vestiging=vestiging if i % 2 else None,
                week_from=1,
                week_to=2,
            )
            for period in periods
        )
        plans.set_offer(
            vestiging=vestiging,
            opleiding=plan.partnership.opleiding,
            leerfiche_key=fiche.key,
            offer="yes" if i % 3 else "no",
        )
    plans.add_comment(plan=plan, author=None, text="Een opmerking", leerfiche_key=fiche.key)


def test_the_grids_query_count_does_not_grow_with_the_leerfiches(client, login, a1, lotte):
    login("lk@sintjozef.demo")
    counts = {}
    for fiches in (10, 80):
        plan = support.adopted(a1, themes=2, fiches_per_theme=fiches // 2)
        _fill(plan)
        assert plan.set_version.leerfiches.count() == fiches
        counts[fiches] = (
            _queries(client, _plan_url(a1)),
            _queries(client, f"/trajects/{lotte.public_id}/plan/"),
        )
    assert counts[10] == counts[80], counts


# --- the team's comments: a page at a time ------------------------------------------------------


def _comment_many(plan, count: int, *, start: int = 0) -> None:
    """``count`` comments, every other one about a leerfiche of the plan's version."""
    fiches = list(plan.set_version.leerfiches.order_by("pk").values_list("key", flat=True))
    for number in range(start, start + count):
        plans.add_comment(
            plan=plan,
            author=None,
            text=f"Opmerking {number}",
            leerfiche_key=fiches[number % len(fiches)] if number % 2 else "",
        )


def test_the_plan_page_shows_the_newest_comments_and_links_to_older_ones(client, login, plan):
    _comment_many(plan, 24)  # with the fixture's: 25 comments
    login("tb@sintjozef.demo")
    html = client.get(_plan_url(plan.partnership)).content.decode()
    assert html.count('data-testid="plan-comment"') == selectors.PLAN_COMMENTS_PER_PAGE == 10
    assert "Opmerking 23" in html and "Opmerking 14" in html and "Opmerking 13" not in html
    assert "Opmerkingen 1–10 van 25, nieuwste eerst" in html
    assert '<a href="?comments=2#comments" rel="next" data-testid="plan-comments-older">' in html
    # The leerfiche a comment is about, by its title in the version the plan follows.
    title = plan.set_version.leerfiches.order_by("pk")[23 % plan.set_version.leerfiches.count()]
    assert f"· {title.title}</p>" in " ".join(html.split())
    last = client.get(_plan_url(plan.partnership) + "?comments=3").content.decode()
    assert last.count('data-testid="plan-comment"') == 5
    assert "Interne opmerking: hoeklas pas na de kerstvakantie" in last  # the oldest
    assert 'data-testid="plan-comments-older"' not in last
    assert 'data-testid="plan-comments-newer"' in last
    # Nonsense or too far: the first or the last page, never an error.
    assert client.get(_plan_url(plan.partnership) + "?comments=x").status_code == 200
    far = client.get(_plan_url(plan.partnership) + "?comments=99").content.decode()
    assert "Interne opmerking" in far


def test_a_comment_keeps_no_title_of_a_leerfiche_the_version_no_longer_holds(plan):
    # Written when an earlier version held that leerfiche (the service checks the key then).
    PlanComment.objects.create(plan=plan, text="Over iets weg", leerfiche_key="bestaat-niet")
    plans.add_comment(plan=plan, author=None, text="Over 1.2", leerfiche_key="leerfiche-1-2")
    page = selectors.plan_comments(plan)
    assert [(c.text, c.leerfiche_title) for c in page.object_list][:3] == [
        ("Over 1.2", "Leerfiche 1.2"),
        ("Over iets weg", ""),
        ("Interne opmerking: hoeklas pas na de kerstvakantie", ""),
    ]


def test_the_comments_take_the_same_queries_however_many_there_are(client, login, plan):
    login("tb@sintjozef.demo")
    url = _plan_url(plan.partnership)
    _comment_many(plan, 2)
    few = (_queries(client, url), _queries(client, url + "?comments=2"))
    _comment_many(plan, 60, start=2)
    many = (_queries(client, url), _queries(client, url + "?comments=2"))
    assert few == many, (few, many)
    with CaptureQueriesContext(connection) as captured:
        page = selectors.plan_comments(plan, page=3)
        assert [c.leerfiche_title for c in page.object_list]
        assert [c.author for c in page.object_list]
    assert len(captured) == 2  # the count and the page (titles by a subquery)
