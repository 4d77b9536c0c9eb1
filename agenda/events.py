"""Agenda events: the school, company and training-centre days of placements.

Events are all-day (DATE values), so no time zone is involved. Which placements appear is
decided by ``partnerships.permissions.trajects_visible_to`` at the moment of the request:
a role taken away today disappears from the feed at the next fetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agenda.holidays import is_public_holiday
from partnerships.models import Placement, StudentContact, TrajectStatus, WeekdayPlace
from partnerships.permissions import trajects_visible_to

# The feed covers a month back (recent history) and half a year ahead: small enough for
# calendar apps that refetch it every few hours.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 180
WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday")


@dataclass(frozen=True)
class AgendaEvent:
    """One all-day event. ``uid`` is stable, so calendar apps update instead of duplicating."""

    uid: str
    day: date
    kind: str
    summary: str
    location: str = ""
    description: str = ""
    path: str = ""  # a page of the application about the event, made absolute by the feed


def feed_window(today: date | None = None) -> tuple[date, date]:
    """First and last day (inclusive) that a feed covers."""
    today = today or timezone.localdate()
    return today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD)


def agenda_placements(*, user: User, start: date, end: date) -> QuerySet[Placement]:
    """Placements overlapping [start, end] of the trajects ``user`` may see now.

    Stopped trajects are left out: the student no longer goes to the company. Each placement
    carries ``is_own`` (the user is the student) and ``is_parent`` (the user is a parent or
    guardian of the student); everyone else who sees the traject is a member of its team.
    One query, whatever the number of placements.
    """
    return (
        Placement.objects.filter(
            traject__in=trajects_visible_to(user=user),
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
