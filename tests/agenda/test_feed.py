"""The iCal feed: token checks, the events each member of the cast gets, and the query count.

The feed's URL is public (the secret is the authentication); its content is exactly what the
feed's owner may see at the moment of the request.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from accounts.models import User
from agenda import selectors, services
from agenda.models import CalendarFeed
from agenda.tokens import hash_feed_secret
from partnerships.models import Placement, TeamMember, Traject, TrajectStatus
from partnerships.services.partnerships import team_member_remove

pytestmark = pytest.mark.django_db


def fetch(client, path: str) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return Calendar.from_ical(response.content)


def events_of(calendar: Calendar) -> list[dict]:
    return [
        {
            "uid": str(event["UID"]),
            "day": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "summary": str(event["SUMMARY"]),
            "location": str(event.get("LOCATION", "")),
        }
        for event in calendar.walk("VEVENT")
    ]


def by_day(events: list[dict]) -> dict[date, list[dict]]:
    days: dict[date, list[dict]] = {}
    for event in events:
        days.setdefault(event["day"], []).append(event)
    return days


def placement_of(first_name: str) -> Placement:
    return Placement.objects.get(traject__student__first_name=first_name)


def set_language(email: str, language: str) -> User:
    user = User.objects.get(email=email)
    user.language = language
    user.save(update_fields=["language"])
    return user


# --- Tokens --------------------------------------------------------------------------------


def test_unknown_token_is_404(cast, client):
    response = client.get(reverse("agenda:feed", args=["A" * 43]))
    assert response.status_code == 404


def test_malformed_token_does_not_resolve(cast, client):
    assert client.get("/agenda/feed/short.ics").status_code == 404
    assert client.get("/agenda/feed/" + "A" * 44 + ".ics").status_code == 404


def test_only_the_hash_is_stored(cast):
    user = cast["leerling1@sintjozef.demo"]
    feed, secret = services.calendar_feed_create(user=user)
    feed.refresh_from_db()
    assert feed.token_hash == hash_feed_secret(secret)
    assert secret not in feed.token_hash
    assert len(secret) == 43


def test_revoked_token_is_404(cast, client, feed_url):
    user = cast["leerling1@sintjozef.demo"]
    path = feed_url(user)
    assert client.get(path).status_code == 200
    assert services.calendar_feed_revoke(user=user) == 1
    assert client.get(path).status_code == 404
    assert services.calendar_feed_revoke(user=user) == 0


def test_rotated_token_old_404_new_200(cast, client, feed_url):
    user = cast["leerling1@sintjozef.demo"]
    old = feed_url(user)
    new = feed_url(user)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).count() == 1
    assert CalendarFeed.objects.filter(user=user).count() == 2


def test_one_active_feed_per_user_is_a_database_constraint(cast):
    from django.db import IntegrityError, transaction

    user = cast["leerling1@sintjozef.demo"]
    services.calendar_feed_create(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create(user=user, token_hash="0" * 64)


def test_deactivated_account_feed_is_404(cast, client, feed_url):
    user = cast["leerling1@sintjozef.demo"]
    path = feed_url(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404


def test_feed_records_last_use(cast, client, feed_url):
    user = cast["leerling1@sintjozef.demo"]
    path = feed_url(user)
    assert CalendarFeed.objects.get(user=user).last_used_at is None
    client.get(path)
    assert CalendarFeed.objects.get(user=user).last_used_at is not None


def test_feed_only_answers_get_and_head(cast, client, feed_url):
    path = feed_url(cast["leerling1@sintjozef.demo"])
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


# --- Format --------------------------------------------------------------------------------


def test_feed_headers_and_format(cast, client, feed_url, settings):
    settings.SITE_URL = "https://duaal.example.be"
    response = client.get(feed_url(cast["tb@sintjozef.demo"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Robots-Tag"] == "noindex"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    events = list(calendar.walk("VEVENT"))
    assert events
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids))
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        # All-day events: DATE values, one day long, no time zone needed.
        assert type(start) is date and end == start + timedelta(days=1)
        assert "DTSTAMP" in event
        # Event links use SITE_URL, not the host the calendar app asked.
        assert str(event["URL"]).startswith("https://duaal.example.be/trajects/")
    assert not list(calendar.walk("VTIMEZONE"))


def test_feed_window_is_thirty_days_back_to_180_ahead(cast, client, feed_url, frozen_today):
    days = [e["day"] for e in events_of(fetch(client, feed_url(cast["tb@sintjozef.demo"])))]
    assert min(days) >= frozen_today - timedelta(days=30)
    assert max(days) <= frozen_today + timedelta(days=180)
    assert min(days) <= frozen_today - timedelta(days=25)
    assert max(days) >= frozen_today + timedelta(days=170)


# --- Students and parents -----------------------------------------------------------------


def lotte_week_checks(days: dict[date, list[dict]], *, kind_in_uid: bool = True) -> None:
    placement = placement_of("Lotte")
    # 17–21 November 2025: Monday school, Tuesday training centre, Wednesday–Friday company.
    expected = {
        date(2025, 11, 17): "school",
        date(2025, 11, 18): "training_centre",
        date(2025, 11, 19): "company",
        date(2025, 11, 20): "company",
        date(2025, 11, 21): "company",
    }
    for day, kind in expected.items():
        assert [e["uid"] for e in days[day]] == [f"{kind}-{placement.public_id}-{day:%Y%m%d}@duaal"]
    assert date(2025, 11, 22) not in days and date(2025, 11, 23) not in days  # weekend
    # 11 November (Armistice, a Tuesday) is a public holiday: no training-centre day.
    assert date(2025, 11, 11) not in days
    assert date(2025, 11, 10) in days and date(2025, 11, 12) in days
    # Christmas Day and New Year's Day are skipped too.
    assert date(2025, 12, 25) not in days and date(2026, 1, 1) not in days


def test_student_feed_follows_the_weekly_pattern(cast, client, feed_url):
    user = set_language("leerling1@sintjozef.demo", "en")
    events = events_of(fetch(client, feed_url(user)))
    days = by_day(events)
    lotte_week_checks(days)
    assert days[date(2025, 11, 17)][0]["summary"] == "School day – Technisch Instituut Sint-Jozef"
    assert (
        days[date(2025, 11, 18)][0]["summary"]
        == "Training centre – Opleidingscentrum Techniek Limburg"
    )
    company_day = days[date(2025, 11, 19)][0]
    assert company_day["summary"] == "Company day – Metaalbouw Vandenberghe"
    assert company_day["location"] == "Metaalbouw Vandenberghe – Genk, Industrieweg 12, 3600 Genk"
    assert days[date(2025, 11, 17)][0]["location"] == ""
    # Only Lotte's own placement; no deadlines for students.
    placement = placement_of("Lotte")
    assert all(str(placement.public_id) in e["uid"] for e in events)
    assert not any(e["uid"].startswith("placement-") for e in events)


def test_parent_feed_has_the_childs_days(cast, client, feed_url):
    user = set_language("ouder1@sintjozef.demo", "en")
    events = events_of(fetch(client, feed_url(user)))
    lotte_week_checks(by_day(events))
    assert {e["summary"].split(":")[0] for e in events} == {"Lotte Janssens"}
    assert by_day(events)[date(2025, 11, 19)][0]["summary"] == (
        "Lotte Janssens: company day (Metaalbouw Vandenberghe)"
    )


def test_free_days_are_skipped(cast, client, feed_url):
    placement = placement_of("Lotte")
    placement.monday = "free"
    placement.save(update_fields=["monday"])
    days = by_day(events_of(fetch(client, feed_url(cast["leerling1@sintjozef.demo"]))))
    assert date(2025, 11, 17) not in days
    assert date(2025, 11, 18) in days


def test_stopped_traject_has_no_days(cast, client, feed_url):
    Traject.objects.filter(student__first_name="Lotte").update(status=TrajectStatus.STOPPED)
    assert not events_of(fetch(client, feed_url(cast["leerling1@sintjozef.demo"])))


def test_language_follows_the_user_not_the_request(cast, client, feed_url):
    user = set_language("leerling1@sintjozef.demo", "en")
    client.cookies["duaal_language"] = "nl-be"
    response = client.get(feed_url(user))
    assert response["Content-Language"] == "en"
    summaries = {e["summary"] for e in events_of(Calendar.from_ical(response.content))}
    assert "Company day – Metaalbouw Vandenberghe" in summaries


# --- Team members --------------------------------------------------------------------------


DEADLINE_PREFIXES = ("Start of placement: ", "End of placement: ")


def student_names(events: list[dict]) -> set[str]:
    """The students named in the events: "Name: company day (…)", or a placement deadline
    "Start of placement: Name (Company)" (Noor Peeters starts three weeks after seeding)."""
    names = set()
    for event in events:
        summary = event["summary"]
        for prefix in DEADLINE_PREFIXES:
            if summary.startswith(prefix):
                names.add(summary.removeprefix(prefix).rsplit(" (", 1)[0])
                break
        else:
            names.add(summary.split(":")[0])
    return names


def test_mentor_feed_has_only_their_students_company_days(cast, client, feed_url):
    user = set_language("mentor@vandenberghe.demo", "en")
    events = events_of(fetch(client, feed_url(user)))
    assert student_names(events) == {"Lotte Janssens", "Noor Peeters"}
    text = " ".join(e["summary"] for e in events)
    for other in ("Mohamed", "Jonas", "Emma"):
        assert other not in text
    days = by_day(events)
    assert days[date(2025, 11, 19)][0]["summary"] == (
        "Lotte Janssens: company day (Metaalbouw Vandenberghe)"
    )
    lotte_week_checks(days)


NOOR = "Noor Peeters"  # A1, starts at Vandenberghe three weeks after seeding


@pytest.mark.parametrize(
    ("email", "students"),
    [
        ("tb@sintjozef.demo", {"Lotte Janssens", "Mohamed El Amrani", "Emma Willems", NOOR}),
        ("lk@sintjozef.demo", {"Lotte Janssens", "Mohamed El Amrani", NOOR}),
        ("mentor2@vandenberghe.demo", {"Mohamed El Amrani", "Jonas Maes"}),
        ("coord@vandenberghe.demo", {"Lotte Janssens", "Mohamed El Amrani", "Jonas Maes", NOOR}),
        ("tb@dering.demo", {"Jonas Maes"}),
        ("mentor@daems.demo", {"Emma Willems"}),
        ("oc@octl.demo", {"Lotte Janssens", "Mohamed El Amrani", NOOR}),
    ],
)
def test_staff_feed_shows_exactly_the_visible_students(cast, client, feed_url, email, students):
    user = set_language(email, "en")
    events = events_of(fetch(client, feed_url(user)))
    assert student_names(events) == students
    assert len({e["uid"] for e in events}) == len(events)


def test_sector_consultant_feed_is_empty(cast, client, feed_url):
    calendar = fetch(client, feed_url(cast["consulent@sector.demo"]))
    assert not list(calendar.walk("VEVENT"))


def test_removed_role_disappears_at_the_next_fetch(cast, client, feed_url):
    # Tom Lambrechts (mentor2) leaves A1, where he guides Mohamed; Patrick Hermans takes over.
    # Mohamed leaves Tom's feed at once; Jonas (B1, where Tom stays) remains.
    user = cast["mentor2@vandenberghe.demo"]
    path = feed_url(user)
    assert student_names(events_of(fetch(client, path))) == {"Mohamed El Amrani", "Jonas Maes"}
    mohamed = Traject.objects.get(student__first_name="Mohamed")
    member = TeamMember.objects.get(user=user, role="mentor", partnership=mohamed.partnership_id)
    mohamed_placement = mohamed.placements.get()
    team_member_remove(
        actor=cast["coord@sintjozef.demo"],
        member=member,
        replacements={mohamed_placement.pk: cast["mentor@vandenberghe.demo"]},
    )
    assert student_names(events_of(fetch(client, path))) == {"Jonas Maes"}


def test_staff_get_placement_deadlines(cast):
    user = set_language("tb@sintjozef.demo", "en")
    from django.utils import translation

    with translation.override("en"):
        events = selectors.agenda_events_for(
            user=user, start=date(2025, 8, 25), end=date(2025, 9, 7)
        )
    starts = [e for e in events if e.kind == "placement_start"]
    assert {e.summary for e in starts} == {
        "Start of placement: Lotte Janssens (Metaalbouw Vandenberghe)",
        "Start of placement: Mohamed El Amrani (Metaalbouw Vandenberghe)",
        "Start of placement: Emma Willems (Koeltechniek Daems)",
    }
    assert {e.day for e in starts} == {date(2025, 9, 1)}
    assert len({e.uid for e in events}) == len(events)


def test_students_and_parents_get_no_deadlines(cast):
    for email in ("leerling1@sintjozef.demo", "ouder1@sintjozef.demo"):
        events = selectors.agenda_events_for(
            user=cast[email], start=date(2025, 8, 25), end=date(2025, 9, 7)
        )
        assert events
        assert not [e for e in events if e.kind.startswith("placement_")]


def test_event_providers_can_be_added(cast):
    from agenda.events import AgendaEvent
    from agenda.registry import providers, register_provider

    with providers.restored():

        @register_provider("tests.fake")
        def fake(*, user, start, end):
            return [AgendaEvent(uid="fake@duaal", day=start, kind="fake", summary="Hand in report")]

        events = selectors.agenda_events_for(
            user=cast["consulent@sector.demo"], start=date(2025, 11, 3), end=date(2025, 11, 9)
        )
    assert [e.uid for e in events] == ["fake@duaal"]
    assert "tests.fake" not in providers


# --- Query count ---------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["tb@sintjozef.demo", "mentor@vandenberghe.demo"])
def test_feed_query_count_is_constant_in_placements(cast, client, feed_url, add_students, email):
    path = feed_url(cast[email])

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries), len(Calendar.from_ical(response.content).walk("VEVENT"))

    add_students(1)
    few_queries, few_events = count()
    add_students(4)
    many_queries, many_events = count()
    assert many_events > few_events
    assert many_queries == few_queries
    assert few_queries <= 6
