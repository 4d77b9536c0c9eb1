"""Serialisation of agenda events to iCalendar (RFC 5545) with the ``icalendar`` package."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from agenda.events import AgendaEvent


def events_to_ical(*, events: Iterable[AgendaEvent], calendar_name: str, base_url: str) -> bytes:
    """A VCALENDAR of all-day events; ``base_url`` (scheme and host) makes event links absolute.

    All-day events use DATE values, so no VTIMEZONE is needed.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Duaal//Agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        # Someone else's company day must not block the reader's free/busy time.
        event.add("transp", "TRANSPARENT")
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.path:
            event.add("url", base_url + item.path)
        calendar.add_component(event)
    return calendar.to_ical()
