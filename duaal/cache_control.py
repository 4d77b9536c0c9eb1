"""Keep signed-in pages out of shared caches and the browser's back-forward cache.

Most pages a signed-in person sees hold personal data, often of minors. Without a
``Cache-Control`` header a proxy or a shared PC's browser may keep them; with
``private, no-store`` nobody keeps them. A response that sets its own ``Cache-Control``
(a download, an iCal feed, a photo) keeps it: its view chose deliberately.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PRIVATE_NO_STORE = "private, no-store"


class PrivateCacheControlMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person that has
    no ``Cache-Control`` of its own. Goes below ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response
