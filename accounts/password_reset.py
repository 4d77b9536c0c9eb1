"""Password reset without telling who has an account, and without flooding anyone's inbox.

The view does the same for every address: check the throttles, queue one task with the address,
show the same page. The task (on the ``mail`` queue, in the worker) looks the account up and
sends the link, or does nothing; so a known and an unknown address cost the request the same
work and take the same time. At most ``PASSWORD_RESET_PER_EMAIL`` requests per address and
``PASSWORD_RESET_PER_CLIENT`` per client address (the proxy rule of ``duaal.audit.client_ip``)
within ``PASSWORD_RESET_WINDOW`` seconds; past that the request gets a neutral page that says to
wait, whatever the address, and nothing is queued.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

EMAIL_TEMPLATE = "emails/password_reset.txt"
HTML_EMAIL_TEMPLATE = "emails/password_reset.html"
SUBJECT_TEMPLATE = "emails/password_reset_subject.txt"


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"password-reset:{kind}:{digest}"


def _hit(key: str, limit: int) -> bool:
    """Count one request under ``key``; False once more than ``limit`` fell in the window."""
    window = settings.PASSWORD_RESET_WINDOW
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit


def password_reset_allowed(*, email: str, client: str) -> bool:
    """Count this request for the address and the client; both must be within their limits."""
    by_email = _hit(_key("email", email.strip().lower()), settings.PASSWORD_RESET_PER_EMAIL)
    by_client = _hit(_key("client", client), settings.PASSWORD_RESET_PER_CLIENT)
    return by_email and by_client


def password_reset_send(*, email: str) -> int:
    """Mail a reset link to each active account with a usable password at ``email`` (Django's
    own rules, ``PasswordResetForm.get_users``), in that account's language; nothing for any
    other address. Links are built on ``settings.SITE_URL``, never on a request's Host header.
    Returns the number of mails."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    sent = 0
    for user in form.get_users(form.cleaned_data["email"]):
        user_email = getattr(user, user.get_email_field_name())
        context = {
            "email": user_email,
            "domain": site.netloc,
            "site_name": site.netloc,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": site.scheme,
        }
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            form.send_mail(
                SUBJECT_TEMPLATE,
                EMAIL_TEMPLATE,
                context,
                None,
                user_email,
                html_email_template_name=HTML_EMAIL_TEMPLATE,
            )
        sent += 1
    return sent
