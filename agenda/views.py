from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agenda import selectors, services
from agenda.events import feed_window
from agenda.ical import events_to_ical

PREVIEW_DAYS = 28
PREVIEW_MAX_EVENTS = 100


def _render_calendar(request: HttpRequest, *, new_secret: str | None = None) -> HttpResponse:
    today = timezone.localdate()
    last_day = today + timedelta(days=PREVIEW_DAYS - 1)
    events = selectors.agenda_events_for(user=request.user, start=today, end=last_day)
    context = {
        "feed": selectors.calendar_feed_active(user=request.user),
        "events": events[:PREVIEW_MAX_EVENTS],
        "events_hidden": max(0, len(events) - PREVIEW_MAX_EVENTS),
        "preview_start": today,
        "preview_end": last_day,
    }
    if new_secret is not None:
        # The configured address, not the request's host: the link lives on in calendar apps.
        url = settings.SITE_URL + reverse("agenda:feed", args=[new_secret])
        context["feed_url"] = url
        context["webcal_url"] = "webcal://" + url.split("://", 1)[1]
    return render(request, "agenda/calendar.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def calendar(request: HttpRequest) -> HttpResponse:
    """The user's agenda for the next four weeks and the state of their calendar link."""
    return _render_calendar(request)


@login_required
@never_cache
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    """Create (or rotate) the calendar link and show it, once, in this response.

    The secret is not stored, so it cannot go through a redirect without putting it in a
    URL or the session; the page is rendered directly and marked not cacheable.
    """
    _feed, secret = services.calendar_feed_create(user=request.user)
    return _render_calendar(request, new_secret=secret)


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Your calendar link was revoked. It no longer works."))
    return redirect("agenda:calendar")


@require_http_methods(["GET", "HEAD"])
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The iCal feed. Public URL: the secret is the authentication; unknown or revoked → 404.

    Built at request time from what the feed's owner may see now, in the owner's language.
    """
    calendar_feed = selectors.calendar_feed_for_secret(secret=secret)
    if calendar_feed is None:
        raise Http404
    user = calendar_feed.user
    services.calendar_feed_mark_used(feed=calendar_feed)
    start, end = feed_window()
    with translation.override(user.language):
        events = selectors.agenda_events_for(user=user, start=start, end=end)
        body = events_to_ical(
            events=events,
            calendar_name=_("Duaal – %(name)s") % {"name": user.full_name or user.email},
            base_url=settings.SITE_URL,
        )
        language = translation.get_language()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Content-Disposition"] = 'inline; filename="duaal.ics"'
    response["Content-Language"] = language
    return response
