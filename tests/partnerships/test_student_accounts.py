"""Parents and guardians of a student, and accounts for students and parents by invitation.

The link works once, until it expires, not after a re-send or a revocation; accepting links
the account to the student or the contact, who then sees exactly their own traject and holds
no membership of any organisation. Every view: works / other tenant 404 / wrong role 403 /
anonymous -> login / wrong method 405. New strings are asserted in English.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from organisations.models import Membership
from partnerships import permissions
from partnerships.models import (
    AccountInvitation,
    Partnership,
    SchoolClass,
    Student,
    StudentContact,
    Traject,
)
from partnerships.services import accounts as account_services
from partnerships.services.trajects import student_contact_add, traject_create

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
STUDENT_EMAIL = "nora@example.org"
PARENT_EMAIL = "ria@example.org"
# Mails link to SITE_URL, whatever host the inviter's request came in on.
LINK = re.compile(re.escape(settings.SITE_URL) + r"(/invitations/account/[^/\s]+/)")
PASSWORD = "Lasnaad-2026!"


def user(email: str) -> User:
    return User.objects.get(email=email)


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


def lotte() -> Traject:
    return Traject.objects.get(student__first_name="Lotte")


def english(client) -> None:
    """Answer in English (``Client.logout()`` drops cookies, so call it after logging out)."""
    client.cookies["duaal_language"] = "en"


def signup(name: str = "Nora Nieuw", password: str = PASSWORD) -> dict[str, str]:
    return {"full_name": name, "password1": password, "password2": password}


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.fixture
def nora(demo_cast) -> Traject:
    """A new student of school A with an e-mail address, a parent and a traject in A1."""
    partnership = a1()
    student = Student.objects.create(
        school=partnership.school,
        first_name="Nora",
        last_name="Nieuw",
        birth_date=date(2010, 5, 1),
        school_class=SchoolClass.objects.get(school=partnership.school, name="6 LAS"),
        email=STUDENT_EMAIL,
    )
    actor = user("coord@sintjozef.demo")
    student_contact_add(
        actor=actor, student=student, full_name="Ria Nieuw", relation="parent", email=PARENT_EMAIL
    )
    return traject_create(actor=actor, partnership=partnership, student=student)


def contact_of(traject: Traject) -> StudentContact:
    return traject.student.contacts.get()


def base(traject: Traject) -> str:
    return f"/trajects/{traject.public_id}/"


@pytest.fixture
def invite(client, login, django_capture_on_commit_callbacks):
    """``invite(traject, contact=None)``: coord@sintjozef.demo sends the invitation through the
    view; returns the path of the e-mail's link (the client is logged out again)."""

    def _invite(traject: Traject, contact: StudentContact | None = None) -> str:
        login("coord@sintjozef.demo")
        suffix = f"contacts/{contact.pk}/invite/" if contact else "accounts/student/invite/"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(base(traject) + suffix)
        assert response.status_code == 302, response.content.decode()
        assert response["Location"] == base(traject)
        client.logout()
        return LINK.search(mail.outbox[-1].body).group(1)

    return _invite


# --- the student's account --------------------------------------------------------------------


def test_student_invitation_works_once_and_opens_exactly_their_own_traject(client, nora, invite):
    path = invite(nora)
    invitation = AccountInvitation.objects.get()
    assert (invitation.student, invitation.contact, invitation.email) == (
        nora.student,
        None,
        STUDENT_EMAIL,
    )
    assert invitation.invited_by == user("coord@sintjozef.demo")
    message = mail.outbox[-1]
    assert message.to == [STUDENT_EMAIL]
    assert path in message.alternatives[0][0]  # the HTML part carries the same link

    english(client)
    page = client.get(path)
    assert page.status_code == 200
    assert 'data-testid="invitation-signup-form"' in page.content.decode()
    response = client.post(path, signup())
    assert response.status_code == 302
    assert response["Location"] == base(nora)  # their only traject

    account = user(STUDENT_EMAIL)
    assert account.full_name == "Nora Nieuw" and account.check_password(PASSWORD)
    assert int(client.session["_auth_user_id"]) == account.pk
    nora.student.refresh_from_db()
    assert nora.student.user == account
    assert not Membership.objects.filter(user=account).exists()
    assert set(permissions.trajects_visible_to(user=account)) == {nora}
    assert client.get(base(nora)).status_code == 200
    assert client.get(base(lotte())).status_code == 404
    invitation.refresh_from_db()
    assert invitation.accepted_by == account and invitation.accepted_at is not None

    # Used up.
    client.logout()
    english(client)
    again = client.get(path)
    assert again.status_code == 410
    assert "This invitation was already used." in again.content.decode()
    assert client.post(path, signup()).status_code == 410
    assert User.objects.filter(email=STUDENT_EMAIL).count() == 1


def test_the_mail_is_in_dutch_for_a_new_address_and_names_the_school(client, nora, invite):
    invite(nora)
    message = mail.outbox[-1]
    assert SINT_JOZEF in message.body
    assert "Nora Nieuw" in message.body


# --- a parent's account -----------------------------------------------------------------------


def test_parent_invitation_works_once_and_opens_exactly_the_childs_traject(client, nora, invite):
    contact = contact_of(nora)
    path = invite(nora, contact)
    assert mail.outbox[-1].to == [PARENT_EMAIL]
    assert "Nora Nieuw" in mail.outbox[-1].body  # the child they will follow
    response = client.post(path, signup("Ria Nieuw"))
    assert response.status_code == 302 and response["Location"] == base(nora)
    parent = user(PARENT_EMAIL)
    contact.refresh_from_db()
    assert contact.user == parent
    assert Student.objects.get(pk=nora.student.pk).user is None
    assert not Membership.objects.filter(user=parent).exists()
    assert set(permissions.trajects_visible_to(user=parent)) == {nora}
    assert client.get(base(nora)).status_code == 200
    assert client.get(base(lotte())).status_code == 404
    client.logout()
    assert client.get(path).status_code == 410


def test_an_existing_account_logs_in_first_then_is_linked(client, nora, invite, login):
    contact = contact_of(nora)
    # The account was made after the contact was recorded, so it is not linked yet.
    parent = User.objects.create_user(PARENT_EMAIL, PASSWORD, full_name="Ria Nieuw")
    path = invite(nora, contact)
    english(client)
    page = client.get(path)
    assert page.status_code == 200
    assert 'data-testid="invitation-login-needed"' in page.content.decode()
    assert f"/accounts/login/?next={quote(path)}" in page.content.decode()
    assert_login_redirect(client.post(path, signup("Iemand Anders")))
    assert not permissions.trajects_visible_to(user=parent).exists()

    client.force_login(parent)
    assert 'data-testid="invitation-join-form"' in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == base(nora)
    contact.refresh_from_db()
    assert contact.user == parent
    assert set(permissions.trajects_visible_to(user=parent)) == {nora}


def test_logged_in_with_another_address_changes_nothing(client, nora, invite, login):
    path = invite(nora)
    login("ouder1@sintjozef.demo")
    page = client.get(path)
    assert page.status_code == 200
    assert 'data-testid="invitation-wrong-account"' in page.content.decode()
    assert client.post(path).status_code == 403
    nora.student.refresh_from_db()
    assert nora.student.user is None
    assert AccountInvitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "Nora", "password1": PASSWORD, "password2": "Anders-2026!"},
        {"full_name": "Nora", "password1": "123", "password2": "123"},
        {"full_name": "", "password1": PASSWORD, "password2": PASSWORD},
    ],
)
def test_a_bad_signup_is_400_and_saves_nothing(client, nora, invite, data):
    path = invite(nora)
    assert client.post(path, data).status_code == 400
    assert not User.objects.filter(email=STUDENT_EMAIL).exists()
    assert client.get(path).status_code == 200  # the link still works


# --- resend, revoke, expiry -------------------------------------------------------------------


def test_resend_kills_the_old_link(client, nora, invite, login, django_capture_on_commit_callbacks):
    old = invite(nora, contact_of(nora))
    invitation = AccountInvitation.objects.get()
    login("coord@sintjozef.demo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base(nora) + f"account-invitations/{invitation.public_id}/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new = LINK.search(mail.outbox[-1].body).group(1)
    assert new != old
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    client.logout()
    assert client.get(old).status_code == 404
    assert client.post(old, signup("Ria Nieuw")).status_code == 404
    assert not User.objects.filter(email=PARENT_EMAIL).exists()
    assert client.post(new, signup("Ria Nieuw")).status_code == 302
    assert contact_of(nora).user == user(PARENT_EMAIL)


def test_revoke_kills_the_link(client, nora, invite, login):
    path = invite(nora)
    invitation = AccountInvitation.objects.get()
    login("coord@sintjozef.demo")
    response = client.post(base(nora) + f"account-invitations/{invitation.public_id}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    english(client)
    page = client.get(path)
    assert page.status_code == 410
    assert "This invitation was withdrawn." in page.content.decode()
    assert client.post(path, signup()).status_code == 410
    assert not User.objects.filter(email=STUDENT_EMAIL).exists()
    # Withdrawn: it cannot be sent again, but a new invitation can be made.
    login("coord@sintjozef.demo")
    english(client)
    again = client.post(base(nora) + f"account-invitations/{invitation.public_id}/resend/")
    assert again.status_code == 400
    assert "already accepted or revoked" in again.content.decode()
    assert client.post(base(nora) + "accounts/student/invite/").status_code == 302
    assert AccountInvitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_an_expired_link_is_410_and_saves_nothing(client, nora, invite):
    path = invite(nora)
    english(client)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.get(path)
        assert response.status_code == 410
        assert "This invitation has expired: ask for a new one." in response.content.decode()
        assert client.post(path, signup()).status_code == 410
    assert not User.objects.filter(email=STUDENT_EMAIL).exists()


def test_an_expired_open_invitation_is_replaced_by_a_new_one(client, nora, invite, login):
    invite(nora)
    first = AccountInvitation.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        login("coord@sintjozef.demo")
        assert client.post(base(nora) + "accounts/student/invite/").status_code == 302
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert AccountInvitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_unknown_or_tampered_link_is_404_and_wrong_method_405(client, nora, invite):
    path = invite(nora)
    assert client.get("/invitations/account/nonsense/").status_code == 404
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.post("/invitations/account/nonsense/", signup()).status_code == 404
    assert client.put(path).status_code == 405
    assert client.delete(path).status_code == 405
    assert not User.objects.filter(email=STUDENT_EMAIL).exists()


def test_a_team_invitation_link_is_not_an_account_invitation(client, nora, invite):
    """Different salts: a token of one kind is unknown to the other."""
    path = invite(nora)
    token = path.split("/")[3]
    assert client.get(f"/invitations/team/{token}/").status_code == 404


# --- refusals of the service ------------------------------------------------------------------


def test_refused_invitations_are_400_and_send_nothing(client, nora, login, invite):
    english(client)
    login("coord@sintjozef.demo")
    # Lotte has an account, and so does her parent (ouder1).
    response = client.post(base(lotte()) + "accounts/student/invite/")
    assert response.status_code == 400
    assert "Lotte Janssens already has an account." in response.content.decode()
    lotte_parent = lotte().student.contacts.get()
    assert client.post(base(lotte()) + f"contacts/{lotte_parent.pk}/invite/").status_code == 400
    # No e-mail address.
    Student.objects.filter(pk=nora.student.pk).update(email="")
    response = client.post(base(nora) + "accounts/student/invite/")
    assert response.status_code == 400
    assert "has no e-mail address" in response.content.decode()
    assert not AccountInvitation.objects.exists()
    assert mail.outbox == []


def test_a_second_open_invitation_is_refused(client, nora, invite, login):
    invite(nora)
    english(client)
    login("coord@sintjozef.demo")
    response = client.post(base(nora) + "accounts/student/invite/")
    assert response.status_code == 400
    assert "already invited" in response.content.decode()
    assert AccountInvitation.objects.count() == 1


def test_the_database_allows_one_open_invitation_per_student_and_per_contact(nora):
    kwargs = {"student": nora.student, "email": STUDENT_EMAIL, "expires_at": timezone.now()}
    AccountInvitation.objects.create(token_hash="a" * 64, **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountInvitation.objects.create(token_hash="b" * 64, **kwargs)
    contact = contact_of(nora)
    AccountInvitation.objects.create(token_hash="c" * 64, contact=contact, **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountInvitation.objects.create(token_hash="d" * 64, contact=contact, **kwargs)


def test_the_contact_must_be_the_students(nora):
    other = lotte().student.contacts.get()
    with pytest.raises(ValidationError):
        account_services.account_invitation_create(
            actor=user("coord@sintjozef.demo"),
            student=nora.student,
            contact=other,
        )


# --- access per view --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["student", "contact"])
def test_invite_access(client, nora, login, kind):
    url = base(nora) + (
        "accounts/student/invite/"
        if kind == "student"
        else f"contacts/{contact_of(nora).pk}/invite/"
    )
    assert_login_redirect(client.post(url))
    login("tb@dering.demo")  # another school
    assert client.post(url).status_code == 404
    login("mentor@vandenberghe.demo")  # A1's team, but not Nora's mentor
    assert client.post(url).status_code == 404
    login("directie@sintjozef.demo")  # sees Nora (I on recruiting), may not invite
    assert client.post(url).status_code == 403
    login("coord@sintjozef.demo")
    assert client.get(url).status_code == 405
    assert not AccountInvitation.objects.exists()


def test_a_contact_of_another_student_is_404(client, nora, login):
    login("coord@sintjozef.demo")
    lotte_parent = lotte().student.contacts.get()
    assert client.post(base(nora) + f"contacts/{lotte_parent.pk}/invite/").status_code == 404
    assert client.post(base(nora) + "contacts/999999/invite/").status_code == 404
    assert not AccountInvitation.objects.exists()


@pytest.mark.parametrize("action", ["resend", "revoke"])
def test_resend_and_revoke_access(client, nora, invite, login, action):
    invite(nora)
    invitation = AccountInvitation.objects.get()
    url = base(nora) + f"account-invitations/{invitation.public_id}/{action}/"
    assert_login_redirect(client.post(url))
    login("tb@dering.demo")
    assert client.post(url).status_code == 404
    login("directie@sintjozef.demo")
    assert client.post(url).status_code == 403
    login("coord@sintjozef.demo")
    assert client.get(url).status_code == 405
    # The invitation id under another traject's URL: 404.
    other = base(lotte()) + f"account-invitations/{invitation.public_id}/{action}/"
    assert client.post(other).status_code == 404
    unknown = base(nora) + f"account-invitations/00000000-0000-4000-8000-000000000000/{action}/"
    assert client.post(unknown).status_code == 404
    invitation.refresh_from_db()
    assert (invitation.send_count, invitation.revoked_at) == (1, None)


# --- adding a parent or guardian --------------------------------------------------------------


def contact_data(**overrides) -> dict[str, str]:
    data = {
        "contact-full_name": "Bart Nieuw",
        "contact-relation": "guardian",
        "contact-email": "bart@example.org",
        "contact-phone": "0470 11 22 33",
    }
    data.update(overrides)
    return data


def test_contact_add(client, nora, login):
    login("lk@sintjozef.demo")  # R on recruiting in A1
    response = client.post(base(nora) + "contacts/add/", contact_data())
    assert response.status_code == 302 and response["Location"] == base(nora) + "#contacts-title"
    contact = nora.student.contacts.get(full_name="Bart Nieuw")
    assert (contact.relation, contact.email, contact.phone, contact.user) == (
        "guardian",
        "bart@example.org",
        "0470 11 22 33",
        None,
    )


def test_contact_add_with_the_address_of_an_account_links_it(client, nora, login):
    parent = User.objects.create_user("bart@example.org", PASSWORD, full_name="Bart Nieuw")
    login("coord@sintjozef.demo")
    response = client.post(
        base(nora) + "contacts/add/", contact_data(**{"contact-email": "BART@example.org"})
    )
    assert response.status_code == 302
    assert nora.student.contacts.get(full_name="Bart Nieuw").user == parent
    assert set(permissions.trajects_visible_to(user=parent)) == {nora}


@pytest.mark.parametrize(
    "overrides",
    [
        {"contact-full_name": ""},
        {"contact-full_name": "   "},
        {"contact-relation": "uncle"},
        {"contact-email": "not-an-address"},
        {"contact-email": "a" * 290 + "@example.org"},  # 302 characters
        {"contact-phone": "0" * 31},
    ],
)
def test_contact_add_bad_input_is_400_and_saves_nothing(client, nora, login, overrides):
    login("coord@sintjozef.demo")
    response = client.post(base(nora) + "contacts/add/", contact_data(**overrides))
    assert response.status_code == 400
    assert 'data-testid="contact-form"' in response.content.decode()
    assert nora.student.contacts.count() == 1


def test_contact_add_access(client, nora, login):
    url = base(nora) + "contacts/add/"
    assert_login_redirect(client.post(url, contact_data()))
    login("tb@dering.demo")
    assert client.post(url, contact_data()).status_code == 404
    login("directie@sintjozef.demo")
    assert client.post(url, contact_data()).status_code == 403
    login("coord@sintjozef.demo")
    assert client.get(url).status_code == 405
    assert nora.student.contacts.count() == 1


# --- the traject page ------------------------------------------------------------------------


def test_traject_page_offers_invitations_to_whoever_may_enrol(client, nora, invite, login):
    contact = contact_of(nora)
    login("coord@sintjozef.demo")
    page = client.get(base(nora)).content.decode()
    assert 'data-testid="invite-student"' in page
    assert f'data-testid="invite-contact-{contact.pk}"' in page
    assert 'data-testid="contact-form"' in page
    client.logout()
    invite(nora, contact)
    invitation = AccountInvitation.objects.get()
    login("coord@sintjozef.demo")
    page = client.get(base(nora)).content.decode()
    assert f'data-testid="account-invitation-{invitation.public_id}"' in page
    assert f'data-testid="resend-{invitation.public_id}"' in page
    assert f'data-testid="invite-contact-{contact.pk}"' not in page
    # Lotte and her parent have accounts.
    lotte_page = client.get(base(lotte())).content.decode()
    assert lotte_page.count('data-testid="has-account"') == 2
    assert 'data-testid="invite-student"' not in lotte_page


@pytest.mark.parametrize("email", ["directie@sintjozef.demo", "oc@octl.demo"])
def test_traject_page_shows_no_account_actions_without_the_right(client, nora, login, email):
    login(email)
    response = client.get(base(nora))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ria Nieuw" in page  # the contacts are shown
    for marker in ("invite-student", "invite-contact-", "contact-form", "has-account"):
        assert f'data-testid="{marker}' not in page, marker
