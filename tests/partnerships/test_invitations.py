"""Invitations: sending, the e-mail's link (once, until expiry, not after re-send or revoke),
accepting with a new or an existing account; works / 404 / 403 / login / 405 per view."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.models import User
from organisations.models import Membership, Organisation
from partnerships import permissions
from partnerships.models import Invitation, Partnership, TeamMember

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
VANDENBERGHE = "Metaalbouw Vandenberghe"
DAEMS = "Koeltechniek Daems"
NEW_EMAIL = "nieuwe.mentor@vandenberghe.demo"
# Mails link to SITE_URL, whatever host the inviter's request came in on.
LINK = re.compile(re.escape(settings.SITE_URL) + r"(/invitations/team/[^/\s]+/)")


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


def a2() -> Partnership:
    return Partnership.objects.get(name="Elektromechanische technieken duaal")


def url(partnership: Partnership, suffix: str = "") -> str:
    return f"/partnerships/{partnership.public_id}/{suffix}"


def invite_data(email: str = NEW_EMAIL, role: str = "mentor", organisation: str = VANDENBERGHE):
    return {
        "invite-email": email,
        "invite-full_name": "Nieuwe Mentor",
        "invite-role": role,
        "invite-organisation": org(organisation).pk,
    }


def signup(password: str = "Lasnaad-2026!", again: str | None = None) -> dict:
    return {"full_name": "Nieuwe Mentor", "password1": password, "password2": again or password}


def english(client) -> None:
    """Answer in English (``Client.logout()`` drops cookies, so call it after logging out)."""
    client.cookies["duaal_language"] = "en"


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.fixture
def invite(client, login, django_capture_on_commit_callbacks):
    """``invite(**data)``: coord@sintjozef.demo invites someone into A1; returns the link path."""

    def _invite(**data) -> str:
        login("coord@sintjozef.demo")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(a1(), "invitations/new/"), invite_data(**data))
        assert response.status_code == 302, response.content.decode()
        client.logout()
        return LINK.search(mail.outbox[-1].body).group(1)

    return _invite


# --- invitation_create and the e-mail -------------------------------------------------------


def test_invitation_mail_contains_the_link(client, demo_cast, invite):
    path = invite()
    invitation = Invitation.objects.get(email=NEW_EMAIL)
    assert invitation.partnership == a1()
    assert invitation.invited_by.email == "coord@sintjozef.demo"
    assert invitation.send_count == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [NEW_EMAIL]
    assert path in message.alternatives[0][0]  # the HTML part carries the same link
    assert client.get(path).status_code == 200


def test_no_mail_before_the_transaction_commits(client, demo_cast, login):
    login("coord@sintjozef.demo")
    response = client.post(url(a1(), "invitations/new/"), invite_data())
    assert response.status_code == 302
    assert Invitation.objects.filter(email=NEW_EMAIL).exists()
    assert mail.outbox == []  # on_commit callbacks did not run (test transaction)


def test_invitation_appears_on_the_detail_page(client, demo_cast, invite, login):
    invite()
    login("coord@sintjozef.demo")
    page = client.get(url(a1())).content.decode()
    invitation = Invitation.objects.get(email=NEW_EMAIL)
    assert f'data-testid="invitation-{invitation.public_id}"' in page
    assert NEW_EMAIL in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "leerkracht", "organisation": VANDENBERGHE}, "another organisation"),
        (
            {"email": "lk@sintjozef.demo", "role": "leerkracht", "organisation": SINT_JOZEF},
            "already",
        ),
        ({"email": "not-an-address"}, "valid email"),
        ({"organisation": DAEMS}, "valid choice"),  # a company outside A1
    ],
)
def test_invitation_bad_input_is_400_and_saves_nothing(client, demo_cast, login, data, message):
    login("coord@sintjozef.demo")
    english(client)
    response = client.post(url(a1(), "invitations/new/"), invite_data(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_second_open_invitation_for_the_same_role_is_refused(client, demo_cast, invite, login):
    invite()
    login("coord@sintjozef.demo")
    response = client.post(url(a1(), "invitations/new/"), invite_data())
    assert response.status_code == 400
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("email", ["mentor@vandenberghe.demo", "lk@sintjozef.demo"])
def test_invitation_create_is_403_without_manage_team(client, demo_cast, login, email):
    login(email)
    assert client.post(url(a1(), "invitations/new/"), invite_data()).status_code == 403
    assert not Invitation.objects.exists()


def test_invitation_create_other_tenant_anonymous_wrong_method(client, demo_cast, login):
    assert_login_redirect(client.post(url(a1(), "invitations/new/"), invite_data()))
    login("coord@daems.demo")  # manages A2's team, not A1's
    assert client.post(url(a1(), "invitations/new/"), invite_data()).status_code == 404
    login("coord@sintjozef.demo")
    assert client.get(url(a1(), "invitations/new/")).status_code == 405
    assert not Invitation.objects.exists()


# --- accepting: a new account ---------------------------------------------------------------


def test_the_link_creates_an_account_and_works_exactly_once(client, demo_cast, invite):
    path = invite()
    english(client)
    form = client.get(path)
    assert form.status_code == 200
    assert 'data-testid="invitation-signup-form"' in form.content.decode()
    response = client.post(path, signup())
    assert response.status_code == 302
    assert response["Location"] == url(a1())
    new = User.objects.get(email=NEW_EMAIL)
    assert new.full_name == "Nieuwe Mentor"
    assert new.check_password("Lasnaad-2026!")
    assert int(client.session["_auth_user_id"]) == new.pk  # logged in
    # Invited by the school: a team role for the company, not a membership of the company
    # (only the company's own members grant access to its internal data).
    assert not Membership.objects.filter(user=new, organisation=org(VANDENBERGHE)).exists()
    assert TeamMember.objects.filter(
        user=new, role="mentor", organisation=org(VANDENBERGHE)
    ).exists()
    assert TeamMember.objects.filter(partnership=a1(), user=new, role="mentor").exists()
    assert permissions.partnerships_visible_to(user=new).filter(pk=a1().pk).exists()
    assert client.get(url(a1())).status_code == 200
    assert Invitation.objects.get(email=NEW_EMAIL).accepted_by == new
    # Used up: the second visit and a second POST are refused.
    client.logout()
    english(client)
    again = client.get(path)
    assert again.status_code == 410
    assert "This invitation was already used." in again.content.decode()
    assert client.post(path, signup()).status_code == 410
    assert User.objects.filter(email=NEW_EMAIL).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        signup(again="Anders-2026!"),  # passwords differ
        signup(password="123"),  # too short / too common
        {"full_name": "", "password1": "Lasnaad-2026!", "password2": "Lasnaad-2026!"},
    ],
)
def test_a_bad_signup_is_400_and_saves_nothing(client, demo_cast, invite, data):
    path = invite()
    response = client.post(path, data)
    assert response.status_code == 400
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert Invitation.objects.get(email=NEW_EMAIL).accepted_at is None
    assert client.get(path).status_code == 200  # the link still works


def test_unknown_or_tampered_link_is_404(client, demo_cast, invite):
    path = invite()
    assert client.get("/invitations/team/nonsense/").status_code == 404
    assert client.get(path[:-3] + "xx/").status_code == 404
    response = client.post("/invitations/team/nonsense/", signup())
    assert response.status_code == 404
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_accept_wrong_method_is_405(client, demo_cast, invite):
    path = invite()
    assert client.put(path).status_code == 405
    assert client.delete(path).status_code == 405


# --- accepting: an existing account ---------------------------------------------------------


def test_an_existing_account_logs_in_first_then_joins(client, demo_cast, invite, login):
    path = invite(email="mentor@daems.demo", role="mentor", organisation=VANDENBERGHE)
    english(client)
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="invitation-login-needed"' in body
    assert f"/accounts/login/?next={quote(path)}" in body
    # An anonymous POST changes nothing and asks for the login.
    assert_login_redirect(client.post(path, signup()))
    mentor = User.objects.get(email="mentor@daems.demo")
    assert not TeamMember.objects.filter(partnership=a1(), user=mentor).exists()
    login("mentor@daems.demo")
    assert 'data-testid="invitation-join-form"' in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == url(a1())
    assert TeamMember.objects.filter(partnership=a1(), user=mentor, role="mentor").exists()
    assert not Membership.objects.filter(user=mentor, organisation=org(VANDENBERGHE)).exists()
    assert TeamMember.objects.filter(user=mentor, organisation=org(VANDENBERGHE)).exists()
    assert client.get(url(a1())).status_code == 200


def test_logged_in_with_another_address_changes_nothing(client, demo_cast, invite, login):
    path = invite()
    login("coord@daems.demo")
    page = client.get(path)
    assert page.status_code == 200
    assert 'data-testid="invitation-wrong-account"' in page.content.decode()
    assert 'data-testid="invitation-join-form"' not in page.content.decode()
    assert client.post(path).status_code == 403
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert Invitation.objects.get(email=NEW_EMAIL).accepted_at is None
    assert (
        not permissions.partnerships_visible_to(user=User.objects.get(email="coord@daems.demo"))
        .filter(pk=a1().pk)
        .exists()
    )


# --- resend, revoke, expiry -----------------------------------------------------------------


def test_resend_kills_the_old_link(
    client, demo_cast, invite, login, django_capture_on_commit_callbacks
):
    old = invite()
    invitation = Invitation.objects.get(email=NEW_EMAIL)
    login("coord@sintjozef.demo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(a1(), f"invitations/{invitation.public_id}/resend/"))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new = LINK.search(mail.outbox[-1].body).group(1)
    assert new != old
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    client.logout()
    assert client.get(old).status_code == 404
    assert client.post(old, signup()).status_code == 404
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert client.get(new).status_code == 200
    assert client.post(new, signup()).status_code == 302


def test_revoke_kills_the_link(client, demo_cast, invite, login):
    path = invite()
    english(client)
    invitation = Invitation.objects.get(email=NEW_EMAIL)
    login("coord@sintjozef.demo")
    response = client.post(url(a1(), f"invitations/{invitation.public_id}/revoke/"))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    assert client.get(path).status_code == 410
    assert client.post(path, signup()).status_code == 410
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    # A revoked invitation cannot be sent again.
    login("coord@sintjozef.demo")
    english(client)
    again = client.post(url(a1(), f"invitations/{invitation.public_id}/resend/"))
    assert again.status_code == 400
    assert "already accepted or revoked" in again.content.decode()


def test_an_expired_link_is_410_and_saves_nothing(client, demo_cast, invite):
    path = invite()
    english(client)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.get(path)
        assert response.status_code == 410
        assert "This invitation has expired: ask for a new one." in response.content.decode()
        assert client.post(path, signup()).status_code == 410
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    assert Invitation.objects.get(email=NEW_EMAIL).accepted_at is None


@pytest.mark.parametrize("action", ["resend", "revoke"])
def test_resend_and_revoke_403_404_login_405(client, demo_cast, invite, login, action):
    invite()
    invitation = Invitation.objects.get(email=NEW_EMAIL)
    path = url(a1(), f"invitations/{invitation.public_id}/{action}/")
    assert_login_redirect(client.post(path))
    login("mentor@vandenberghe.demo")
    assert client.post(path).status_code == 403
    login("coord@daems.demo")
    assert client.post(path).status_code == 404
    # The invitation must belong to the partnership in the URL.
    assert (
        client.post(url(a2(), f"invitations/{invitation.public_id}/{action}/")).status_code == 404
    )
    login("coord@sintjozef.demo")
    assert (
        client.post(url(a2(), f"invitations/{invitation.public_id}/{action}/")).status_code == 404
    )
    assert client.get(path).status_code == 405
    invitation.refresh_from_db()
    assert invitation.send_count == 1
    assert invitation.revoked_at is None


def test_an_invitation_by_the_company_makes_a_company_member(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    login("coord@vandenberghe.demo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(a1(), "invitations/new/"), invite_data())
    assert response.status_code == 302
    path = LINK.search(mail.outbox[-1].body).group(1)
    client.logout()
    assert client.post(path, signup()).status_code == 302
    new = User.objects.get(email=NEW_EMAIL)
    assert Membership.objects.filter(user=new, organisation=org(VANDENBERGHE)).exists()


def test_a_school_cannot_plant_its_own_people_in_a_company(client, demo_cast, login):
    """coord@sintjozef.demo inviting a colleague (or themselves) to act for company X is refused."""
    login("coord@sintjozef.demo")
    for email in ("coord@sintjozef.demo", "lk@sintjozef.demo"):
        response = client.post(url(a1(), "invitations/new/"), invite_data(email=email))
        assert response.status_code == 400
        assert not Invitation.objects.filter(email=email).exists()
