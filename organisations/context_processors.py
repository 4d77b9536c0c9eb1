from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def organisations(request: HttpRequest) -> dict[str, Any]:
    """The user's organisation context, for the header's organisation switcher."""
    context = getattr(request, "organisations", None)
    return {"organisations": context} if context is not None else {}
