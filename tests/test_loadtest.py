"""The load-test driver (devtools/loadtest.py, ``manage.py loadtest``) against a live server:
it logs in through the real form, counts every request, and counts the unexpected answers
(and only those) as errors. A bounded run of a few dozen requests."""

from __future__ import annotations

import pytest

from accounts.models import User
from devtools import loadtest
from devtools.loadtest import Action, VirtualUser

PASSWORD = "load-test-password-1"


@pytest.mark.django_db(transaction=True)
def test_driver_counts_requests_and_errors(live_server) -> None:
    for n in (1, 2):
        User.objects.create_user(email=f"load{n}@example.invalid", password=PASSWORD)
    actions = (
        Action("home", "/", weight=3),
        Action("missing", "/no-such-page/"),
        # A CSRF-checked POST of a form taken from the page (the language switcher).
        Action("language", "/", "submit", form="/i18n/setlang/"),
    )
    users = [VirtualUser("tester", f"load{n}@example.invalid", PASSWORD, actions) for n in (1, 2)]

    result = loadtest.run(
        base_url=live_server.url, users=users, connections=2, duration=2.0, max_requests=30
    )

    stats = result.stats
    assert len(stats.logins) == 2
    counts = {label: len(t) for label, t in stats.timings.items()}
    # Each action is counted under its label; a submit fetches the page, POSTs and follows.
    assert set(counts) <= {
        "tester: home",
        "tester: missing",
        "tester: language (page)",
        "tester: language",
    }
    assert counts["tester: missing"] > 0 and counts["tester: home"] > 0
    assert result.requests == sum(counts.values()) == sum(stats.statuses.values())
    # The budget bounds the actions taken; redirects followed may add requests beyond it.
    assert 0 < result.requests <= 30 + counts.get("tester: language", 0)
    # Only the 404s are errors: the logins, the pages and the CSRF-checked POSTs went through.
    assert stats.errors == counts["tester: missing"] == stats.statuses[404]
    assert set(stats.statuses) <= {200, 302, 404}
    if counts.get("tester: language"):
        assert stats.statuses[302] > 0
    assert all(sample.startswith("tester: missing: 404") for sample in stats.error_samples)
    assert result.rate > 0
    assert result.summary_ms()["p50"] > 0


@pytest.mark.django_db(transaction=True)
def test_wrong_password_is_an_error_not_a_hang(live_server) -> None:
    User.objects.create_user(email="load@example.invalid", password=PASSWORD)
    users = [VirtualUser("tester", "load@example.invalid", "wrong", (Action("home", "/"),))]

    result = loadtest.run(
        base_url=live_server.url, users=users, connections=1, duration=1.0, max_requests=5
    )

    assert result.requests == 0
    assert result.stats.errors == 1
    assert "could not log in" in result.stats.error_samples[0]


def test_form_parser_sends_what_a_browser_sends() -> None:
    html = """
    <form method="post" action="/x/checkins/2026-W49/">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input type="hidden" name="version" value="3.1">
      <input type="radio" name="m1" value="V" checked><input type="radio" name="m1" value="O">
      <input type="radio" name="m2" value="V"><input type="radio" name="m2" value="O">
      <input type="checkbox" name="done"><input type="checkbox" name="seen" checked>
      <select name="s"><option value="a">A</option><option value="b" selected>B</option></select>
      <textarea name="note">hello</textarea>
      <input type="submit" name="go" value="Go"><input name="off" value="1" disabled>
    </form>
    <form method="get" action="/x/checkins/"><input name="q" value="1"></form>
    """
    form = loadtest.find_form(html, "/checkins/")
    assert form is not None and form.action == "/x/checkins/2026-W49/"
    assert form.fields == [
        ("csrfmiddlewaretoken", "tok"),
        ("version", "3.1"),
        ("m1", "V"),
        ("seen", "on"),
        ("s", "b"),
        ("note", "hello"),
    ]
    assert form.radios == {"m1": ["V", "O"], "m2": ["V", "O"]}
    assert loadtest.percentile([0.1, 0.2, 0.3, 0.4], 50) == 0.2
    assert loadtest.percentile([float(n) for n in range(1, 101)], 99) == 99.0
