"""Demo data of evaluation: a school year in progress (registered with ``duaal.demo``).

Whatever the day of seeding, the demo looks like ten weeks of a running school year, with
dates relative to that day (weekends skipped; only the students' company days):

* **Lotte** and **Mohamed** (A1) evaluate themselves on every company day of the last ten
  weeks (up to yesterday: today is still to fill in) on the leerfiches their opleidingsplan
  schedules at the company that week (the last one scheduled when the plan has none that
  week), progressing from O to V — the student a little ahead of the mentor, so the
  triangulation shows divergences; some days with a note ("wat heb ik vandaag geleerd").
* Their mentors do the weekly check-in of every week whose last company day is over: the
  V/O marks on the week's sessions, the short behaviour check, "Klaar"; now and then sterke
  punten on a session.
* One soft-skill round (the partnership's first period) for each, with LL / M / LK columns
  handed in and divergences (Lotte rates Stiptheid "voldoet", her mentor "voldoet nog niet"),
  the mentor's sterke punten, an afspraak per group with werkpunten, and open werkpunten with
  a concrete example and an afspraak.
* **Emma** (A2) is the at-risk case: a few self-evaluations early on, none in the last two
  weeks (two missed company days: not yet reminded); her mentor's check-ins are done.

So that the demo cast has no evaluation reminder due on the day it is seeded (the reminder
tests count the cast's reminders), the rounds of a period whose end is within two weeks are
filled in too.

Everything goes through the evaluation services (so the audit trail is written), with the
services' optimistic check skipped (``version=None``). Idempotent: when the demo's sessions
are there already, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from duaal import demo
from duaal.demo import DemoReport
from learning.models import Period, SetVersion
from partnerships.models import Placement, Traject

FIRST_NAMES = ("Lotte", "Mohamed", "Emma")
WEEKS = 10
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
# The soft-skill windows of ``evaluation.reminders.rules.SoftSkillsDue``.
ROUND_WINDOW_DAYS = 14

NOTES = (
    "Vandaag geleerd hoe je de slijpschijf wisselt en controleert.",
    "De mentor toonde hoe je de naad proper maakt voor het lassen.",
    "Ik heb zelfstandig de maten gecontroleerd met de schuifmaat.",
    "Moeilijke dag: twee stukken opnieuw moeten doen.",
    "Eerste keer alleen aan de snijtafel gewerkt.",
)
STERKE_PUNTEN = (
    "Werkt nauwkeurig en vraagt hulp als het nodig is.",
    "Houdt de werkplek netjes en denkt aan de veiligheid.",
    "Leert snel uit de feedback van vorige week.",
)
OMSCHRIJVINGEN = ("Onderdelen voor een trapleuning", "Consoles voor een staalstructuur", "")


@dataclass(frozen=True)
class SoftSkillPlan:
    """One student's first round: ratings per column, sterke punten, werkpunten."""

    ratings: dict[str, dict[str, str]]  # evaluator -> {skill: rating}
    strong: tuple[str, ...]
    werkpunten: tuple[tuple[str, str, str, str], ...]  # (skill, text, example, afspraak)
    agreements: dict[str, str]  # group key -> text


BASE = {
    "voorkomen": "meets",
    "stiptheid": "meets",
    "werken-in-teamverband": "meets",
    "afspraken-naleven": "meets",
    "gepast-communiceren": "meets",
    "resultaatsgericht-werken": "meets",
    "doorzettingsvermogen": "meets",
    "respect-voor-materiaal": "meets",
    "veiligheid-milieu": "meets",
    "zelfstandig-werken": "meets",
    "inzet-tonen": "meets",
    "initiatief-nemen": "meets",
    "zelfreflectie": "meets",
    "omgaan-met-feedback": "meets",
    "aanpassingsvermogen": "meets",
    "probleemoplossend-vermogen": "meets",
}


def _ratings(**changes: str) -> dict[str, str]:
    return {**BASE, **{key.replace("_", "-"): value for key, value in changes.items()}}


SOFT_SKILLS = {
    "Lotte": SoftSkillPlan(
        ratings={
            "self": _ratings(inzet_tonen="above", initiatief_nemen="above"),
            "mentor": _ratings(
                stiptheid="not_yet",
                inzet_tonen="above",
                respect_voor_materiaal="above",
                zelfreflectie="not_yet",
            ),
            "teacher": _ratings(stiptheid="not_yet", gepast_communiceren="above"),
        },
        strong=("inzet-tonen", "respect-voor-materiaal"),
        werkpunten=(
            (
                "stiptheid",
                "Op tijd beginnen na de middagpauze",
                "Drie keer in oktober pas om 13.10 uur aan de lastafel.",
                "Lotte zet een wekker om 12.55 uur; de mentor noteert een maand lang het uur.",
            ),
            (
                "zelfreflectie",
                "Eigen werk kritisch nakijken voor het afgeven",
                "Een console met een te korte hoeklas afgegeven zonder die na te meten.",
                "Na elk stuk de lasmeter gebruiken en de maten op de werkbon zetten.",
            ),
        ),
        agreements={
            "respectvol-handelen": "Stiptheid: wekker na de middagpauze, opvolging bij de "
            "weekevaluatie.",
            "leerbereidheid": "Zelfcontrole met de lasmeter voor elk stuk.",
        },
    ),
    "Mohamed": SoftSkillPlan(
        ratings={
            "self": _ratings(veiligheid_milieu="above", werken_in_teamverband="above"),
            "mentor": _ratings(
                veiligheid_milieu="not_yet",
                zelfstandig_werken="above",
                werken_in_teamverband="above",
            ),
            "teacher": _ratings(veiligheid_milieu="not_yet", omgaan_met_feedback="above"),
        },
        strong=("zelfstandig-werken", "werken-in-teamverband"),
        werkpunten=(
            (
                "veiligheid-milieu",
                "Gelaatsscherm altijd dragen bij het slijpen",
                "Op 14 oktober zonder gelaatsscherm aan de haakse slijper gezien.",
                "Scherm hangt aan de slijptafel; de mentor kijkt het elke dag na.",
            ),
        ),
        agreements={
            "professioneel-handelen": "PBM's: gelaatsscherm en handschoenen bij elke "
            "slijpbeurt, dagelijks gecontroleerd.",
        },
    ),
}


def _company_days(placement: Placement, start: dt.date, end: dt.date) -> list[dt.date]:
    """The placement's company days from ``start`` up to ``end`` (included)."""
    days = []
    day = start
    while day <= end:
        if (
            day.weekday() < 5
            and placement.start_date <= day <= placement.end_date
            and getattr(placement, WEEKDAYS[day.weekday()]) == "company"
        ):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class _Schedule:
    """The leerfiches the traject's opleidingsplan places at the company, by week."""

    def __init__(self, traject: Traject, plan_version: SetVersion) -> None:
        from learning.models import Leerfiche, Opleidingsplan, PlanEntry

        plan = Opleidingsplan.objects.filter(
            partnership_id=traject.partnership_id, traject=traject
        ).first() or Opleidingsplan.objects.get(
            partnership_id=traject.partnership_id, traject__isnull=True
        )
        self.ranges: list[tuple[dt.date, dt.date, str]] = []
        for entry in PlanEntry.objects.filter(plan=plan, place="company").select_related(
            "period", "leerfiche"
        ):
            start = entry.period.start_date
            first_monday = start - dt.timedelta(days=start.weekday())
            self.ranges.append(
                (
                    first_monday + dt.timedelta(weeks=entry.week_from - 1),
                    first_monday + dt.timedelta(weeks=entry.week_to) - dt.timedelta(days=1),
                    entry.leerfiche.key,
                )
            )
        self.ranges.sort()
        self.fiches = {
            fiche.key: fiche
            for fiche in Leerfiche.objects.filter(version=plan_version).prefetch_related("criteria")
        }

    def on(self, day: dt.date) -> list[str]:
        """Scheduled that day; else the last ones scheduled before (still practising); else
        the first ones to come."""
        now = sorted({key for start, end, key in self.ranges if start <= day <= end})
        if now:
            return now
        before = [(end, key) for start, end, key in self.ranges if end < day]
        if before:
            last = max(end for end, _key in before)
            return sorted({key for end, key in before if end == last})
        return sorted({key for start, _end, key in self.ranges if start == self.ranges[0][0]})


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _mark(progress: float, threshold: float) -> str:
    return "V" if progress >= threshold else "O"


class _Student:
    """One demo student's traject as seen by the student and by the mentor."""

    def __init__(self, first_name: str, today: dt.date) -> None:
        from accounts.models import User
        from learning.selectors.traject_leerfiches import adopted_version
        from partnerships import permissions

        base = Traject.objects.select_related("student__user", "partnership").get(
            student__first_name=first_name,
            partnership__school__name="Technisch Instituut Sint-Jozef",
        )
        self.name = first_name
        self.placement = (
            Placement.objects.filter(traject=base)
            .order_by("start_date")
            .prefetch_related("supervisors__user")
        ).first()
        self.student = base.student.user
        self.mentor = next(s.user for s in self.placement.supervisors.all() if s.kind == "mentor")
        self.teacher = (
            User.objects.filter(
                team_roles__partnership=base.partnership, team_roles__role="leerkracht"
            )
            .order_by("email")
            .first()
        )
        self.version = adopted_version(traject=base)
        self.as_user = {}
        for user in filter(None, (self.student, self.mentor, self.teacher)):
            traject = Traject.objects.select_related("student", "partnership").get(pk=base.pk)
            traject.evaluator_roles = permissions.evaluator_roles(user=user, traject=traject)
            self.as_user[user.pk] = traject
        self.traject = base
        self.schedule = _Schedule(base, self.version) if self.version else None
        self.rng = random.Random(f"demo-{first_name}")  # noqa: S311 - demo data
        self.today = today


def _sessions(student: _Student, *, days: list[dt.date], self_days: set[dt.date]) -> dict:
    """Open a session per company day (the scheduled leerfiche, rotating), with the
    student's column on ``self_days``. Returns {day: session}."""
    from evaluation.services import sheets

    rng = student.rng
    as_student = student.as_user[student.student.pk]
    practised: dict[str, int] = {}
    total: dict[str, int] = {}
    chosen: list[tuple[dt.date, str]] = []
    for index, day in enumerate(days):
        keys = student.schedule.on(day)
        key = keys[index % len(keys)]
        chosen.append((day, key))
        total[key] = total.get(key, 0) + 1
    # Per criterion, the share of its practice after which it is reached.
    thresholds: dict[tuple[str, str], float] = {}
    sessions = {}
    for day, key in chosen:
        fiche = student.schedule.fiches[key]
        practised[key] = practised.get(key, 0) + 1
        progress = practised[key] / (total[key] + 1)
        actor = student.student if day in self_days else student.mentor
        session = sheets.open_session(
            actor=actor,
            traject=student.as_user[actor.pk],
            leerfiche=fiche,
            on=day,
            today=student.today,
        )
        sessions[day] = (session, fiche, progress)
        if day not in self_days:
            continue
        marks = {}
        for criterion in fiche.criteria.all():
            threshold = thresholds.setdefault((key, criterion.key), rng.uniform(0.15, 0.8))
            # The student rates a little ahead of the mentor (triangulation divergences).
            marks[criterion.key] = _mark(progress + 0.12, threshold)
        sheets.rate(
            actor=student.student,
            traject=as_student,
            session=session,
            evaluator="self",
            marks=marks,
            version=None,
            submit=True,
            now=_at(day, 17),
        )
        values = {}
        if rng.random() < 0.3:
            values["student_note"] = rng.choice(NOTES)
        if key in ("geintegreerde-lasopdracht", "hoeklas-pb", "stompe-las-pa"):
            values["metal"] = rng.choice(["staal", "staal", "rvs", "alu"])
        if values:
            sheets.update_session(
                actor=student.student,
                traject=as_student,
                session=session,
                version=session.version,
                **values,
            )
    student.thresholds = thresholds
    return sessions


def _checkins(student: _Student, *, sessions: dict, weeks: list[dt.date]) -> int:
    """The mentor's check-in of each week whose last company day is over: marks on the
    week's last session of each leerfiche, the behaviour check, done."""
    from evaluation.services import checkins, sheets
    from evaluation.skills import WEEKLY_SKILLS

    rng = student.rng
    traject = student.as_user[student.mentor.pk]
    done = 0
    last_week = max(
        (
            monday
            for monday in weeks
            if (days := _company_days(student.placement, monday, monday + dt.timedelta(days=4)))
            and max(days) < student.today
        ),
        default=None,
    )
    for monday in weeks:
        week = [day for day in sessions if monday <= day < monday + dt.timedelta(days=7)]
        scheduled = _company_days(student.placement, monday, monday + dt.timedelta(days=4))
        if not week or not scheduled or max(scheduled) >= student.today:
            continue
        last_of_fiche: dict[str, dt.date] = {}
        for day in sorted(week):
            last_of_fiche[sessions[day][1].key] = day
        friday = max(week)
        for key, day in last_of_fiche.items():
            session, fiche, progress = sessions[day]
            marks = {
                criterion.key: _mark(
                    progress - 0.05,
                    student.thresholds.get((key, criterion.key), rng.uniform(0.15, 0.8)),
                )
                for criterion in fiche.criteria.all()
            }
            if monday == last_week:
                # The mentor does not (yet) agree on one criterion the student calls reached:
                # the divergence the teacher's triangulation shows.
                own = dict(
                    session.evaluations.filter(evaluator="self").values_list(
                        "scores__criterion_key", "scores__mark"
                    )
                )
                agreed = [key for key, mark in marks.items() if mark == own.get(key) == "V"]
                if agreed:
                    marks[agreed[0]] = "O"
            sheets.rate(
                actor=student.mentor,
                traject=traject,
                session=session,
                evaluator="mentor",
                marks=marks,
                version=None,
                submit=True,
                now=_at(friday, 16),
            )
            if rng.random() < 0.25:
                sheets.update_session(
                    actor=student.mentor,
                    traject=traject,
                    session=session,
                    version=type(session).objects.get(pk=session.pk).version,
                    sterke_punten=rng.choice(STERKE_PUNTEN),
                )
        behaviour = {
            skill: rng.choice(["meets", "meets", "meets", "above", "not_yet"])
            for skill in WEEKLY_SKILLS
        }
        if student.name == "Lotte":
            behaviour["stiptheid"] = rng.choice(["not_yet", "meets"])
        checkins.save_checkin(
            actor=student.mentor,
            traject=traject,
            week_start=monday,
            version=None,
            behaviour=behaviour,
            done=True,
            today=student.today,
            now=_at(friday, 16),
        )
        done += 1
    return done


def _round(student: _Student, period: Period, plan: SoftSkillPlan | None, *, on: dt.date) -> None:
    """The soft-skill round of ``period``: LL, M and LK columns handed in; with ``plan`` its
    divergences, sterke punten, werkpunten and afspraken."""
    from evaluation.services import softskills, werkpunten

    mentor_traject = student.as_user[student.mentor.pk]
    round_ = softskills.open_round(actor=student.mentor, traject=mentor_traject, period=period)
    ratings = plan.ratings if plan else {"self": BASE, "mentor": BASE, "teacher": BASE}
    for evaluator, actor in (
        ("self", student.student),
        ("mentor", student.mentor),
        ("teacher", student.teacher),
    ):
        if actor is None:
            continue
        softskills.rate_soft_skills(
            actor=actor,
            traject=student.as_user[actor.pk],
            round=round_,
            evaluator=evaluator,
            ratings=ratings[evaluator],
            strong=dict.fromkeys(plan.strong, True) if plan and evaluator == "mentor" else None,
            version=None,
            submit=True,
            now=_at(on, 15),
        )
    if plan is None:
        return
    for skill, text, example, afspraak in plan.werkpunten:
        werkpunten.open_werkpunt(
            actor=student.mentor,
            traject=mentor_traject,
            text=text,
            example=example,
            afspraak=afspraak,
            skill_key=skill,
            soft_skill_round=round_,
            on=on,
        )
    for group, text in plan.agreements.items():
        softskills.set_agreement(
            actor=student.mentor, traject=mentor_traject, round=round_, group_key=group, text=text
        )


def _behaviour_checkins(*, today: dt.date, weeks: list[dt.date]) -> int:
    """Jonas (B1, no opleidingsplan yet: nothing to rate per criterion): his mentor's weekly
    behaviour check of every week whose last company day is over."""
    from evaluation.services import checkins
    from evaluation.skills import WEEKLY_SKILLS
    from partnerships import permissions

    traject = Traject.objects.filter(student__first_name="Jonas").first()
    placement = traject and Placement.objects.filter(traject=traject).order_by("start_date").first()
    if traject is None or placement is None:
        return 0
    supervisor = placement.supervisors.filter(kind="mentor").select_related("user").first()
    if supervisor is None:
        return 0
    mentor = supervisor.user
    seen = permissions.get_traject_for_evaluation(user=mentor, public_id=traject.public_id)
    rng = random.Random("demo-Jonas")  # noqa: S311 - demo data
    done = 0
    for monday in weeks:
        days = _company_days(placement, monday, monday + dt.timedelta(days=4))
        if not days or max(days) >= today:
            continue
        checkins.save_checkin(
            actor=mentor,
            traject=seen,
            week_start=monday,
            version=None,
            behaviour={skill: rng.choice(["meets", "meets", "above"]) for skill in WEEKLY_SKILLS},
            done=True,
            today=today,
            now=_at(max(days), 16),
        )
        done += 1
    return done


def seed_school_year(today: dt.date | None = None) -> str:
    from evaluation.models import Session

    today = today or timezone.localdate()
    if Session.objects.filter(
        traject__student__first_name__in=FIRST_NAMES,
        traject__partnership__school__name="Technisch Instituut Sint-Jozef",
    ).exists():
        return "Evaluaties: het schooljaar stond er al."
    this_monday = today - dt.timedelta(days=today.weekday())
    first_monday = this_monday - dt.timedelta(weeks=WEEKS - 1)
    weeks = [first_monday + dt.timedelta(weeks=n) for n in range(WEEKS)]
    yesterday = today - dt.timedelta(days=1)
    counts = {"sessions": 0, "checkins": 0, "rounds": 0}
    for name in FIRST_NAMES:
        student = _Student(name, today)
        if student.schedule is None or student.student is None:
            continue  # no opleidingsplan adopted (learning.plans did not run)
        days = _company_days(student.placement, first_monday, yesterday)
        if not days:
            continue
        if name == "Emma":
            # At risk: a few self-evaluations in the first weeks, none on her last two
            # company days (the reminder comes after the third).
            early = days[:-2]
            self_days = {day for i, day in enumerate(early) if i % 2 == 0}
            if early:
                self_days.add(early[-1])
        else:
            self_days = set(days)
        sessions = _sessions(student, days=days, self_days=self_days)
        counts["sessions"] += len(sessions)
        counts["checkins"] += _checkins(student, sessions=sessions, weeks=weeks)
        periods = list(
            Period.objects.filter(partnership_id=student.traject.partnership_id).order_by(
                "order", "start_date"
            )
        )
        for index, period in enumerate(periods):
            in_window = (
                period.start_date <= today <= period.end_date
                and (period.end_date - today).days <= ROUND_WINDOW_DAYS
            )
            if index == 0 and name in SOFT_SKILLS:
                on = min(yesterday, period.end_date, max(days[len(days) // 2], period.start_date))
                _round(student, period, SOFT_SKILLS[name], on=on)
            elif in_window:
                _round(student, period, None, on=yesterday)
            else:
                continue
            counts["rounds"] += 1
    counts["checkins"] += _behaviour_checkins(today=today, weeks=weeks)
    return (
        f"Evaluaties: {counts['sessions']} oefenmomenten, {counts['checkins']} weekevaluaties, "
        f"{counts['rounds']} soft-skillevaluaties (tien weken tot {today:%d/%m/%Y})."
    )


@demo.register("evaluation.school_year", after=["partnerships.partnerships", "learning.plans"])
def school_year(*, password: str) -> DemoReport:
    return DemoReport(summary=seed_school_year())
