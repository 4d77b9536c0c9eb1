"""Small helpers of the sheet forms (the student's day and the session sheet); their JSON
answers are ``evaluation.views.autosave``'s."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext


def messages_of(error: ValidationError, *, field: str = "__all__") -> dict[str, str]:
    """{input name: one sentence} of a ValidationError (a dict error keeps its names)."""
    if hasattr(error, "error_dict"):
        return {name: " ".join(msgs) for name, msgs in error.message_dict.items()}
    return {field: " ".join(error.messages)}


def parse_version(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if value >= 0 else None


def version_error() -> dict[str, str]:
    return {"version": gettext("This form is incomplete: reload the page and try again.")}


def next_url(request: HttpRequest, default: str) -> str:
    """The form's ``next`` when it stays on this site, else ``default``."""
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
