"""The opleidingsplan's services: periods, adoption (and re-adoption by key), cells, the
per-traject override, comments and the activiteitenlijst — every change in the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from duaal.models import AuditEntry
from learning.models import (
    ActiviteitenlijstEntry,
    Leerfiche,
    Offer,
    Opleidingsplan,
    Period,
    PlaceKind,
    PlanComment,
    PlanEntry,
    VersionStatus,
)
from learning.services import plans, versions
from organisations.models import Organisation, OrganisationKind, Vestiging
from partnerships.models import Traject
from tests.learning import plans_support as support

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl-be"):
        yield


@pytest.fixture
def a1(demo_cast):
    return support.partnership("A1")


@pytest.fixture
def coord(demo_cast):
    return demo_cast["lk@sintjozef.demo"]


def _company_vestiging(partnership) -> Vestiging:
    return partnership.companies.select_related("vestiging").get().vestiging


def _fiche(plan, key: str = "leerfiche-1-1") -> Leerfiche:
    return plan.set_version.leerfiches.get(key=key)


# --- periods -----------------------------------------------------------------------------------


def test_default_periods_are_three_trimesters_of_the_school_year(a1):
    support.clean(a1)
    periods = plans.default_periods(a1)
    year = a1.school_year
    assert [(p.name, p.start_date, p.end_date) for p in periods] == [
        ("Trimester 1", dt.date(year, 9, 1), dt.date(year, 12, 31)),
        ("Trimester 2", dt.date(year + 1, 1, 1), dt.date(year + 1, 3, 31)),
        ("Trimester 3", dt.date(year + 1, 4, 1), dt.date(year + 1, 6, 30)),
    ]
    # A second call keeps what is there.
    assert plans.default_periods(a1) == periods
    assert AuditEntry.objects.filter(action="period.defaults", partnership_id=a1.pk).count() == 1


@pytest.mark.parametrize(
    "name, start, end, field, expected",
    [
        # (month, day) in the school year's second calendar year
        ("Zomer", (7, 1), (9, 15), "end_date", ["binnen het schooljaar"]),
        ("Krokus", (3, 1), (4, 15), "start_date", ["overlapt", "Trimester 2", "Trimester 3"]),
        ("trimester 1", (7, 1), (7, 31), "name", []),
        ("Omgekeerd", (7, 31), (7, 1), "end_date", []),
    ],
    ids=["outside-the-school-year", "overlap", "name-taken", "end-before-start"],
)
def test_periods_stay_inside_the_school_year_and_do_not_overlap(
    a1, coord, name, start, end, field, expected
):
    support.clean(a1)
    plans.default_periods(a1)
    year = a1.school_year
    with pytest.raises(ValidationError) as error:
        plans.period_create(
            partnership=a1,
            name=name,
            start_date=dt.date(year + 1, *start),
            end_date=dt.date(year + 1, *end),
            actor=coord,
        )
    assert field in error.value.message_dict
    message = " ".join(error.value.message_dict[field])
    assert all(text in message for text in expected), message
    assert a1.periods.count() == 3


def test_a_period_inside_the_school_year_is_added_and_changed(a1, coord):
    support.clean(a1)
    plans.default_periods(a1)
    year = a1.school_year
    summer = plans.period_create(
        partnership=a1,
        name="Zomerstage",
        start_date=dt.date(year + 1, 7, 1),
        end_date=dt.date(year + 1, 7, 31),
        actor=coord,
    )
    assert list(a1.periods.order_by("order").values_list("name", flat=True))[-1] == "Zomerstage"
    plans.period_update(
        period=summer,
        name="Zomer",
        start_date=summer.start_date,
        end_date=dt.date(year + 1, 8, 15),
        actor=coord,
    )
    entry = AuditEntry.objects.filter(action="period.update").latest("pk")
    assert entry.changes["name"] == ["Zomerstage", "Zomer"]


def test_a_period_cannot_shrink_below_the_weeks_the_plan_uses(a1, coord):
    plan = support.adopted(a1)
    period = a1.periods.get(name="Trimester 1")
    plans.set_cell(
        plan=plan,
        leerfiche=_fiche(plan),
        period=period,
        places=[(PlaceKind.SCHOOL, None, 10, 14)],
        actor=coord,
    )
    with pytest.raises(ValidationError) as error:
        plans.period_update(
            period=period,
            name=period.name,
            start_date=period.start_date,
            end_date=period.start_date + dt.timedelta(days=30),
            actor=coord,
        )
    assert "Leerfiche 1.1" in " ".join(error.value.message_dict["end_date"])


def test_removing_a_period_says_and_removes_what_goes(a1, coord):
    plan = support.adopted(a1)
    period = a1.periods.get(name="Trimester 2")
    plans.set_cell(
        plan=plan,
        leerfiche=_fiche(plan),
        period=period,
        places=[(PlaceKind.COMPANY, _company_vestiging(a1), 2, 6)],
        actor=coord,
    )
    consequences = plans.period_removal_consequences(period)
    assert consequences == ["Leerfiche 1.1 bij Bedrijf: Metaalbouw Vandenberghe – Genk · wk 2–6"]
    assert plans.period_remove(period=period, actor=coord) == 1
    assert not PlanEntry.objects.filter(plan=plan).exists()
    assert list(a1.periods.values_list("name", "order")) == [("Trimester 1", 0), ("Trimester 3", 1)]
    entry = AuditEntry.objects.filter(action="period.remove").latest("pk")
    assert entry.changes["removed_entries"][0] == [
        "Leerfiche 1.1: Bedrijf: Metaalbouw Vandenberghe – Genk · wk 2–6"
    ]


def test_the_last_period_of_a_plan_stays(a1, coord):
    plan = support.adopted(a1)
    periods = list(a1.periods.all())
    for period in periods[:-1]:
        plans.period_remove(period=period, actor=coord)
    with pytest.raises(ValidationError):
        plans.period_remove(period=periods[-1], actor=coord)
    assert plan.partnership.periods.count() == 1


# --- adoption ----------------------------------------------------------------------------------


def test_adoption_creates_the_plan_and_the_default_periods(a1, coord):
    support.clean(a1)
    version = support.version_for(a1)
    adoption = plans.adopt_version(partnership=a1, set_version=version, actor=coord)
    assert adoption.created and adoption.plan.traject is None
    assert adoption.plan.set_version == version
    assert a1.periods.count() == 3
    entry = AuditEntry.objects.filter(action="plan.adopt").latest("pk")
    assert entry.partnership_id == a1.pk and entry.actor_id == coord.pk
    with pytest.raises(ValidationError):
        plans.adopt_version(partnership=a1, set_version=version, actor=coord)


def test_only_a_published_version_of_the_partnerships_opleiding(a1, coord):
    support.clean(a1)
    draft = support.version_for(a1)
    draft.status, draft.published_at = VersionStatus.DRAFT, None
    draft.save()
    with pytest.raises(ValidationError) as error:
        plans.adopt_version(partnership=a1, set_version=draft, actor=coord)
    assert error.value.code == "draft"
    other = support.version_for(support.partnership("A2"), name="Andere opleiding")
    with pytest.raises(ValidationError) as error:
        plans.adopt_version(partnership=a1, set_version=other, actor=coord)
    assert "Elektromechanische" in error.value.messages[0]
    assert not Opleidingsplan.objects.filter(partnership=a1).exists()


def test_a_newer_version_moves_the_entries_by_key_and_reports_the_dropped_ones(a1, coord):
    plan = support.adopted(a1, themes=1, fiches_per_theme=3)
    period = a1.periods.get(name="Trimester 1")
    for key in ("leerfiche-1-1", "leerfiche-1-3"):
        plans.set_cell(
            plan=plan,
            leerfiche=_fiche(plan, key),
            period=period,
            places=[(PlaceKind.SCHOOL, None, 1, 3)],
            actor=coord,
        )
    # The set's owner makes version 2 without leerfiche 1.3.
    draft = versions.start_draft(leerfiche_set=plan.set_version.leerfiche_set)
    draft.leerfiches.get(key="leerfiche-1-3").delete()
    newer = versions.publish(version=draft)
    traject = Traject.objects.get(student__first_name="Lotte")
    own = plans.override_for_traject(traject=traject, actor=coord)

    adoption = plans.adopt_version(partnership=a1, set_version=newer, actor=coord)
    assert not adoption.created
    assert adoption.moved == 2  # leerfiche 1.1 in the partnership's plan and in Lotte's
    assert sorted(adoption.dropped) == [
        "Leerfiche 1.3: School · wk 1–3",
        "Leerfiche 1.3: School · wk 1–3 (eigen plan van een leerling)",
    ]
    plan.refresh_from_db()
    own.refresh_from_db()
    assert plan.set_version == newer and own.set_version == newer
    assert list(plan.entries.values_list("leerfiche__version", "leerfiche__key")) == [
        (newer.pk, "leerfiche-1-1")
    ]
    assert list(own.entries.values_list("leerfiche__version", "leerfiche__key")) == [
        (newer.pk, "leerfiche-1-1")
    ]
    history = list(
        AuditEntry.objects.filter(action="plan.adopt", partnership_id=a1.pk).order_by("pk")
    )
    assert len(history) == 2
    assert history[0].changes["set_version"][0] is None
    assert history[1].changes["set_version"][1]["id"] == newer.pk
    assert history[1].changes["dropped_entries"][0] == adoption.dropped


# --- cells -------------------------------------------------------------------------------------


def test_set_cell_replaces_the_cells_places(a1, coord):
    plan = support.adopted(a1)
    period = a1.periods.get(name="Trimester 1")
    fiche = _fiche(plan)
    vestiging = _company_vestiging(a1)
    plans.set_cell(
        plan=plan,
        leerfiche=fiche,
        period=period,
        places=[(PlaceKind.SCHOOL, None, 1, 2), (PlaceKind.COMPANY, vestiging, 2, 6)],
        actor=coord,
    )
    plans.set_cell(
        plan=plan,
        leerfiche=fiche,
        period=period,
        places=[(PlaceKind.TRAINING_CENTRE, None, 3, 3)],
        actor=coord,
    )
    assert list(plan.entries.values_list("place", "week_from", "week_to")) == [
        ("training_centre", 3, 3)
    ]
    entry = AuditEntry.objects.filter(action="plan.cell").latest("pk")
    assert entry.object_label == "Leerfiche 1.1 · Trimester 1"
    assert entry.changes["places"] == [
        ["Bedrijf: Metaalbouw Vandenberghe – Genk · wk 2–6", "School · wk 1–2"],
        ["Opleidingscentrum: Opleidingscentrum Techniek Limburg · wk 3"],
    ]
    plans.set_cell(plan=plan, leerfiche=fiche, period=period, places=[], actor=coord)
    assert not plan.entries.exists()


@pytest.mark.parametrize(
    "places, message",
    [
        ([(PlaceKind.SCHOOL, None, 0, 2)], "tussen 1 en"),
        ([(PlaceKind.SCHOOL, None, 3, 2)], "tussen 1 en"),
        ([(PlaceKind.SCHOOL, None, 1, 99)], "tussen 1 en"),
        ([(PlaceKind.COMPANY, None, 1, 2)], "vestiging"),
        ([(PlaceKind.SCHOOL, None, 1, 2), (PlaceKind.SCHOOL, None, 3, 4)], "twee keer"),
        ([("garage", None, 1, 2)], "Kies een plaats"),
    ],
)
def test_set_cell_refuses_what_does_not_fit(a1, coord, places, message):
    plan = support.adopted(a1)
    with pytest.raises(ValidationError) as error:
        plans.set_cell(
            plan=plan,
            leerfiche=_fiche(plan),
            period=a1.periods.first(),
            places=places,
            actor=coord,
        )
    assert message in " ".join(error.value.messages), error.value.messages
    assert not plan.entries.exists()


def _elsewhere_vestiging(plan, a1_plan):
    vestiging = Vestiging.objects.get(name__startswith="Metaalbouw Vandenberghe")
    return {"places": [(PlaceKind.COMPANY, vestiging, 1, 2)]}


def _training_centre(plan, a1_plan):
    return {"places": [(PlaceKind.TRAINING_CENTRE, None, 1, 2)]}


def _leerfiche_of_another_version(plan, a1_plan):
    return {"leerfiche": _fiche(a1_plan), "places": []}


def _period_of_another_partnership(plan, a1_plan):
    return {"period": a1_plan.partnership.periods.first(), "places": []}


@pytest.mark.parametrize(
    "change, message",
    [
        (_elsewhere_vestiging, "neemt niet deel"),
        (_training_centre, "geen opleidingscentrum"),
        (_leerfiche_of_another_version, ""),
        (_period_of_another_partnership, ""),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_set_cell_accepts_only_the_partnerships_vestigingen_and_training_centre(
    demo_cast, coord, change, message
):
    a2 = support.partnership("A2")  # Koeltechniek Daems, no training centre
    plan = support.adopted(a2)
    a1_plan = support.adopted(support.partnership("A1"))
    arguments = {"plan": plan, "leerfiche": _fiche(plan), "period": a2.periods.first()}
    arguments.update(change(plan, a1_plan))
    with pytest.raises(ValidationError) as error:
        plans.set_cell(**arguments, actor=coord)
    assert message in error.value.messages[0]
    assert not plan.entries.exists()


# --- override ----------------------------------------------------------------------------------


def test_an_own_plan_is_a_copy_edited_apart_and_can_be_dropped(a1, coord):
    plan = support.adopted(a1)
    period = a1.periods.get(name="Trimester 1")
    fiche = _fiche(plan)
    plans.set_cell(
        plan=plan,
        leerfiche=fiche,
        period=period,
        places=[(PlaceKind.SCHOOL, None, 1, 4)],
        actor=coord,
    )
    lotte = Traject.objects.get(student__first_name="Lotte")
    mohamed = Traject.objects.get(student__first_name="Mohamed")
    own = plans.override_for_traject(traject=lotte, actor=coord)
    assert own.traject == lotte and own.set_version == plan.set_version
    assert plans.override_for_traject(traject=lotte, actor=coord) == own
    assert list(own.entries.values_list("place", "week_from", "week_to")) == [("school", 1, 4)]
    plans.set_cell(
        plan=own,
        leerfiche=fiche,
        period=period,
        places=[(PlaceKind.COMPANY, _company_vestiging(a1), 5, 9)],
        actor=coord,
    )
    assert list(plan.entries.values_list("place", flat=True)) == ["school"]
    assert plans.plan_for_traject(lotte) == own
    assert plans.plan_for_traject(mohamed) == plan
    entry = AuditEntry.objects.filter(action="plan.cell").latest("pk")
    assert entry.traject_id == lotte.pk

    assert plans.drop_override(traject=lotte, actor=coord) == 1
    assert plans.plan_for_traject(lotte) == plan
    assert AuditEntry.objects.filter(action="plan.override_drop", traject_id=lotte.pk).exists()
    with pytest.raises(ValidationError):
        plans.drop_override(traject=lotte, actor=coord)


def test_no_own_plan_before_the_partnership_adopts(a1, coord):
    support.clean(a1)
    with pytest.raises(ValidationError):
        plans.override_for_traject(traject=Traject.objects.get(student__first_name="Lotte"))


# --- comments and activiteitenlijst -------------------------------------------------------------


def test_comments_are_checked_and_recorded(a1, demo_cast):
    plan = support.adopted(a1)
    mentor = demo_cast["mentor@vandenberghe.demo"]
    comment = plans.add_comment(
        plan=plan, author=mentor, text="  Hoeklas pas in T2 ", leerfiche_key="leerfiche-1-2"
    )
    assert (comment.text, comment.leerfiche_key) == ("Hoeklas pas in T2", "leerfiche-1-2")
    with pytest.raises(ValidationError) as error:
        plans.add_comment(plan=plan, author=mentor, text="  ")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        plans.add_comment(plan=plan, author=mentor, text="x", leerfiche_key="bestaat-niet")
    assert "leerfiche_key" in error.value.message_dict
    assert PlanComment.objects.filter(plan=plan).count() == 1
    entry = AuditEntry.objects.filter(action="plan.comment").latest("pk")
    assert entry.actor_id == mentor.pk and entry.partnership_id == a1.pk


def test_set_offer_writes_updates_and_clears_a_line(a1, demo_cast):
    coord_x = demo_cast["coord@vandenberghe.demo"]
    vestiging = _company_vestiging(a1)
    plans.set_offer(
        vestiging=vestiging,
        opleiding=a1.opleiding,
        leerfiche_key="leerfiche-1-1",
        offer=Offer.PARTLY,
        note="Enkel staal",
        actor=coord_x,
    )
    plans.set_offer(
        vestiging=vestiging,
        opleiding=a1.opleiding,
        leerfiche_key="leerfiche-1-1",
        offer=Offer.YES,
        note="",
        actor=coord_x,
    )
    line = ActiviteitenlijstEntry.objects.get(leerfiche_key="leerfiche-1-1")
    assert (line.offer, line.note) == ("yes", "")
    assert line.activiteitenlijst.updated_by == coord_x
    entries = AuditEntry.objects.filter(action="activiteitenlijst.set").order_by("pk")
    assert [e.changes["offer"] for e in entries] == [[None, "partly"], ["partly", "yes"]]
    assert entries.last().organisation_label == "Metaalbouw Vandenberghe"
    plans.set_offer(
        vestiging=vestiging,
        opleiding=a1.opleiding,
        leerfiche_key="leerfiche-1-1",
        offer="",
        actor=coord_x,
    )
    assert not ActiviteitenlijstEntry.objects.filter(leerfiche_key="leerfiche-1-1").exists()
    with pytest.raises(ValidationError):
        plans.set_offer(
            vestiging=vestiging,
            opleiding=a1.opleiding,
            leerfiche_key="leerfiche-1-1",
            offer="misschien",
            actor=coord_x,
        )
    school = Organisation.objects.get(name="Technisch Instituut Sint-Jozef")
    school_site = Vestiging.objects.create(
        organisation=school, vestigingsnummer="2999999999", name="Campus"
    )
    assert school.kind == OrganisationKind.SCHOOL
    with pytest.raises(ValidationError):
        plans.set_offer(
            vestiging=school_site,
            opleiding=a1.opleiding,
            leerfiche_key="leerfiche-1-1",
            offer=Offer.YES,
            actor=coord_x,
        )


def test_period_weeks_count_started_weeks():
    period = Period(start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 12, 31))
    assert period.weeks == 18
