"""The server side of the autosave contract (static/js/autosave.js).

A sheet's form posts on every change with the header ``X-Autosave: 1`` and reads JSON back;
without JavaScript the same view gets a normal POST and answers with a redirect or the page.
These builders keep the answers alike on every sheet:

* ``saved(version)`` — 200, the new version the next save starts from;
* ``stale(message, version, values)`` — 409: someone else saved; their values are shown;
* ``invalid(errors)`` — 400, a message per input name, in the user's language;
* ``refused(message)`` — 403, e.g. a column handed in by someone else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext

HEADER = "X-Autosave"


def is_autosave(request: HttpRequest) -> bool:
    return request.headers.get(HEADER) == "1"


def saved(version: int, message: str | None = None) -> JsonResponse:
    return JsonResponse(
        {"status": "saved", "version": version, "message": message or gettext("Saved")}
    )


def stale(message: str, *, version: int, values: Mapping[str, Any]) -> JsonResponse:
    return JsonResponse(
        {"status": "stale", "message": message, "version": version, "values": dict(values)},
        status=409,
    )


def invalid(errors: Mapping[str, str], message: str | None = None) -> JsonResponse:
    return JsonResponse(
        {
            "status": "invalid",
            "message": message or gettext("Not saved: check the marked fields."),
            "errors": dict(errors),
        },
        status=400,
    )


def refused(message: str) -> JsonResponse:
    return JsonResponse({"status": "refused", "message": message}, status=403)


def error_messages(exc: ValidationError, *, field: str = "__all__") -> dict[str, str]:
    """{input name: first message} of a ValidationError (a plain one goes under ``field``)."""
    if hasattr(exc, "error_dict"):
        return {name: errors[0].messages[0] for name, errors in exc.error_dict.items()}
    return {field: exc.messages[0]}
