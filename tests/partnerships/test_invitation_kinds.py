"""One invitation abstraction: team and account invitations share the accept page, the link
module and the mail path (notifications' mailer: a Message-ID per sending, the invitee's
language, links from SITE_URL). The per-kind behaviour is in test_invitations.py (team) and
test_student_accounts.py (account); here what the kinds must have in common."""

from __future__ import annotations

import ast
import logging
import re
import smtplib
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import resolve
from django.utils import timezone

from accounts.models import User
from organisations.models import Membership, Organisation
from partnerships.models import (
    AccountInvitation,
    Invitation,
    Partnership,
    SchoolClass,
    Student,
    StudentContact,
    TeamMember,
    Traject,
)
from partnerships.services import invitations as invitation_services
from partnerships.services.accounts import account_invitation_create
from partnerships.services.invitation_mail import invitation_mail_send
from partnerships.services.invitations import invitation_create
from partnerships.services.links import VALIDITY
from partnerships.services.trajects import traject_create
from partnerships.views import invitations as invitation_views

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://duaal.example.be"
OTHER_HOST = "elders.example.org"
SINT_JOZEF = "Technisch Instituut Sint-Jozef"
TEAM_EMAIL = "nieuwe.mentor@vandenberghe.demo"
NORA_EMAIL = "nora@example.org"
PASSWORD = "Lasnaad-2026!"
LINK = re.compile(re.escape(SITE) + r"(/invitations/(team|account)/[^/\s]+/)")
KINDS = ("team", "account")


@pytest.fixture(autouse=True)
def site_url(settings):
    """The public address differs from the host the test client talks to."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]


def coord() -> User:
    return User.objects.get(email="coord@sintjozef.demo")


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


@pytest.fixture
def nora(demo_cast) -> Traject:
    """A new student of school A, with an e-mail address and no account, in A1."""
    partnership = a1()
    student = Student.objects.create(
        school=partnership.school,
        first_name="Nora",
        last_name="Nieuw",
        birth_date=date(2010, 5, 1),
        school_class=SchoolClass.objects.get(school=partnership.school, name="6 LAS"),
        email=NORA_EMAIL,
    )
    return traject_create(actor=coord(), partnership=partnership, student=student)


@pytest.fixture
def send(nora, django_capture_on_commit_callbacks):
    """``send(kind, **options)``: coord@sintjozef.demo invites (a new mentor into A1, or Nora
    to an account) through the service; returns the invitation and the path of the mailed link."""

    def _send(kind: str, **options) -> tuple[Invitation | AccountInvitation, str]:
        with django_capture_on_commit_callbacks(execute=True):
            if kind == "team":
                invitation = invitation_create(
                    actor=options.pop("actor", coord()),
                    partnership=a1(),
                    email=options.pop("email", TEAM_EMAIL),
                    full_name="Nieuwe Mentor",
                    role="mentor",
                    organisation=Organisation.objects.get(name="Metaalbouw Vandenberghe"),
                    **options,
                )
            else:
                invitation = account_invitation_create(
                    actor=options.pop("actor", coord()), student=nora.student, **options
                )
        match = LINK.search(mail.outbox[-1].body)
        assert match and match.group(2) == kind, mail.outbox[-1].body
        return invitation, match.group(1)

    return _send


def signup(name: str = "Nieuwe Persoon") -> dict[str, str]:
    return {"full_name": name, "password1": PASSWORD, "password2": PASSWORD}


def snapshot() -> list[list]:
    """The rows an accepted invitation changes, to prove that a refused one changed nothing."""
    return [
        list(User.objects.order_by("pk").values_list("pk", "email", "language")),
        list(Invitation.objects.order_by("pk").values()),
        list(AccountInvitation.objects.order_by("pk").values()),
        list(TeamMember.objects.order_by("pk").values_list("pk", "user_id", "role")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id")),
        list(Student.objects.order_by("pk").values_list("pk", "user_id")),
        list(StudentContact.objects.order_by("pk").values_list("pk", "user_id")),
    ]


# --- one accept page ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_both_kinds_are_accepted_through_the_one_view(client, nora, send, kind):
    invitation, path = send(kind)
    match = resolve(path)
    assert match.view_name == "partnerships:invitation_accept"
    assert match.func is invitation_views.invitation_accept
    assert match.kwargs["kind"] == kind

    page = client.get(path)
    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "partnerships/invitation_accept.html"
    assert f'data-testid="{kind}-invitation"' in page.content.decode()
    response = client.post(path, signup())
    assert response.status_code == 302

    invitation.refresh_from_db()
    account = User.objects.get(email=invitation.email)
    assert invitation.accepted_by == account and invitation.accepted_at is not None
    if kind == "team":
        assert response["Location"] == f"/partnerships/{a1().public_id}/"
        assert TeamMember.objects.filter(partnership=a1(), user=account, role="mentor").exists()
    else:
        assert response["Location"] == f"/trajects/{nora.public_id}/"
        assert Student.objects.get(pk=nora.student_id).user == account
    assert client.get(path).status_code == 410  # used up, for both kinds alike


DUTCH = {
    "used": "Deze uitnodiging werd al gebruikt.",
    "revoked": "Deze uitnodiging werd ingetrokken.",
    "expired": "Deze uitnodiging is verlopen: vraag een nieuwe aan.",
}


@pytest.mark.parametrize("reason", sorted(DUTCH))
@pytest.mark.parametrize("kind", KINDS)
def test_a_closed_link_says_why_in_dutch_and_changes_nothing(client, send, kind, reason):
    invitation, path = send(kind)
    later = timezone.now()
    if reason == "used":
        assert client.post(path, signup()).status_code == 302
        client.logout()
    elif reason == "revoked":
        invitation_services.invitation_revoke(actor=coord(), invitation=invitation)
    else:
        later += VALIDITY + timedelta(days=1)
    before = snapshot()
    with time_machine.travel(later):
        for response in (client.get(path), client.post(path, signup("Iemand Anders"))):
            assert response.status_code == 410
            body = response.content.decode()
            assert f'data-reason="{reason}"' in body
            assert DUTCH[reason] in body
            assert '<html lang="nl-be"' in body
    assert snapshot() == before


def test_an_unknown_kind_or_token_is_404(client, send):
    _invitation, path = send("team")
    token = path.split("/")[3]
    for wrong in (f"/invitations/nothing/{token}/", f"/invitations/account/{token}/"):
        response = client.get(wrong)
        assert response.status_code == 404
        assert "Deze uitnodigingslink is niet geldig." in response.content.decode()


@pytest.mark.parametrize(
    ("old", "kind"),
    [("/invitations/{token}/", "team"), ("/account-invitations/{token}/", "account")],
)
def test_links_mailed_before_lead_to_the_one_page(client, send, old, kind):
    """The URLs of the links mailed before both kinds shared one page keep working."""
    invitation, path = send(kind)
    legacy = old.format(token=path.split("/")[3])
    response = client.get(legacy)
    assert response.status_code == 307 and response["Location"] == path
    assert client.get(legacy, follow=True).status_code == 200
    # A form posted to the old address is passed on, data and all (307 keeps the method).
    response = client.post(legacy, signup(), follow=True)
    assert response.redirect_chain[0] == (path, 307)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_visitor_without_a_language_reads_the_invitations_and_keeps_it(client, send):
    invitation, path = send("team", language="en")
    page = client.get(path).content.decode()
    assert '<html lang="en"' in page
    assert "Join the duaal team Lassen-Constructie duaal" in page
    assert client.post(path, signup()).status_code == 302
    assert User.objects.get(email=TEAM_EMAIL).language == "en"


def test_a_chosen_language_wins_over_the_invitations(client, send):
    _invitation, path = send("team", language="en")
    client.cookies["duaal_language"] = "nl-be"
    assert '<html lang="nl-be"' in client.get(path).content.decode()
    assert client.post(path, signup()).status_code == 302
    assert User.objects.get(email=TEAM_EMAIL).language == "nl-be"


# --- one mail path ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_sending_has_its_own_fixed_message_id(send, kind, django_capture_on_commit_callbacks):
    invitation, first = send(kind)
    message = mail.outbox[-1]
    assert message.extra_headers["Message-ID"] == f"<invitation-{kind}-{invitation.pk}-1@duaal>"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in message.extra_headers  # nothing to opt out of
    with django_capture_on_commit_callbacks(execute=True):
        invitation_services.invitation_resend(actor=coord(), invitation=invitation)
    second = mail.outbox[-1]
    assert second.extra_headers["Message-ID"] == f"<invitation-{kind}-{invitation.pk}-2@duaal>"
    token = LINK.search(second.body).group(1).split("/")[3]
    # A retry of the same sending is the same message; the link of the first is dead.
    assert invitation_mail_send(kind=kind, invitation_id=invitation.pk, token=token)
    assert mail.outbox[-1].extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert mail.outbox[-1].body == second.body
    count = len(mail.outbox)
    stale = first.split("/")[3]
    assert not invitation_mail_send(kind=kind, invitation_id=invitation.pk, token=stale)
    invitation_services.invitation_revoke(actor=coord(), invitation=invitation)
    assert not invitation_mail_send(kind=kind, invitation_id=invitation.pk, token=token)
    assert len(mail.outbox) == count


SUBJECTS = {
    ("team", "nl-be"): "Uitnodiging voor het duaal team Lassen-Constructie duaal",
    ("team", "en"): "Invitation to the duaal team Lassen-Constructie duaal",
    ("account", "nl-be"): "Je account in Duaal",
    ("account", "en"): "Your account in Duaal",
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("chosen", "inviter", "account", "expected"),
    [
        (None, "nl-be", None, "nl-be"),  # nobody chose: nl-BE
        (None, "en", None, "en"),  # the inviter's own language
        ("en", "nl-be", None, "en"),  # the inviter's choice
        ("nl-be", "en", None, "nl-be"),
        ("nl-be", "nl-be", "en", "en"),  # an account's own language wins
        ("en", "en", "nl-be", "nl-be"),
    ],
)
def test_the_mail_is_in_the_invitees_language(send, kind, chosen, inviter, account, expected):
    User.objects.filter(pk=coord().pk).update(language=inviter)
    email = TEAM_EMAIL if kind == "team" else NORA_EMAIL
    if account:
        # An account with the address that is not linked to the student (yet).
        User.objects.create_user(email, PASSWORD, full_name="Bestaand", language=account)
    invitation, _path = send(kind, language=chosen)
    assert invitation.language == (chosen or inviter)
    message = mail.outbox[-1]
    assert message.subject == SUBJECTS[kind, expected]
    assert message.to == [email]


@pytest.mark.parametrize("kind", KINDS)
def test_the_link_starts_with_site_url_whatever_host_the_request_used(
    client, login, nora, kind, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    if kind == "team":
        url = f"/partnerships/{a1().public_id}/invitations/new/"
        data = {
            "invite-email": TEAM_EMAIL,
            "invite-full_name": "Nieuwe Mentor",
            "invite-role": "mentor",
            "invite-organisation": Organisation.objects.get(name="Metaalbouw Vandenberghe").pk,
        }
    else:
        url, data = f"/trajects/{nora.public_id}/accounts/student/invite/", {}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, HTTP_HOST=OTHER_HOST)
    assert response.status_code == 302
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    links = re.findall(r"https?://[^\s\"<]+", message.body + html)
    assert links and all(link.startswith(f"{SITE}/invitations/{kind}/") for link in links)
    assert OTHER_HOST not in message.body + html


def test_a_failing_mail_server_does_not_fail_the_invitation(
    client, demo_cast, login, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """Embedded mode (tasks run in the request): the refusal is logged, the invitation stays
    and can be sent again."""

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPDataError(451, b"try later")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    login("coord@sintjozef.demo")
    data = {
        "invite-email": TEAM_EMAIL,
        "invite-full_name": "Nieuwe Mentor",
        "invite-role": "mentor",
        "invite-organisation": Organisation.objects.get(name="Metaalbouw Vandenberghe").pk,
    }
    with (
        caplog.at_level(logging.WARNING, logger="partnerships.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/partnerships/{a1().public_id}/invitations/new/", data)
    assert response.status_code == 302
    assert Invitation.objects.filter(email=TEAM_EMAIL, revoked_at__isnull=True).exists()
    assert "SMTP 451" in caplog.text


def test_the_mail_engine_knows_no_partnerships():
    """notifications is a domain-agnostic engine: invitations call into its mailer, never the
    other way round."""
    for module in ("notifications/services/mail.py", "notifications/conf.py"):
        tree = ast.parse((ROOT / module).read_text())
        imported = {
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not {name for name in imported if name and name.startswith("partnerships")}, module


# --- the models ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_language_migration_keeps_every_invitation(send):
    """0007 only adds ``language`` (default nl-BE) to both tables: the rows survive it, both ways."""
    send("team")
    send("account")
    tables = {
        "partnerships_invitation": Invitation,
        "partnerships_accountinvitation": AccountInvitation,
    }

    def rows() -> dict[str, list[tuple]]:
        with connection.cursor() as cursor:
            found = {}
            for table in tables:
                cursor.execute(f"SELECT id, public_id, email, token_hash FROM {table} ORDER BY id")
                found[table] = cursor.fetchall()
            return found

    before = rows()
    assert all(before.values())
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("partnerships", "0006_permissions_per_raci_task")])
        assert rows() == before
        executor.loader.build_graph()
        executor.migrate([("partnerships", "0007_invitation_language")])
        assert rows() == before
        for model in tables.values():
            assert set(model.objects.values_list("language", flat=True)) == {"nl-be"}
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
