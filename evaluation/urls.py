"""URLs of the evaluation app, one list per area (each area's views module declares its own).

Every evaluation view reads its input from the raw query and POST data (the sheets autosave
field by field, without a Django form), so one guard here refuses a NUL character anywhere in
it with a 400 before any view runs: PostgreSQL cannot store or compare one, and a form's
``ProhibitNullCharactersValidator`` is not there to catch it.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext

from evaluation.views import autosave, checkins, day, progress, review, sessions, softskills

app_name = "evaluation"


def _has_nul(data: Any) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


def refuse_nul(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            message = gettext("Null characters are not allowed.")
            if autosave.is_autosave(request):
                return autosave.invalid({"__all__": message}, message)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return view(request, *args, **kwargs)

    return guarded


urlpatterns = [
    *day.urlpatterns,
    *sessions.urlpatterns,
    *checkins.urlpatterns,
    *review.urlpatterns,
    *progress.urlpatterns,
    *softskills.urlpatterns,
]
for _pattern in urlpatterns:
    _pattern.callback = refuse_nul(_pattern.callback)
