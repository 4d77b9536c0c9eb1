"""The one mail path: a template trio rendered in the recipient's language and sent through
Django's mailer with a deterministic Message-ID.

Domain apps call in here (reminders and digests of this engine, invitations of partnerships);
this module knows nothing of them. Links in mails are absolute through ``settings.SITE_URL``.
SMTP errors become ``MailError``: temporary (4xx, connection refused or dropped) or permanent
(5xx). The caller decides about retries; nothing here retries by itself.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from notifications import conf


class MailError(Exception):
    """The mail was not accepted; ``permanent`` when retrying cannot help (5xx)."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def render_trio(template: str, context: dict[str, Any], *, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of ``<template>_subject.txt``, ``.txt`` and ``.html``."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    # A header is one line: template whitespace and newlines collapse to single spaces.
    return " ".join(subject.split()), text, html


def recipient_language(email: str, *, fallback: str | None = None) -> str:
    """The language to write to ``email`` in: the language of the account with that address,
    else ``fallback`` (what the sender chose for someone without an account), else the site's
    default (nl-BE). Always one of ``settings.LANGUAGES``."""
    own = (
        User.objects.filter(email__iexact=email.strip()).values_list("language", flat=True).first()
    )
    for candidate in (own, fallback):
        if candidate:
            try:
                return translation.get_supported_language_variant(candidate)
            except LookupError:
                continue
    return settings.LANGUAGE_CODE


def make_message_id(*parts: object) -> str:
    """A Message-ID made of ``parts``: the same parts give the same id, so a retried send is
    recognisable as the same message."""
    return "<" + "-".join(str(part) for part in parts) + "@duaal>"


def absolute(path: str) -> str:
    return conf.site_url() + path if path.startswith("/") else path


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))


def _smtp_text(code: int, message: bytes | str) -> str:
    text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
    return f"SMTP {code}: {text}"[:1000]


def send_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    unsubscribe: bool = True,
) -> None:
    """Send one message with a fixed Message-ID; raises ``MailError`` when it is refused.

    ``unsubscribe`` adds a List-Unsubscribe header to the notification preferences: right for
    reminders and digests, wrong for a one-off mail such as an invitation (the invitee may
    have no account, and there is nothing to opt out of)."""
    headers = {
        "Message-ID": message_id,
        # RFC 3834: automatic mail; out-of-office replies should stay away.
        "Auto-Submitted": "auto-generated",
    }
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{preferences_url()}>"
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        first = next(iter(exc.recipients.values()), (0, b""))
        raise MailError(
            _smtp_text(*first), permanent=bool(codes) and all(code >= 500 for code in codes)
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise MailError(
            _smtp_text(exc.smtp_code, exc.smtp_error), permanent=500 <= exc.smtp_code < 600
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}"[:1000], permanent=False) from exc
    except ValueError as exc:
        # A header Django refuses (BadHeaderError: a line break that reached it) or an
        # address it cannot encode: this message can never be sent, whatever the retries.
        raise MailError(f"{type(exc).__name__}: {exc}"[:1000], permanent=True) from exc


def mail_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    message_id: str,
    unsubscribe: bool = True,
) -> None:
    """Render the trio ``template`` in ``language`` and send it to ``to`` (``send_email``)."""
    subject, text, html = render_trio(template, context, language=language)
    send_email(
        to=to,
        subject=subject,
        text=text,
        html=html,
        message_id=message_id,
        unsubscribe=unsubscribe,
    )
