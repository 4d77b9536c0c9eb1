"""The confirmation step of destructive actions.

Each destructive endpoint answers GET with a confirmation page that states the consequences
and holds the POST form; the page's ``<dialog>`` on the originating page (``data-confirm``,
``static/js/duaal.js``) is the same form. Only a POST carrying ``confirm=yes`` (the confirm
button's name and value) acts: a bare POST, e.g. from an old form or another site's button,
only shows the confirmation.
"""

from __future__ import annotations

from django.http import HttpRequest

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE
