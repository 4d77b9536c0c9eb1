"""Rendering a template trio in the recipient's language and sending it through Django's mailer.

SMTP errors become ``MailError``: temporary (4xx, connection refused or dropped) or permanent
(5xx). The caller decides about retries; nothing here retries by itself.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

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


def absolute(path: str) -> str:
    return conf.site_url() + path if path.startswith("/") else path


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))


def _smtp_text(code: int, message: bytes | str) -> str:
    text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
    return f"SMTP {code}: {text}"[:1000]


def send_email(*, to: str, subject: str, text: str, html: str, message_id: str) -> None:
    """Send one message with a fixed Message-ID; raises ``MailError`` when it is refused."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to],
        headers={
            "Message-ID": message_id,
            # RFC 3834: automatic mail; out-of-office replies should stay away.
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{preferences_url()}>",
        },
    )
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
