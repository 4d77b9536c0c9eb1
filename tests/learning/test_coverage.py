"""The coverage matrix of an opleidingsplan: the demo's numbers against a hand count, each kind
of gap, a constant number of queries, the page for each kind of person and the PDF."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from learning.demo.plans import seed_plans
from learning.models import (
    Activiteitenlijst,
    ActiviteitenlijstEntry,
    Leerfiche,
    Opleiding,
    Opleidingsplan,
    Period,
    PlanEntry,
)
from learning.selectors.coverage import GapKind, partnership_plan, plan_coverage
from organisations.models import Organisation, Vestiging
from partnerships.models import Partnership, Placement, Traject
from tests.learning.factories import SECTOR_BODY, ensure_demo_sets, make_set_version

pytestmark = pytest.mark.django_db

SCHOOL_A = "Technisch Instituut Sint-Jozef"


def _partnership(name: str, school: str = SCHOOL_A) -> Partnership:
    return Partnership.objects.get(name=name, school__name=school)


def a1() -> Partnership:
    return _partnership("Lassen-Constructie duaal")


def a2() -> Partnership:
    return _partnership("Elektromechanische technieken duaal")


def b1() -> Partnership:
    return _partnership("Lassen-Constructie duaal", "GO! Technisch Atheneum De Ring")


@pytest.fixture
def demo_plans(demo_cast):
    """The demo with its opleidingsplannen: the sector's sets (seeded by the catalogue's demo,
    else minimal ones with the keys of the demo sets) and ``learning.plans`` run again (it is
    idempotent: with the seeded demo this changes nothing)."""
    ensure_demo_sets()
    seed_plans()
    return demo_cast


def _coverage(partnership: Partnership):
    return plan_coverage(plan=partnership_plan(partnership))


def _planned_per_place(coverage) -> dict[str, int]:
    counts: dict[str, int] = {}
    for theme in coverage.themes:
        for row in theme.rows:
            for cell in row.cells:
                if cell is not None:
                    counts[cell.place.kind] = counts.get(cell.place.kind, 0) + 1
    return counts


# --- the demo against a hand count (learning/demo/plans.py's table, counted by hand) ---------


def test_demo_a1_coverage_equals_the_hand_count(demo_plans):
    coverage = _coverage(a1())
    assert coverage.leerfiches == 11
    assert [theme.key for theme in coverage.themes] == [
        "voorbereiden",
        "lassen",
        "constructie",
        "veiligheid",
    ]
    # school Sint-Jozef, Metaalbouw Vandenberghe – Genk, OCTL, gesimuleerd
    assert [place.kind for place in coverage.places] == [
        "school",
        "company",
        "training_centre",
        "simulated",
    ]
    assert [period.name for period in coverage.periods] == [
        "Trimester 1",
        "Trimester 2",
        "Trimester 3",
    ]
    assert coverage.entries == 23
    assert _planned_per_place(coverage) == {"school": 7, "company": 12, "training_centre": 4}
    assert coverage.counts == {"untaught": 0, "cannot_offer": 0, "no_student": 0}
    assert coverage.total_gaps == 0
    # The one warning: Vandenberghe offers elektrodelassen only partly (trimester 3).
    assert [(c.leerfiche_key, c.period.name) for c in coverage.partly] == [
        ("elektrodelassen", "Trimester 3")
    ]


def test_demo_a2_coverage_has_the_one_deliberate_gap(demo_plans):
    coverage = _coverage(a2())
    assert coverage.leerfiches == 10
    assert [place.kind for place in coverage.places] == ["school", "company", "simulated"]
    assert coverage.entries == 16
    assert _planned_per_place(coverage) == {"school": 7, "company": 7, "simulated": 2}
    assert coverage.counts == {"untaught": 1, "cannot_offer": 0, "no_student": 0}
    assert coverage.total_gaps == 1
    assert [row.key for row in coverage.untaught] == ["pneumatiek-hydrauliek"]
    assert coverage.partly == []


def test_demo_plans_are_idempotent(demo_plans):
    plans = Opleidingsplan.objects.filter(partnership__in=[a1(), a2()])
    before = (plans.count(), PlanEntry.objects.filter(plan__in=plans).count())
    assert before == (2, 39)
    assert Period.objects.filter(partnership__in=[a1(), a2()]).count() == 6
    seed_plans()
    assert (plans.count(), PlanEntry.objects.filter(plan__in=plans).count()) == before
    assert (
        ActiviteitenlijstEntry.objects.filter(
            activiteitenlijst__vestiging__organisation__name="Koeltechniek Daems"
        ).count()
        == 10
    )


def test_demo_step_skips_cleanly_without_the_sectors_sets(db):
    # A database as the migrations leave it: no leerfiche sets, no partnerships.
    summary = seed_plans()
    assert "nog geen gepubliceerde leerfiches" in summary
    assert not Opleidingsplan.objects.exists()


# --- each kind of gap on a small fixture (partnership B1, which has no demo plan) -------------


@pytest.fixture
def small_plan(demo_cast):
    """B1 with a set of three leerfiches, two periods and a third after every placement."""
    partnership = b1()
    sector = Organisation.objects.get(name=SECTOR_BODY)
    version = make_set_version(
        owner=sector,
        opleiding=partnership.opleiding,
        name="Kleine set",
        themes=1,
        fiches_per_theme=3,
    )
    year = partnership.school_year
    periods = [
        Period.objects.create(
            partnership=partnership,
            order=1,
            name="T1",
            start_date=date(year, 9, 1),
            end_date=date(year, 12, 23),
        ),
        Period.objects.create(
            partnership=partnership,
            order=2,
            name="T2",
            start_date=date(year + 1, 1, 4),
            end_date=date(year + 1, 6, 30),
        ),
        # Jonas's placement ends on 30 June: nobody is at the company in the summer.
        Period.objects.create(
            partnership=partnership,
            order=3,
            name="Zomer",
            start_date=date(year + 1, 7, 1),
            end_date=date(year + 1, 8, 31),
        ),
    ]
    plan = Opleidingsplan.objects.create(partnership=partnership, set_version=version)
    fiches = list(Leerfiche.objects.filter(version=version).order_by("order"))
    vestiging = partnership.companies.get().vestiging
    lijst, _ = Activiteitenlijst.objects.get_or_create(
        vestiging=vestiging, opleiding=partnership.opleiding
    )
    for fiche, offer in zip(fiches, ["yes", "no", "partly"], strict=True):
        ActiviteitenlijstEntry.objects.update_or_create(
            activiteitenlijst=lijst, leerfiche_key=fiche.key, defaults={"offer": offer}
        )
    return {
        "plan": plan,
        "periods": periods,
        "fiches": fiches,
        "vestiging": vestiging,
        "partnership": partnership,
    }


def _entry(plan, fiche, period, place="company", vestiging=None):
    return PlanEntry.objects.create(
        plan=plan,
        leerfiche=fiche,
        period=period,
        place=place,
        vestiging=vestiging if place == "company" else None,
        week_from=1,
        week_to=3,
    )


def test_a_leerfiche_nobody_teaches_is_a_gap(small_plan):
    plan, (t1, _t2, _summer), fiches = (
        small_plan["plan"],
        small_plan["periods"],
        small_plan["fiches"],
    )
    _entry(plan, fiches[0], t1, place="school")
    _entry(plan, fiches[2], t1, place="simulated")
    coverage = plan_coverage(plan=partnership_plan(small_plan["partnership"]))
    assert [row.key for row in coverage.untaught] == [fiches[1].key]
    assert coverage.counts == {"untaught": 1, "cannot_offer": 0, "no_student": 0}
    row = next(row for row in coverage.themes[0].rows if row.key == fiches[1].key)
    assert row.untaught and not any(row.cells)


def test_a_company_that_cannot_offer_it_is_a_gap_and_partly_only_a_warning(small_plan):
    plan, (t1, t2, _summer), fiches = (
        small_plan["plan"],
        small_plan["periods"],
        small_plan["fiches"],
    )
    vestiging = small_plan["vestiging"]
    _entry(plan, fiches[0], t1, vestiging=vestiging)  # yes
    _entry(plan, fiches[1], t2, vestiging=vestiging)  # no: a gap
    _entry(plan, fiches[2], t1, vestiging=vestiging)  # partly: a warning
    coverage = plan_coverage(plan=partnership_plan(small_plan["partnership"]))
    assert coverage.counts == {"untaught": 0, "cannot_offer": 1, "no_student": 0}
    (gap,) = coverage.cannot_offer
    assert (gap.leerfiche_key, gap.period.name, gap.place.vestiging_id) == (
        fiches[1].key,
        "T2",
        vestiging.pk,
    )
    assert gap.gaps == [GapKind.CANNOT_OFFER]
    assert [cell.leerfiche_key for cell in coverage.partly] == [fiches[2].key]
    assert coverage.total_gaps == 1


def test_a_company_entry_in_a_period_without_a_student_there_is_a_gap(small_plan):
    plan, (t1, _t2, summer), fiches = (
        small_plan["plan"],
        small_plan["periods"],
        small_plan["fiches"],
    )
    vestiging = small_plan["vestiging"]
    _entry(plan, fiches[0], t1, vestiging=vestiging)  # Jonas is there
    _entry(plan, fiches[0], summer, vestiging=vestiging)  # nobody is there
    _entry(plan, fiches[1], summer, place="school")  # not a company: no such gap
    _entry(plan, fiches[2], t1, place="school")
    coverage = plan_coverage(plan=partnership_plan(small_plan["partnership"]))
    assert [(c.leerfiche_key, c.period.name) for c in coverage.no_student] == [
        (fiches[0].key, "Zomer")
    ]
    assert coverage.counts == {"untaught": 0, "cannot_offer": 0, "no_student": 1}

    # Jonas's placement shortened to the first trimester: trimester 2 loses its student too.
    Placement.objects.filter(traject__partnership=small_plan["partnership"]).update(
        end_date=date(plan.partnership.school_year, 12, 1)
    )
    _entry(plan, fiches[0], small_plan["periods"][1], vestiging=vestiging)
    coverage = plan_coverage(plan=partnership_plan(small_plan["partnership"]))
    assert sorted(c.period.name for c in coverage.no_student) == ["T2", "Zomer"]


def test_a_trajects_own_plan_counts_only_that_trajects_placements(small_plan):
    partnership, vestiging = small_plan["partnership"], small_plan["vestiging"]
    (t1, _t2, _summer), fiches = small_plan["periods"], small_plan["fiches"]
    jonas = Traject.objects.get(partnership=partnership, student__first_name="Jonas")
    own = Opleidingsplan.objects.create(
        partnership=partnership, traject=jonas, set_version=small_plan["plan"].set_version
    )
    for fiche in fiches:
        _entry(own, fiche, t1, vestiging=vestiging)
    coverage = plan_coverage(plan=own)
    assert coverage.counts == {"untaught": 0, "cannot_offer": 1, "no_student": 0}
    Placement.objects.filter(traject=jonas).update(start_date=date(partnership.school_year, 12, 24))
    assert plan_coverage(plan=own).counts[GapKind.NO_STUDENT] == 3


# --- a constant number of queries ------------------------------------------------------------


def _big_plan(partnership: Partnership, *, themes: int, per_theme: int, name: str):
    """A plan of ``themes × per_theme`` leerfiches on every place of ``partnership``."""
    sector = Organisation.objects.get(name=SECTOR_BODY)
    version = make_set_version(
        owner=sector,
        opleiding=partnership.opleiding,
        name=name,
        themes=themes,
        fiches_per_theme=per_theme,
        criteria_per_fiche=1,
    )
    Opleidingsplan.objects.filter(partnership=partnership, traject__isnull=True).delete()
    plan = Opleidingsplan.objects.create(partnership=partnership, set_version=version)
    year = partnership.school_year
    periods = [
        Period.objects.update_or_create(
            partnership=partnership,
            name=f"Trimester {n}",
            defaults={
                "order": n,
                "start_date": date(year + (n > 1), *((9, 1), (1, 4), (4, 1))[n - 1]),
                "end_date": date(year + (n > 1), *((12, 23), (3, 31), (6, 30))[n - 1]),
            },
        )[0]
        for n in (1, 2, 3)
    ]
    vestigingen = [c.vestiging for c in partnership.companies.select_related("vestiging")]
    rows = []
    for index, fiche in enumerate(Leerfiche.objects.filter(version=version).order_by("pk")):
        period = periods[index % 3]
        rows.append(PlanEntry(plan=plan, leerfiche=fiche, period=period, place="school"))
        if index % 5 == 4:
            continue  # every fifth leerfiche only at school
        rows.append(
            PlanEntry(
                plan=plan,
                leerfiche=fiche,
                period=periods[(index + 1) % 3],
                place="company",
                vestiging=vestigingen[index % len(vestigingen)],
            )
        )
        if index % 3 == 0:
            rows.append(PlanEntry(plan=plan, leerfiche=fiche, period=period, place="simulated"))
    PlanEntry.objects.bulk_create(rows)
    return plan


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_coverage_matrix_queries_are_constant_from_10_to_80_leerfiches(demo_cast, client, login):
    partnership = a1()
    login("tb@sintjozef.demo")
    url = f"/partnerships/{partnership.public_id}/coverage/"
    counts = {}
    for themes, per_theme in ((2, 5), (8, 10)):
        _big_plan(partnership, themes=themes, per_theme=per_theme, name=f"Set {themes}")
        plan = partnership_plan(partnership)
        coverage = plan_coverage(plan=plan)
        assert coverage.leerfiches == themes * per_theme
        assert coverage.entries > coverage.leerfiches
        selector = _queries(lambda plan=plan: plan_coverage(plan=plan))
        page = _queries(lambda: client.get(url))
        assert client.get(url).status_code == 200
        counts[themes * per_theme] = (selector, page)
    assert counts[10] == counts[80], counts
    assert counts[10][0] == 6


# --- the page --------------------------------------------------------------------------------

TEAM_A1 = (
    "tb@sintjozef.demo",
    "coord@sintjozef.demo",
    "lk@sintjozef.demo",
    "directie@sintjozef.demo",
    "mentor@vandenberghe.demo",
    "mentor2@vandenberghe.demo",
    "coord@vandenberghe.demo",
    "directie@vandenberghe.demo",
    "oc@octl.demo",
)


def _url(partnership: Partnership) -> str:
    return f"/partnerships/{partnership.public_id}/coverage/"


@pytest.mark.parametrize("email", TEAM_A1)
def test_every_team_role_reads_the_coverage(demo_plans, client, login, email):
    login(email)
    response = client.get(_url(a1()))
    assert response.status_code == 200
    assert b'data-testid="coverage-matrix"' in response.content


@pytest.mark.parametrize(
    "email",
    [
        "tb@dering.demo",  # another school
        "mentor@daems.demo",  # another partnership of the same school
        "consulent@sector.demo",
        # The student and the parents see their own traject, not the partnership's plan
        # coverage (what each company can offer, where every student is): a team tool.
        "leerling1@sintjozef.demo",
        "ouder1@sintjozef.demo",
    ],
)
def test_outsiders_students_and_parents_get_404(demo_plans, client, login, email):
    login(email)
    assert client.get(_url(a1())).status_code == 404


def test_anonymous_goes_to_login(demo_plans, client):
    response = client.get(_url(a1()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_counts_the_gaps_on_top_and_links_each_count_to_its_list(
    demo_plans, client, login
):
    login("tb@sintjozef.demo")
    html = client.get(_url(a2())).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "1 hiaat" in text
    assert "1 leerfiche zonder leerplek" in text
    assert "0 gepland bij een bedrijf dat ze niet kan aanbieden" in text
    assert 'href="#gaps-untaught"' in html and 'id="gaps-untaught"' in html
    # The list links to the row, which says the gap in words, not only in colour.
    assert 'href="#leerfiche-pneumatiek-hydrauliek"' in html
    row = html[html.index('id="leerfiche-pneumatiek-hydrauliek"') :]
    row = row[: row.index("</tr>")]
    assert "Geen leerplek" in row
    # Every planned cell is labelled with its place and period (cards on a phone).
    labels = re.findall(r'data-label="([^"]*)"', html)
    assert "Bedrijf: Koeltechniek Daems – Hasselt · Trimester 1" in labels, labels[:8]
    assert html.index('data-testid="coverage-summary"') < html.index(
        'data-testid="coverage-matrix"'
    )


def test_a_warning_and_a_cannot_offer_gap_carry_text_badges(demo_plans, client, login):
    vestiging = Vestiging.objects.get(name="Metaalbouw Vandenberghe – Genk")
    ActiviteitenlijstEntry.objects.filter(
        activiteitenlijst__vestiging=vestiging, leerfiche_key="tig-lassen"
    ).update(offer="no")
    plan = partnership_plan(a1())
    PlanEntry.objects.create(
        plan=plan,
        leerfiche=Leerfiche.objects.get(version=plan.set_version, key="tig-lassen"),
        period=Period.objects.get(partnership=a1(), name="Trimester 3"),
        place="company",
        vestiging=vestiging,
        week_from=5,
        week_to=8,
    )
    login("coord@sintjozef.demo")
    html = client.get(_url(a1())).content.decode()
    assert "Kan niet aanbieden" in html
    assert "Gedeeltelijk" in html
    summary = html[html.index('data-testid="count-cannot-offer"') :]
    assert summary.startswith('data-testid="count-cannot-offer"><a href="#gaps-cannot-offer">')
    assert ">1</span>" in summary[:200]


def test_rotation_shows_only_the_students_the_viewer_may_see(demo_plans, client, login):
    login("tb@sintjozef.demo")
    html = client.get(_url(a1())).content.decode()
    # Noor Peeters (contracts demo) starts in A1 three weeks after seeding.
    assert "Lotte Janssens" in html and "Mohamed El Amrani" in html and "Noor Peeters" in html
    assert html.count('data-testid="rotation-row"') == 3
    client.logout()
    login("mentor@vandenberghe.demo")  # guides Lotte and Noor
    html = client.get(_url(a1())).content.decode()
    assert "Lotte Janssens" in html and "Noor Peeters" in html
    assert "Mohamed El Amrani" not in html
    assert html.count('data-testid="rotation-row"') == 2


def test_rotation_across_companies_is_visible(demo_plans, client, login):
    """Mohamed moves to a second company for the third trimester: the rotation shows both."""
    from partnerships.models import PartnershipCompany

    partnership = a1()
    other = Organisation.objects.get(name="Koeltechniek Daems")
    other_vestiging = other.vestigingen.first()
    PartnershipCompany.objects.create(
        partnership=partnership, company=other, vestiging=other_vestiging
    )
    mohamed = Traject.objects.get(partnership=partnership, student__first_name="Mohamed")
    first = mohamed.placements.get()
    year = partnership.school_year
    first.end_date = date(year + 1, 3, 31)
    first.save()
    Placement.objects.create(
        traject=mohamed,
        company=other,
        vestiging=other_vestiging,
        start_date=date(year + 1, 4, 1),
        end_date=date(year + 1, 6, 30),
        workplace_hours_per_week=20,
    )
    login("tb@sintjozef.demo")
    response = client.get(_url(partnership))
    rows = {row.student: row for row in response.context["rotation"]}
    assert rows["Mohamed El Amrani"].rotates and not rows["Lotte Janssens"].rotates
    assert [
        [stop.vestiging for stop in cell.stops] for cell in rows["Mohamed El Amrani"].cells
    ] == [
        ["Metaalbouw Vandenberghe – Genk"],
        ["Metaalbouw Vandenberghe – Genk"],
        ["Koeltechniek Daems – Hasselt"],
    ]
    assert "Rotatie" in response.content.decode()
    # The new company is a place of the matrix too.
    assert "Koeltechniek Daems – Hasselt" in [p.name for p in response.context["coverage"].places]


def test_without_a_plan_the_page_says_so(demo_cast, client, login):
    login("tb@dering.demo")
    response = client.get(_url(b1()))
    assert response.status_code == 200
    assert b'data-testid="coverage-no-plan"' in response.content


# --- the PDF ---------------------------------------------------------------------------------


def test_the_coverage_pdf_renders_landscape_with_the_gaps(
    demo_plans, django_capture_on_commit_callbacks
):
    from documents import services
    from documents.models import DocumentStatus

    coordinator = demo_plans["coord@sintjozef.demo"]
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(actor=coordinator, kind="coverage", subject=a2())
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, (document.failure, document.error)
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = "".join("".join(p.extract_text() or "" for p in reader.pages).split())
    assert "Pneumatischeenhydraulischeschakelingen" in text
    assert "Geenleerplek" in text
    assert "1leerfichezonderleerplek" in text
    assert "EmmaWillems" in text  # the rotation
    assert Opleiding.objects.get(code="elektromechanische-technieken").name.replace(" ", "") in text


def test_entries_at_a_place_that_left_the_partnership_stay_in_the_matrix(small_plan):
    """A vestiging removed from the partnership, a training centre B1 does not have: their
    entries keep a column (and count as no student there), nothing disappears."""
    plan, (t1, _t2, _summer), fiches = (
        small_plan["plan"],
        small_plan["periods"],
        small_plan["fiches"],
    )
    elsewhere = Vestiging.objects.get(name="Koeltechniek Daems – Hasselt")
    _entry(plan, fiches[0], t1, vestiging=elsewhere)
    _entry(plan, fiches[1], t1, place="training_centre")
    _entry(plan, fiches[2], t1, place="school")
    coverage = plan_coverage(plan=partnership_plan(small_plan["partnership"]))
    assert [place.kind for place in coverage.places] == [
        "school",
        "company",
        "company",
        "training_centre",
        "simulated",
    ]
    assert coverage.entries == 3 and coverage.untaught == []
    assert [c.place.name for c in coverage.no_student] == ["Koeltechniek Daems – Hasselt"]
