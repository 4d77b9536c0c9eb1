"""Notification screens: the in-app list, the header counter, preferences, the reminders page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from notifications import selectors
from notifications.forms import PreferenceForm, ReminderFilterForm
from notifications.permissions import get_notification_for_user
from notifications.registry import rules
from notifications.services import notifications as services

NOTIFICATIONS_PER_PAGE = 25
REMINDERS_PER_PAGE = 50
CHANGED_EVENT = "notifications-changed"  # other pages' counters may listen for it


def _with_counter(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Append the header counter, fresh, as an out-of-band swap.

    The counter used to refresh itself on ``CHANGED_EVENT``; an event fired while the counter
    was still swapping in its own first load reached the old element and was lost. Sending the
    new count with the answer that changed it leaves no window for such a race."""
    counter = render(
        request,
        "notifications/unread_counter.html",
        {"unread": selectors.unread_count(user=request.user), "oob": True},
    )
    response.content += counter.content
    return trigger_client_event(response, CHANGED_EVENT)


def _wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _render_list(request: HttpRequest, *, fragment: bool) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    notifications = selectors.notifications_for(user=request.user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    paginator = Paginator(notifications, NOTIFICATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    template = "notifications/notification_list.html"
    return render(
        request,
        template + "#notification-list" if fragment else template,
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "unread": selectors.unread_count(user=request.user),
            "unread_only": unread_only,
            "can_oversee": selectors.follows_reminders(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, fragment=_wants_fragment(request))


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    notification = get_notification_for_user(user=request.user, notification_id=notification_id)
    services.notification_mark_read(user=request.user, notification=notification)
    if request.htmx:
        response = render(
            request,
            "notifications/notification_list.html#notification-item",
            {"notification": notification},
        )
        return _with_counter(request, response)
    return redirect("notifications:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    if request.htmx:
        return _with_counter(request, _render_list(request, fragment=True))
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:notification_list")


@login_required
@require_http_methods(["GET", "HEAD"])
def unread_counter(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/unread_counter.html",
        {"unread": selectors.unread_count(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_for(user=request.user)
    form = PreferenceForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(
                user=request.user,
                delivery=form.cleaned_data["delivery"],
                emailed_kinds=form.cleaned_data["emailed_kinds"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def reminder_list(request: HttpRequest) -> HttpResponse:
    """Reminders of the partnerships the user runs or approves for, with status and error.

    Which rows and scopes a person may follow is the registered overviews' answer.
    """
    selected = request.GET.get("partnership", "")
    scope = selectors.reminder_scope_filter(user=request.user, value=selected) if selected else None
    options = selectors.reminder_scope_options(user=request.user)
    if scope is None and not options:
        raise PermissionDenied
    form = ReminderFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    paginator = Paginator(
        selectors.reminder_list(user=request.user, status=status, scope=scope),
        REMINDERS_PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "reminder": reminder,
            "rule": rules[reminder.rule].label if reminder.rule in rules else reminder.rule,
            "description": (
                rules[reminder.rule].describe(reminder.subject)
                if reminder.subject is not None and reminder.rule in rules
                else "—"
            ),
        }
        for reminder in page.object_list
    ]
    template = "notifications/reminder_list.html"
    return render(
        request,
        template + "#reminder-results" if _wants_fragment(request) else template,
        {
            "form": form,
            "page": page,
            "rows": rows,
            "page_range": paginator.get_elided_page_range(page.number),
            "selected": selected if scope is not None else "",
            "options": options,
            "active_filters": (scope is not None) + bool(status),
        },
    )
