"""Names with line breaks or other control characters (issue 13, finding 4): refused where they
are typed, and a mail that does not leave never marks its invitation sent."""

from __future__ import annotations

import pytest
from django.core import mail

from duaal.validators import has_control_characters, no_control_characters
from organisations.models import Organisation
from partnerships.models import Invitation, Partnership, SchoolClass, Student

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
MESSAGE = "Gebruik geen regeleinden, tabs of andere stuurtekens."
NEW_EMAIL = "nieuwe.mentor@vandenberghe.demo"


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


def invite_data(full_name: str = "Nieuwe Mentor") -> dict[str, object]:
    return {
        "invite-email": NEW_EMAIL,
        "invite-full_name": full_name,
        "invite-role": "mentor",
        "invite-organisation": Organisation.objects.get(name="Metaalbouw Vandenberghe").pk,
    }


def invite_url() -> str:
    return f"/partnerships/{a1().public_id}/invitations/new/"


@pytest.mark.parametrize(
    "value", ["Lot\nte", "Lot\r\nBcc: x@example.org", "a\tb", "nul\x00", "esc\x1b[31m", "\u2028"]
)
def test_the_validator_refuses_control_characters(value):
    assert has_control_characters(value)
    with pytest.raises(Exception, match="stuurtekens|control"):
        no_control_characters(value)


@pytest.mark.parametrize("value", ["Zoë O'Brien-Van den Broeck", "Ağaoğlu", "محمد", "李 小龍"])
def test_the_validator_accepts_real_names(value):
    no_control_characters(value)


def test_the_invitation_form_refuses_a_name_with_a_line_break(client, demo_cast, login):
    login("coord@sintjozef.demo")
    response = client.post(invite_url(), invite_data(full_name="Nieuwe\r\nMentor"))
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Invitation.objects.filter(email=NEW_EMAIL).exists()
    assert mail.outbox == []


def test_the_student_form_refuses_a_first_name_with_a_line_break(client, demo_cast, login):
    login("coord@sintjozef.demo")
    school = Organisation.objects.get(name=SINT_JOZEF)
    response = client.post(
        f"/organisations/{school.public_id}/students/new/",
        {
            "first_name": "Lot\nte",
            "last_name": "Nieuw",
            "birth_date": "2009-03-14",
            "school_class": SchoolClass.objects.filter(school=school).first().pk,
        },
    )
    assert response.status_code in {200, 400}
    assert MESSAGE in response.content.decode()
    assert not Student.objects.filter(last_name="Nieuw").exists()


def test_the_organisation_and_partnership_models_validate_names(demo_cast):
    from django.core.exceptions import ValidationError

    partnership = a1()
    partnership.name = "Lassen\nBcc: x@example.org"
    with pytest.raises(ValidationError) as raised:
        partnership.full_clean()
    assert "name" in raised.value.message_dict
    organisation = Organisation.objects.get(name=SINT_JOZEF)
    organisation.name = "Sint\r\nJozef"
    with pytest.raises(ValidationError):
        organisation.full_clean()


def test_a_name_with_a_line_break_already_stored_still_mails_on_one_subject_line(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    """Rows from before the validator: the mail leaves with a one-line subject, no 500."""
    partnership = a1()
    url = invite_url()
    Partnership.objects.filter(pk=partnership.pk).update(name="Lassen\r\nBcc: x@example.org")
    login("coord@sintjozef.demo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, invite_data())
    assert response.status_code == 302
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.to == [NEW_EMAIL] and not message.bcc
    assert message.message().get("Bcc") is None
    assert Invitation.objects.get(email=NEW_EMAIL).sent_at is not None


def test_an_invitation_is_marked_sent_only_after_its_mail_left(
    client, demo_cast, login, settings, django_capture_on_commit_callbacks
):
    login("coord@sintjozef.demo")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(invite_url(), invite_data())
    assert response.status_code == 302
    invitation = Invitation.objects.get(email=NEW_EMAIL)
    assert invitation.sent_at is None, "queued, not sent"
    for callback in callbacks:
        callback()
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1


def test_a_mail_that_does_not_leave_never_marks_the_invitation_sent(
    client, demo_cast, login, settings, django_capture_on_commit_callbacks
):
    # A real SMTP backend against a closed port: the connection is refused.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    login("coord@sintjozef.demo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), invite_data())
    assert response.status_code == 302, "the inviter's request does not fail"
    invitation = Invitation.objects.get(email=NEW_EMAIL)
    assert invitation.sent_at is None
    page = client.get(f"/partnerships/{a1().public_id}/").content.decode()
    assert "laatst op" not in page.split(NEW_EMAIL, 1)[1].split("</tr>", 1)[0]
