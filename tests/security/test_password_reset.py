"""Password reset (issue 13, finding 3): known and unknown addresses take the same path (a task
on the mail queue with the address), the answer is the same, and requests are throttled per
address and per client."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from accounts.tasks import send_password_reset

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
DONE = "/accounts/password/reset/sent/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def queued(monkeypatch):
    """The addresses handed to the mail task (queued, not run)."""
    calls: list[str] = []
    monkeypatch.setattr(send_password_reset, "delay", lambda email: calls.append(email))
    return calls


def test_known_and_unknown_addresses_both_queue_the_task_and_get_the_same_answer(
    client, demo_cast, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RESET, {"email": "tb@sintjozef.demo"})
        unknown = client.post(RESET, {"email": "nobody@sintjozef.demo"})
    assert queued == ["tb@sintjozef.demo", "nobody@sintjozef.demo"]
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == DONE
    assert known.content == unknown.content
    assert set(known.headers) == set(unknown.headers)
    assert mail.outbox == [], "the request itself sends nothing"


def test_the_task_mails_a_known_address_and_does_nothing_for_an_unknown_one(demo_cast, settings):
    settings.SITE_URL = "https://duaal.example.be"
    assert send_password_reset("nobody@sintjozef.demo") == 0
    assert mail.outbox == []
    assert send_password_reset("TB@sintjozef.demo") == 1
    [message] = mail.outbox
    assert message.to == ["tb@sintjozef.demo"]
    assert message.subject == "Duaal: kies een nieuw wachtwoord"
    # The link is built on SITE_URL, not on the Host of whoever asked.
    assert re.search(r"https://duaal\.example\.be/accounts/password/reset/\S+/", message.body)


def test_the_fourth_request_for_one_address_is_throttled(client, demo_cast, queued, settings):
    settings.PASSWORD_RESET_PER_EMAIL = 3
    answers = [
        client.post(RESET, {"email": "tb@sintjozef.demo"}, REMOTE_ADDR=f"198.51.100.{n}")
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    text = answers[-1].content.decode()
    assert "Je vroeg te vaak een nieuw wachtwoord" in text
    # The same neutral answer for an unknown address: the throttle reveals nothing.
    unknown = [
        client.post(RESET, {"email": "ghost@sintjozef.demo"}, REMOTE_ADDR=f"203.0.113.{n}")
        for n in range(4)
    ]
    assert [a.status_code for a in unknown] == [302, 302, 302, 429]

    def without_tokens(html: str) -> str:
        return re.sub(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert without_tokens(unknown[-1].content.decode()) == without_tokens(text)


def test_the_sixth_request_from_one_client_is_throttled(client, demo_cast, queued, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 5
    settings.DUAAL_PROXY_COUNT = 1
    answers = [
        client.post(
            RESET,
            {"email": f"someone{n}@example.org"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.77",
        )
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    # Another client behind the same proxy is not affected.
    other = client.post(
        RESET,
        {"email": "tb@sintjozef.demo"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.78",
    )
    assert other.status_code == 302


def test_a_throttled_request_queues_nothing(
    client, demo_cast, queued, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_PER_EMAIL = 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": "tb@sintjozef.demo"})
        throttled = client.post(RESET, {"email": "tb@sintjozef.demo"})
    assert throttled.status_code == 429
    assert queued == ["tb@sintjozef.demo"]
