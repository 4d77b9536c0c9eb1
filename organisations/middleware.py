"""Which of the user's organisations is active in this session (the organisation switcher)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.http import HttpRequest, HttpResponse

from organisations.models import Membership
from organisations.selectors import kept_memberships_of

SESSION_KEY = "duaal_active_organisation"


class OrganisationContext:
    """The user's memberships (one query, on first use; kept like the menu with a shared
    cache: the switcher shows them on every page) and the active one. For display only:
    access to an organisation is ``organisations.access``'s question."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def memberships(self) -> list[Membership]:
        if not self._request.user.is_authenticated:
            return []
        return kept_memberships_of(user=self._request.user)

    @cached_property
    def active(self) -> Membership | None:
        wanted = self._request.session.get(SESSION_KEY)
        for membership in self.memberships:
            if str(membership.organisation.public_id) == wanted:
                return membership
        return self.memberships[0] if self.memberships else None


class ActiveOrganisationMiddleware:
    """Sets ``request.organisations``, an ``OrganisationContext`` evaluated lazily."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisations = OrganisationContext(request)
        return self.get_response(request)
