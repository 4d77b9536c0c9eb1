"""Request types for views (type checking only; nothing here runs differently)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is an account, never the
    anonymous user, so it can be handed to services and access checks as it is."""

    user: User
