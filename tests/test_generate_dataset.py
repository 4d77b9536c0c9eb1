"""``generate_dataset``: deterministic, valid identifiers, the mentor limit, the access model."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from accounts.models import User
from devtools.management.commands.generate_dataset import (
    GENERATED_EMAIL_SUFFIX,
    GENERATED_NAME_PREFIX,
)
from learning.models import ActiviteitenlijstEntry, Opleidingsplan, PlanEntry
from learning.selectors.coverage import plan_coverage
from organisations.identifiers import normalize_ondernemingsnummer, normalize_vestigingsnummer
from organisations.models import Membership, Organisation, Vestiging
from partnerships import permissions
from partnerships.models import (
    Partnership,
    PartnershipCompany,
    Placement,
    PlacementSupervisor,
    RaciCell,
    Student,
    TeamMember,
    TeamRole,
    Traject,
    TrajectUserObjectPermission,
)
from partnerships.selectors.mentors import mentor_may_take, mentor_peak_load

pytestmark = pytest.mark.django_db

YEAR = 2026
GEN = GENERATED_NAME_PREFIX


def _generate(*extra: str) -> str:
    out = io.StringIO()
    call_command(
        "generate_dataset",
        "--students",
        "60",
        "--seed",
        "1",
        "--year",
        str(YEAR),
        # The school year of evaluations has its own tests below (the rest stays quick).
        *(extra if "--evaluations" in extra else ("--no-evaluations", *extra)),
        stdout=out,
    )
    return out.getvalue()


def _snapshot() -> tuple:
    """Names and structure, without database ids or random public ids."""
    return (
        sorted(
            Organisation.objects.filter(name__startswith=GENERATED_NAME_PREFIX).values_list(
                "name", "kind", "ondernemingsnummer", "instellingsnummer", "email_domain"
            )
        ),
        sorted(
            Vestiging.objects.filter(organisation__name__startswith=GEN).values_list(
                "vestigingsnummer", "name", "organisation__name"
            )
        ),
        sorted(
            User.objects.filter(email__endswith=GENERATED_EMAIL_SUFFIX).values_list(
                "email", "full_name"
            )
        ),
        sorted(
            Membership.objects.filter(user__email__endswith=GENERATED_EMAIL_SUFFIX).values_list(
                "user__email", "organisation__name", "is_admin", "job_title"
            )
        ),
        sorted(
            Partnership.objects.filter(school__name__startswith=GEN).values_list(
                "name", "school__name", "training_centre__name", "opleiding__code", "school_year"
            ),
            key=str,
        ),
        sorted(
            PartnershipCompany.objects.filter(
                partnership__school__name__startswith=GEN
            ).values_list("partnership__name", "partnership__school__name", "company__name")
        ),
        sorted(
            TeamMember.objects.filter(partnership__school__name__startswith=GEN).values_list(
                "partnership__name", "partnership__school__name", "user__email", "role"
            )
        ),
        sorted(
            Student.objects.filter(school__name__startswith=GEN).values_list(
                "stamnummer", "first_name", "last_name", "birth_date", "school_class__name", "email"
            )
        ),
        sorted(
            Traject.objects.filter(partnership__school__name__startswith=GEN).values_list(
                "student__stamnummer", "partnership__name", "status", "klassenraad_advice"
            )
        ),
        sorted(
            Placement.objects.filter(company__name__startswith=GEN).values_list(
                "traject__student__stamnummer",
                "company__name",
                "vestiging__vestigingsnummer",
                "start_date",
                "end_date",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "workplace_hours_per_week",
            )
        ),
        sorted(
            PlacementSupervisor.objects.filter(
                placement__company__name__startswith=GEN
            ).values_list(
                "placement__traject__student__stamnummer",
                "placement__start_date",
                "user__email",
                "kind",
            )
        ),
        TrajectUserObjectPermission.objects.filter(
            user__email__endswith=GENERATED_EMAIL_SUFFIX
        ).count(),
        sorted(
            PlanEntry.objects.filter(plan__partnership__school__name__startswith=GEN).values_list(
                "plan__partnership__name",
                "plan__partnership__school__name",
                "leerfiche__key",
                "period__name",
                "place",
                "vestiging__vestigingsnummer",
                "week_from",
                "week_to",
            ),
            key=str,
        ),
        sorted(
            ActiviteitenlijstEntry.objects.filter(
                activiteitenlijst__vestiging__organisation__name__startswith=GEN
            ).values_list(
                "activiteitenlijst__vestiging__vestigingsnummer",
                "activiteitenlijst__opleiding__code",
                "leerfiche_key",
                "offer",
            )
        ),
    )


def test_generation_is_deterministic_and_reset_replaces_only_generated_data(demo_cast):
    demo_users = set(User.objects.values_list("email", flat=True))
    output = _generate()
    assert "Generated data set" in output and "trajects" in output  # the summary
    first = _snapshot()
    assert len(first[7]) == 60  # students
    assert len(first[8]) == 60  # one traject each

    with pytest.raises(CommandError, match="--reset"):
        _generate()

    _generate("--reset")
    assert _snapshot() == first
    # The demo cast is untouched by --reset.
    assert demo_users <= set(User.objects.values_list("email", flat=True))
    assert Partnership.objects.filter(school__name="Technisch Instituut Sint-Jozef").count() == 2


def test_another_seed_gives_another_data_set():
    _generate()
    first = _snapshot()
    call_command(
        "generate_dataset", "--students", "60", "--seed", "2", "--year", str(YEAR), "--reset",
        "--no-evaluations", stdout=io.StringIO(),
    )  # fmt: skip
    assert _snapshot() != first


def test_the_data_set_is_complete_and_valid():
    _generate()
    companies = Organisation.objects.filter(kind="company", name__startswith=GENERATED_NAME_PREFIX)
    assert companies.exists()
    numbers = list(
        Organisation.objects.filter(name__startswith=GENERATED_NAME_PREFIX)
        .exclude(ondernemingsnummer="")
        .values_list("ondernemingsnummer", flat=True)
    )
    assert len(numbers) == len(set(numbers)) >= companies.count()
    for number in numbers:
        assert normalize_ondernemingsnummer(number) == number
    vestigingen = list(
        Vestiging.objects.filter(organisation__in=companies).values_list(
            "vestigingsnummer", flat=True
        )
    )
    assert len(vestigingen) == len(set(vestigingen)) >= companies.count()
    for number in vestigingen:
        assert normalize_vestigingsnummer(number) == number

    for partnership in Partnership.objects.all():
        assert 1 <= partnership.companies.count() <= 3
        assert RaciCell.objects.filter(partnership=partnership).exists()
        roles = set(partnership.team.values_list("role", flat=True))
        assert {
            TeamRole.TRAJECTBEGELEIDER,
            TeamRole.LEERKRACHT,
            TeamRole.COORDINATOR_SCHOOL,
            TeamRole.DIRECTIE_SCHOOL,
            TeamRole.COORDINATOR_BEDRIJF,
            TeamRole.DIRECTIE_BEDRIJF,
            TeamRole.MENTOR,
        } <= roles
        if partnership.training_centre_id:
            assert TeamRole.OPLEIDINGSCENTRUM in roles
        first, last = partnership.school_year_bounds
        for placement in Placement.objects.filter(traject__partnership=partnership):
            assert first <= placement.start_date <= placement.end_date <= last
            assert partnership.companies.filter(
                company=placement.company_id, vestiging=placement.vestiging_id
            ).exists()
    # Every team member works for the organisation on their side.
    for member in TeamMember.objects.all():
        assert Membership.objects.filter(
            user_id=member.user_id, organisation_id=member.organisation_id
        ).exists()
    # Every mentor of a placement works at the placement's company and is in the team.
    for supervisor in PlacementSupervisor.objects.select_related("placement__traject"):
        assert Membership.objects.filter(
            user_id=supervisor.user_id, organisation_id=supervisor.placement.company_id
        ).exists()
        assert TeamMember.objects.filter(
            partnership_id=supervisor.placement.traject.partnership_id,
            user_id=supervisor.user_id,
            role=supervisor.kind,
        ).exists()


def test_no_mentor_guides_more_than_three_students_at_the_same_time():
    _generate()
    mentored = PlacementSupervisor.objects.filter(kind="mentor").select_related("placement", "user")
    assert mentored.exists()
    for supervisor in mentored:
        placement = supervisor.placement
        # What placement_create checks before it assigns a mentor: the other students the
        # mentor guides during this placement's period, plus this one.
        load = mentor_peak_load(
            mentor=supervisor.user,
            start=placement.start_date,
            end=placement.end_date,
            exclude_traject_id=placement.traject_id,
        )
        assert load + 1 <= 3, supervisor.user.email


def test_every_generated_placement_is_recognised_and_its_mentor_eligible():
    """What placement_create checks (issue 12): the vestiging recognised for the opleiding
    over the whole placement, the mentor eligible, within the limit."""
    _generate()
    mentored = PlacementSupervisor.objects.filter(kind="mentor").select_related(
        "placement__traject__partnership__opleiding",
        "placement__vestiging",
        "placement__company",
        "user",
    )
    assert mentored.exists()
    for supervisor in mentored:
        assert mentor_may_take(supervisor.user, supervisor.placement) == [], supervisor.user.email


def test_a_generated_company_coordinator_sees_exactly_the_trajects_placed_in_the_company():
    _generate()
    coordinators = TeamMember.objects.filter(role=TeamRole.COORDINATOR_BEDRIJF).values_list(
        "user_id", "organisation_id"
    )
    assert coordinators
    seen_someone = False
    for user_id, company_id in set(coordinators):
        user = User.objects.get(pk=user_id)
        placed = set(
            Traject.objects.filter(placements__company_id=company_id).values_list("pk", flat=True)
        )
        visible = set(permissions.trajects_visible_to(user=user).values_list("pk", flat=True))
        assert visible == placed, user.email
        seen_someone |= bool(visible)
    assert seen_someone


def test_every_generated_partnership_has_an_opleidingsplan_of_sixty_leerfiches():
    _generate()
    partnerships = Partnership.objects.filter(school__name__startswith=GEN)
    plans = Opleidingsplan.objects.filter(partnership__in=partnerships).select_related(
        "partnership__school", "partnership__training_centre", "set_version__leerfiche_set"
    )
    assert plans.count() == partnerships.count() > 0
    for plan in plans:
        assert plan.set_version.is_published
        assert plan.set_version.leerfiche_set.opleiding_id == plan.partnership.opleiding_id
        coverage = plan_coverage(plan=plan)
        assert coverage.leerfiches == 60
        assert [period.name for period in coverage.periods] == [
            "Trimester 1",
            "Trimester 2",
            "Trimester 3",
        ]
        # school, every company vestiging, the training centre if any, gesimuleerd
        companies = plan.partnership.companies.count()
        assert len(coverage.places) == 2 + companies + bool(plan.partnership.training_centre_id)
        assert coverage.entries >= 60
        assert len(coverage.untaught) < 10


# --- a school year of evaluations (issue 10) ----------------------------------------------


def _generate_evaluations(students: int = 12, seed: int = 1, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "generate_dataset",
        "--students", str(students), "--seed", str(seed), "--year", str(YEAR), "--evaluations",
        *extra, stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_a_school_year_of_evaluations():
    from evaluation.models import CriterionScore, Evaluation, Session, WeeklyCheckin
    from evaluation.selectors.marks import latest_marks

    output = _generate_evaluations()
    assert "criterion scores" in output
    placed = Traject.objects.filter(
        partnership__school__name__startswith=GEN, placements__isnull=False
    ).distinct()
    sessions = Session.objects.filter(traject__in=placed)
    assert sessions.exists()
    # Only on company days of a placement of the traject, with a leerfiche of its plan.
    for session in sessions.select_related("traject", "leerfiche")[:400]:
        day = ("monday", "tuesday", "wednesday", "thursday", "friday")[session.date.weekday()]
        assert any(
            getattr(p, day) == "company" and p.start_date <= session.date <= p.end_date
            for p in session.traject.placements.all()
        )
        assert PlanEntry.objects.filter(
            plan__partnership=session.traject.partnership_id,
            leerfiche=session.leerfiche,
            place="company",
        ).exists()
    # Columns: the student's own on every session, by the student; the mentor's by a mentor
    # of the traject; three criteria each, of the session's leerfiche.
    columns = Evaluation.objects.filter(session__in=sessions)
    assert columns.filter(evaluator="self").count() == sessions.count()
    for column in columns.select_related("session__traject__student")[:300]:
        if column.evaluator == "self":
            assert column.author_id == column.session.traject.student.user_id
        elif column.evaluator == "mentor":
            assert PlacementSupervisor.objects.filter(
                placement__traject=column.session.traject_id, user=column.author_id
            ).exists()
    scores = CriterionScore.objects.filter(evaluation__in=columns)
    assert scores.count() == 3 * columns.count()
    assert not scores.exclude(
        criterion__leerfiche_id=models.F("evaluation__session__leerfiche_id")
    ).exists()
    # About 1 200 scores per student (≈ 6 million for 5 000).
    assert (
        700
        <= scores.count()
        / Traject.objects.filter(partnership__school__name__startswith=GEN).count()
        <= 1700
    )
    # From O to V over the year.
    first = scores.filter(evaluation__session__date__lt=date(YEAR, 11, 1))
    last = scores.filter(evaluation__session__date__gt=date(YEAR + 1, 4, 1))
    assert first.filter(mark="V").count() / first.count() < (
        last.filter(mark="V").count() / last.count()
    )
    # A check-in per traject and week at most, done by a mentor.
    checkins = WeeklyCheckin.objects.filter(traject__in=placed)
    assert checkins.exists() and not checkins.filter(done_at__isnull=True).exists()
    assert {c.week_start.weekday() for c in checkins} == {0}
    assert latest_marks(traject_ids=list(placed.values_list("pk", flat=True)[:3]))


def test_the_data_set_is_reused_while_seed_and_size_are_unchanged():
    from evaluation.models import CriterionScore, Session

    _generate_evaluations(8, 1, "--reuse")
    first = (_snapshot(), Session.objects.count(), CriterionScore.objects.count())
    ids = set(Session.objects.values_list("pk", flat=True))
    assert "Reusing" in _generate_evaluations(8, 1, "--reuse")
    assert set(Session.objects.values_list("pk", flat=True)) == ids  # not rebuilt
    # Another seed replaces it (and only it); the same one again gives the same data set.
    assert "Reusing" not in _generate_evaluations(8, 2, "--reuse")
    assert _snapshot() != first[0]
    _generate_evaluations(8, 1, "--reuse")
    assert (_snapshot(), Session.objects.count(), CriterionScore.objects.count()) == first
    # --reset removes the evaluations with the rest.
    _generate("--reset")
    assert not Session.objects.exists() and not CriterionScore.objects.exists()


def test_every_placement_has_its_contract_with_parties_signatures_and_checklist():
    from contracts.checklist import item_specs
    from contracts.models import ChecklistItem, Contract, ContractState, Signature

    _generate()
    placements = Placement.objects.filter(traject__partnership__school__name__startswith=GEN)
    contracts = Contract.objects.filter(traject__partnership__school__name__startswith=GEN)
    assert contracts.count() == placements.count() > 0
    for placement in placements:
        contract = contracts.get(traject=placement.traject_id, company=placement.company_id)
        assert (contract.vestiging_id, contract.start_date, contract.end_date) == (
            placement.vestiging_id,
            placement.start_date,
            placement.end_date,
        )
        assert contract.contract_type == (
            "OAO" if placement.workplace_hours_per_week >= 20 else "SOAO"
        )
    states = set(contracts.values_list("state", flat=True))
    assert {ContractState.RUNNING, ContractState.CONCEPT} <= states
    for contract in contracts.select_related("traject__student"):
        roles = sorted(contract.parties.values_list("role", flat=True))
        assert {"company", "school", "student"} <= set(roles)
        signed = contract.state not in {ContractState.CONCEPT, ContractState.TO_SIGN}
        signatures = Signature.objects.filter(contract=contract).count()
        assert signatures == len(roles) if signed else signatures < len(roles)
        codes = list(ChecklistItem.objects.filter(contract=contract).values_list("code", flat=True))
        assert sorted(codes) == sorted(spec.code for spec in item_specs(contract))
        registered = ChecklistItem.objects.get(contract=contract, code="registered")
        assert (registered.done_on is not None) == bool(contract.registration_reference)


def test_the_generated_recognitions_are_the_generated_sector_bodys_with_a_consultant():
    from recognition.models import Recognition

    _generate()
    sector = Organisation.objects.get(kind="sector_body", name__startswith=GEN)
    recognitions = Recognition.objects.filter(company__name__startswith=GEN)
    assert recognitions.exists()
    assert set(recognitions.values_list("sector_body", flat=True)) == {sector.pk}
    consultant = User.objects.get(email=f"consulent@{sector.email_domain}")
    assert permissions.sector_bodies_of(user=consultant) == [sector]
    assert permissions.recognition_inbox_of(user=consultant).count() == recognitions.count()
