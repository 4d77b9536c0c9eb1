"""Every URL pattern is classified, so no view can escape the isolation checks.

Adding a view means adding its name here: public, authenticated (the user's own data only),
tenant-scoped (with a builder from the demo cast, checked across tenants below) or
platform-admin (Django admin, staff only).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from partnerships.models import Organisation

PUBLIC = {
    "healthz",
    "set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}
AUTHENTICATED = {
    "home",
    "accounts:password_change",
    "accounts:password_change_done",
    "partnerships:organisation_switch",
}


def _company_x() -> Organisation:
    return Organisation.objects.get(name="Metaalbouw Vandenberghe")


# name -> function building the URL of organisation A's object (company X here).
TENANT_SCOPED: dict[str, Callable[[], str]] = {
    "partnerships:organisation_detail": lambda: f"/organisations/{_company_x().public_id}/",
    "partnerships:organisation_edit": lambda: f"/organisations/{_company_x().public_id}/edit/",
}
PLATFORM_ADMIN_PREFIX = "admin/"

# People of the other side: none of them is a member of company X.
OUTSIDERS = [
    "coord@daems.demo",
    "mentor@daems.demo",
    "tb@sintjozef.demo",
    "coord@sintjozef.demo",
    "directie@dering.demo",
    "oc@octl.demo",
    "consulent@sector.demo",
    "leerling1@sintjozef.demo",
]


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found += _walk(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            found.append((prefix + str(entry.pattern), name))
    return found


def test_every_url_pattern_is_classified():
    known = PUBLIC | AUTHENTICATED | set(TENANT_SCOPED)
    unclassified = [
        (route, name)
        for route, name in _walk(get_resolver())
        if not route.startswith(PLATFORM_ADMIN_PREFIX) and name not in known
    ]
    assert unclassified == [], f"classify these URL patterns in {__file__}: {unclassified}"


def test_authenticated_urls_require_login(client, db):
    from django.urls import reverse

    for name in AUTHENTICATED - {"partnerships:organisation_switch"}:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_admin_is_closed_to_tenant_users(client, demo_cast, login):
    login("coord@vandenberghe.demo")  # an organisation admin is not platform staff
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(TENANT_SCOPED))
@pytest.mark.parametrize("email", OUTSIDERS)
def test_other_tenants_get_404_and_change_nothing(client, demo_cast, login, name, email):
    url = TENANT_SCOPED[name]()
    before = list(Organisation.objects.order_by("pk").values())
    login(email)
    for htmx in (False, True):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        assert client.get(url, **headers).status_code == 404, (email, url, "GET", htmx)
        response = client.post(
            url, {"name": "Overgenomen", "ondernemingsnummer": "0566988259"}, **headers
        )
        # 405 for a read-only page: the same answer for every id, so nothing leaks.
        assert response.status_code in {404, 405}, (email, url, "POST", htmx)
    assert list(Organisation.objects.order_by("pk").values()) == before
