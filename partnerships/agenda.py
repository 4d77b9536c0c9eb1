"""The agenda events of partnerships (plug-in of the agenda engine, ``agenda``).

Two providers over the placements of the trajects a person may see now
(``permissions.trajects_visible_to``): the school, company and training-centre days of each
placement, and, for team members, the start and end of each placement.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from agenda.events import AgendaEvent
from agenda.holidays import is_public_holiday
from agenda.registry import register_audience, register_provider
from duaal.homes import Viewer
from partnerships import homes, permissions
from partnerships.models import Placement, StudentContact, TrajectStatus, WeekdayPlace

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def agenda_placements(*, user: User, start: date, end: date) -> QuerySet[Placement]:
    """Placements overlapping [start, end] of the trajects ``user`` may see now.

    Stopped trajects are left out: the student no longer goes to the company. Each placement
    carries ``is_parent`` (the user is a parent or guardian of the student); the student is
    ``traject.student.user``; everyone else who sees the traject is a member of its team.
    One query, whatever the number of placements.
    """
    return (
        Placement.objects.filter(
            traject__in=permissions.trajects_visible_to(user=user),
            start_date__lte=end,
            end_date__gte=start,
        )
        .exclude(traject__status=TrajectStatus.STOPPED)
        .annotate(
            is_parent=Exists(
                StudentContact.objects.filter(student_id=OuterRef("traject__student_id"), user=user)
            )
        )
        .select_related(
            "company",
            "vestiging",
            "traject__student",
            "traject__partnership__school",
            "traject__partnership__training_centre",
        )
        .order_by("start_date", "pk")
    )


def vestiging_address(placement: Placement) -> str:
    vestiging = placement.vestiging
    town = f"{vestiging.postcode} {vestiging.city}".strip()
    return ", ".join(part for part in (vestiging.name, vestiging.street, town) if part)


def _own_summary(placement: Placement, place: str) -> str:
    partnership = placement.traject.partnership
    if place == WeekdayPlace.COMPANY:
        return _("Company day – %(company)s") % {"company": placement.company.name}
    if place == WeekdayPlace.SCHOOL:
        return _("School day – %(school)s") % {"school": partnership.school.name}
    if partnership.training_centre:
        return _("Training centre – %(centre)s") % {"centre": partnership.training_centre.name}
    return _("Training centre day")


def _named_summary(placement: Placement, place: str) -> str:
    partnership = placement.traject.partnership
    student = placement.traject.student.full_name
    if place == WeekdayPlace.COMPANY:
        return _("%(student)s: company day (%(company)s)") % {
            "student": student,
            "company": placement.company.name,
        }
    if place == WeekdayPlace.SCHOOL:
        return _("%(student)s: school day (%(school)s)") % {
            "student": student,
            "school": partnership.school.name,
        }
    if partnership.training_centre:
        return _("%(student)s: training centre (%(centre)s)") % {
            "student": student,
            "centre": partnership.training_centre.name,
        }
    return _("%(student)s: training centre day") % {"student": student}


@register_provider("partnerships.placement_days")
def placement_day_events(*, user: User, start: date, end: date) -> list[AgendaEvent]:
    """One event per weekday of each visible placement, by its weekly pattern, in [start, end].

    Free days and Belgian public holidays are skipped. Flemish school holidays are not
    subtracted: during holidays a student may work full weeks at the company (DOMAIN.md), and
    the placement does not record that agreement yet, so the feed does not guess.

    The student sees "Company day – <company>"; parents (who may have more than one child)
    and team members see the student's name in every event.
    """
    events: list[AgendaEvent] = []
    for placement in agenda_placements(user=user, start=start, end=end):
        own = placement.traject.student.user_id == user.pk
        summary = _own_summary if own else _named_summary
        pattern = [getattr(placement, field) for field in WEEKDAY_FIELDS]
        path = reverse("partnerships:traject_detail", args=[placement.traject.public_id])
        address = vestiging_address(placement)
        cache: dict[str, str] = {}
        day = max(start, placement.start_date)
        last = min(end, placement.end_date)
        while day <= last:
            weekday = day.weekday()
            if weekday < 5 and pattern[weekday] != WeekdayPlace.FREE and not is_public_holiday(day):
                place = pattern[weekday]
                if place not in cache:
                    cache[place] = summary(placement, place)
                events.append(
                    AgendaEvent(
                        uid=f"{place}-{placement.public_id}-{day:%Y%m%d}@duaal",
                        day=day,
                        kind=place,
                        summary=cache[place],
                        location=address if place == WeekdayPlace.COMPANY else "",
                        path=path,
                    )
                )
            day += timedelta(days=1)
    return events


@register_provider("partnerships.placement_deadlines")
def placement_deadlines(*, user: User, start: date, end: date) -> list[AgendaEvent]:
    """Start and end of the placements of the students the user follows as a team member.

    Students and parents get their days instead (``placement_day_events``).
    """
    placements = (
        agenda_placements(user=user, start=start, end=end)
        .filter(Q(start_date__gte=start) | Q(end_date__lte=end))
        .exclude(traject__student__user=user)
        .filter(is_parent=False)
    )
    events: list[AgendaEvent] = []
    for placement in placements:
        names = {"student": placement.traject.student.full_name, "company": placement.company.name}
        path = reverse("partnerships:traject_detail", args=[placement.traject.public_id])
        if start <= placement.start_date <= end:
            events.append(
                AgendaEvent(
                    uid=f"placement-start-{placement.public_id}@duaal",
                    day=placement.start_date,
                    kind="placement_start",
                    summary=_("Start of placement: %(student)s (%(company)s)") % names,
                    path=path,
                )
            )
        if start <= placement.end_date <= end:
            events.append(
                AgendaEvent(
                    uid=f"placement-end-{placement.public_id}@duaal",
                    day=placement.end_date,
                    kind="placement_end",
                    summary=_("End of placement: %(student)s (%(company)s)") % names,
                    path=path,
                )
            )
    return events


@register_audience("partnerships.trajects")
def sees_placements(viewer: Viewer) -> bool:
    """Both providers are about the placements of trajects the viewer sees: the agenda is
    for whoever sees a traject (shares the menu's answers, no query of its own)."""
    return homes.sees_others_trajects(viewer) or bool(homes.family_links(viewer))
