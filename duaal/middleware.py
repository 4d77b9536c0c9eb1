"""Language selection (Dutch unless the person chose otherwise) and the audit context."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from duaal import audit


class LanguageMiddleware:
    """Activate the language from the language cookie, else nl-BE.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language header: many
    Flemish users run an English browser yet expect the Dutch application (see
    docs/decisions/0002-dutch-by-default.md). The choice is stored in the cookie by the
    language switcher and restored from the account at login.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            code = translation.get_supported_language_variant(code)
        except LookupError:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response


class AuditContextMiddleware:
    """Give every request an id and make it, with IP address, method, path and user agent,
    the context of the audit entries its services record (``duaal.audit``).

    The id is also sent back as ``X-Request-ID``, so an entry can be matched with the logs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        with audit.use_context(audit.context_from_request(request, request_id=request_id)):
            response = self.get_response(request)
        response.headers.setdefault("X-Request-ID", request_id)
        return response
