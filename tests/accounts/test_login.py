"""Login by e-mail, identical answers for unknown addresses, throttling, session handling."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from duaal import demo

LOGIN = "/accounts/login/"

pytestmark = pytest.mark.django_db


def _post_login(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_login_with_email_any_case_redirects_home(client, demo_cast):
    response = _post_login(client, "  TB@SintJozef.demo ", demo.DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get("/").status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_answer(client, demo_cast):
    wrong = _post_login(client, "tb@sintjozef.demo", "not-the-password")
    unknown = _post_login(client, "nobody@sintjozef.demo", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    message = "Deze combinatie van e-mailadres en wachtwoord is niet gekend."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_inactive_user_gets_the_same_answer_as_an_unknown_one(client, demo_cast):
    User.objects.filter(email="tb@sintjozef.demo").update(is_active=False)
    response = _post_login(client, "tb@sintjozef.demo", demo.DEFAULT_PASSWORD)
    assert (
        "Deze combinatie van e-mailadres en wachtwoord is niet gekend." in response.content.decode()
    )


def test_repeated_failures_lock_out_known_and_unknown_addresses_alike(client, demo_cast, settings):
    for email in ("lk@sintjozef.demo", "ghost@sintjozef.demo"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _post_login(client, email, "wrong-password")
        locked = _post_login(client, email, "wrong-password")
        assert locked.status_code == 429, email
        assert "Te veel mislukte pogingen" in locked.content.decode()
    # Locked out even with the right password now, and nobody got logged in.
    locked = _post_login(client, "lk@sintjozef.demo", demo.DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address from the same IP is not affected (throttling is per address + IP).
    assert _post_login(client, "tb@sintjozef.demo", demo.DEFAULT_PASSWORD).status_code == 302


def test_login_rotates_the_session_key(client, demo_cast):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    _post_login(client, "tb@sintjozef.demo", demo.DEFAULT_PASSWORD)
    assert client.session.session_key != before


def test_logout_needs_post_and_ends_the_session(client, demo_cast, login):
    login("tb@sintjozef.demo")
    session_key = client.session.session_key
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/")["Location"].startswith(LOGIN)


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def test_password_reset_mails_only_known_addresses_with_the_same_page(
    client, demo_cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": "tb@sintjozef.demo"})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@sintjozef.demo"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tb@sintjozef.demo"]
    assert message.subject == "Duaal: kies een nieuw wachtwoord"
    assert message.alternatives, "an HTML part is sent too"


def test_password_reset_link_sets_a_new_password_once(
    client, demo_cast, settings, django_capture_on_commit_callbacks
):
    import re

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "tb@sintjozef.demo"})
    # The link is built on SITE_URL (the mail is sent by the worker, without a request).
    link = re.search(
        re.escape(settings.SITE_URL) + r"(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new_password = "Een-nieuw-wachtwoord-42"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert User.objects.get(email="tb@sintjozef.demo").check_password(new_password)
    # The link is single use.
    again = client.get(link, follow=True)
    assert "Deze link werkt niet meer" in again.content.decode()


def test_password_change_requires_the_old_password(client, demo_cast, login):
    login("lk@sintjozef.demo")
    bad = client.post(
        "/accounts/password/change/",
        {
            "old_password": "wrong",
            "new_password1": "Nog-een-wachtwoord-7",
            "new_password2": "Nog-een-wachtwoord-7",
        },
    )
    assert bad.status_code == 200
    assert User.objects.get(email="lk@sintjozef.demo").check_password(demo.DEFAULT_PASSWORD)
    good = client.post(
        "/accounts/password/change/",
        {
            "old_password": demo.DEFAULT_PASSWORD,
            "new_password1": "Nog-een-wachtwoord-7",
            "new_password2": "Nog-een-wachtwoord-7",
        },
    )
    assert good.status_code == 302
    assert User.objects.get(email="lk@sintjozef.demo").check_password("Nog-een-wachtwoord-7")


def test_there_is_no_public_sign_up(client):
    for path in ("/accounts/signup/", "/accounts/register/"):
        assert client.get(path).status_code == 404


def test_language_choice_is_remembered_on_the_account(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(email="tb@sintjozef.demo").language == "en"
    assert "Welcome" in client.get("/").content.decode()
    # Next login from a fresh browser starts in English.
    fresh = type(client)()
    fresh.post(LOGIN, {"username": "tb@sintjozef.demo", "password": demo.DEFAULT_PASSWORD})
    assert "My organisations" in fresh.get("/").content.decode()


# --- Behind the reverse proxy (issue 13, finding 1) ---------------------------------------------

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def _via_proxy(client, email, password, client_address, spoofed=""):
    """A login POST as the documented proxy forwards it: REMOTE_ADDR is the proxy, which
    appends the address it saw to whatever X-Forwarded-For the client sent."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return _post_login(client, email, password, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_an_attacker_behind_the_proxy_cannot_lock_the_owner_out(client, demo_cast, settings):
    settings.DUAAL_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _via_proxy(client, "lk@sintjozef.demo", "wrong", ATTACKER).status_code == 200
    # The limit-th failure locks the attacker's address for this account.
    # The attacker's address is locked for that account, even with the right password ...
    assert _via_proxy(client, "lk@sintjozef.demo", "wrong", ATTACKER).status_code == 429
    assert (
        _via_proxy(client, "lk@sintjozef.demo", demo.DEFAULT_PASSWORD, ATTACKER).status_code == 429
    )
    # ... and a header the attacker forges in front of the proxy's entry does not free it.
    forged = _via_proxy(client, "lk@sintjozef.demo", "wrong", ATTACKER, spoofed=OWNER)
    assert forged.status_code == 429
    # The owner, through the same proxy from their own address, logs in.
    owner = type(client)()
    response = _via_proxy(owner, "lk@sintjozef.demo", demo.DEFAULT_PASSWORD, OWNER)
    assert response.status_code == 302
    assert "_auth_user_id" in owner.session


def test_the_lock_is_recorded_for_the_forwarded_address(client, demo_cast, settings):
    from axes.models import AccessAttempt

    settings.DUAAL_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "lk@sintjozef.demo", "wrong", ATTACKER)
    attempt = AccessAttempt.objects.get(username="lk@sintjozef.demo")
    assert attempt.ip_address == ATTACKER
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert not AccessAttempt.objects.filter(ip_address=PROXY).exists()


def test_without_a_proxy_the_header_is_ignored(client, demo_cast, settings):
    settings.DUAAL_PROXY_COUNT = 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(
            client,
            "lk@sintjozef.demo",
            "wrong",
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=OWNER,
        )
    # Forging X-Forwarded-For does not move the attacker to another address.
    again = _post_login(
        client, "lk@sintjozef.demo", "wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=PROXY
    )
    assert again.status_code == 429
