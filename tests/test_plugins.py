"""The engines find their plug-ins by discovery: a stand-in app (``tests/plugin_app``) with a
reminder rule, a document kind, an event provider and a demo contribution, installed only
here, works end to end through the same paths the real apps use."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from accounts.models import User
from agenda.registry import providers
from agenda.services import calendar_feed_create
from documents.models import DocumentStatus, GeneratedDocument
from documents.registry import kinds
from duaal.demo import contributions
from notifications.models import DeliveryStatus, Notification, Reminder
from notifications.registry import overviews, rules
from notifications.services.reminders import reminders_sweep
from tests.documents.conftest import a1, pdf_text

PLUGIN_APP = "tests.plugin_app"
REGISTRIES = (rules, overviews, kinds, providers, contributions)


@contextmanager
def plugged_in() -> Iterator[None]:
    """``tests.plugin_app`` installed (its plug-ins discovered by the engines' ``ready``);
    on exit the app is gone, the registries are as before and its modules are forgotten, so
    the next use discovers it afresh."""
    try:
        with ExitStack() as stack:
            for registry in REGISTRIES:
                stack.enter_context(registry.restored())
            stack.enter_context(
                override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, PLUGIN_APP])
            )
            yield
    finally:
        for name in [name for name in sys.modules if name.startswith(PLUGIN_APP)]:
            del sys.modules[name]


@pytest.fixture
def plugin_app() -> Iterator[None]:
    with plugged_in():
        yield


@pytest.fixture
def seeded(plugin_app, db) -> str:
    """``seed_demo`` (the cast, plus the plug-in's contribution); returns its output."""
    out = io.StringIO()
    call_command("seed_demo", "--no-reminder-cases", stdout=out)
    return out.getvalue()


def test_discovery_registers_each_plugin_and_leaves_no_trace():
    before = {registry.name: list(registry) for registry in REGISTRIES}
    with plugged_in():
        assert "plugin_ping" in rules
        assert "plugin_card" in kinds
        assert "plugin_app.events" in providers
        assert "plugin_app.person" in contributions
        # The real apps' plug-ins come first (INSTALLED_APPS order), the stand-in's last.
        assert list(rules)[-1] == "plugin_ping"
        assert list(rules)[: len(before["reminder rule"])] == before["reminder rule"]
    assert {registry.name: list(registry) for registry in REGISTRIES} == before


def test_the_demo_contribution_runs_in_seed_demo_after_the_cast(seeded):
    assert User.objects.filter(email="plugin@plugin.invalid").count() == 1
    # The cast's report first, then the plug-in's; both listed under the login hint.
    assert seeded.index("Demo cast ready:") < seeded.index("Plugin demo ready.")
    assert "plugin@plugin.invalid" in seeded and "tb@sintjozef.demo" in seeded
    call_command("seed_demo", "--no-reminder-cases", stdout=io.StringIO())
    assert User.objects.filter(email__endswith="@plugin.invalid").count() == 1


def test_the_rule_produces_a_reminder_row_through_the_sweeper(
    seeded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders_sweep()
    reminder = Reminder.objects.get(rule="plugin_ping")
    assert reminder.recipient.email == "plugin@plugin.invalid"
    assert reminder.status == DeliveryStatus.SENT and reminder.pk in result.claimed
    sent = [m for m in mail.outbox if m.to == ["plugin@plugin.invalid"]]
    assert [m.subject for m in sent] == ["Plugin ping: ping for plugin@plugin.invalid"]
    assert Notification.objects.get(reminder=reminder).url == "/agenda/"


def test_the_kind_is_requested_rendered_and_downloaded(
    seeded, client, login, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    url = reverse("documents:document_request", args=["plugin-card", a1().public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    document = GeneratedDocument.objects.get(kind="plugin_card")
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:document_detail", args=[document.public_id])
    assert document.status == DocumentStatus.READY and document.partnership == a1()
    page = client.get(response["Location"]).content.decode()
    assert "Plugin card" in page
    download = client.get(reverse("documents:document_download", args=[document.public_id]))
    text = pdf_text(b"".join(download.streaming_content))
    assert f"Card of {a1().name}" in " ".join(text.split())
    # Who may ask is the kind's answer: someone who does not see A1 gets 404, nothing queued.
    login("tb@dering.demo")
    assert client.post(url).status_code == 404
    assert GeneratedDocument.objects.filter(kind="plugin_card").count() == 1


def test_the_provider_event_appears_in_the_feed(seeded, client):
    _feed, secret = calendar_feed_create(user=User.objects.get(email="consulent@sector.demo"))
    response = client.get(reverse("agenda:feed", args=[secret]))
    summaries = [
        str(event["summary"]) for event in Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert summaries == ["Plugin event"]


def test_an_unknown_kind_in_the_url_is_404(seeded, client, login):
    login("coord@sintjozef.demo")
    url = reverse("documents:document_request", args=["invoice", a1().public_id])
    assert client.post(url).status_code == 404
