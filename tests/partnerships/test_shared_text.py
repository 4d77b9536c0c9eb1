"""Issue 8, what is shared with students and parents: every free-text field is declared
internal or shared (``partnerships.sharing``), forms label it, and the student and the parents
never read internal text — not on a page, not in a PDF, not in the history."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import models

from accounts.models import User
from partnerships import permissions, sharing
from partnerships.models import Traject
from partnerships.services.trajects import traject_update
from tests.documents.conftest import pdf_text, squash

pytestmark = pytest.mark.django_db

# Apps whose models hold the domain's data. The engines (notifications, documents, agenda) and
# the audit trail keep their own texts, shown only to their owners (a notification's
# recipient, a document's requester) or recorded as changes of declared fields.
DOMAIN_APPS = (
    "accounts",
    "organisations",
    "partnerships",
    "learning",
    "recognition",
    "evaluation",
    "contracts",
    "dashboards",
)

FAMILY = ("leerling1@sintjozef.demo", "ouder1@sintjozef.demo")
TEAM = "tb@sintjozef.demo"


def test_every_free_text_field_is_declared_internal_or_shared():
    undeclared = []
    for label in DOMAIN_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.TextField) and not sharing.audience(
                    model._meta.label_lower, field.name
                ):
                    undeclared.append(f"{model._meta.label_lower}.{field.name}")
    assert undeclared == [], f"declare these in partnerships/sharing.py: {undeclared}"


def test_every_declaration_names_a_real_field():
    for label, fields in sharing.TEXT_FIELDS.items():
        model = apps.get_model(label)
        for name, kind in fields.items():
            model._meta.get_field(name)
            assert kind in (sharing.INTERNAL, sharing.SHARED)


def test_the_history_hides_exactly_the_declared_internal_fields():
    from partnerships.audit import INTERNAL_FIELDS

    assert INTERNAL_FIELDS["partnerships.traject"] == {
        "intake_notes",
        "beginsituatie",
        "end_reason",
    }


def test_the_team_reads_internal_text_the_student_and_parents_do_not(demo_cast):
    lotte = Traject.objects.get(student__first_name="Lotte")
    for email in (TEAM, "mentor@vandenberghe.demo", "coord@vandenberghe.demo", "oc@octl.demo"):
        assert permissions.may_see_internal_text(user=demo_cast[email], traject=lotte), email
    for email in FAMILY:
        viewer = demo_cast[email]
        assert permissions.trajects_visible_to(user=viewer).filter(pk=lotte.pk).exists()
        assert not permissions.may_see_internal_text(user=viewer, traject=lotte), email


def test_forms_label_internal_fields(client, demo_cast, login):
    client.cookies["duaal_language"] = "en"
    lotte = Traject.objects.get(student__first_name="Lotte")
    login("coord@sintjozef.demo")
    page = client.get(f"/trajects/{lotte.public_id}/edit/").content.decode()
    for name in ("intake_notes", "beginsituatie", "end_reason"):
        assert f'class="badge badge--internal" data-testid="audience-{name}"' in page, name
    assert "Internal — team only" in page
    assert "Only the duaal team reads this; the student and the parents do not." in page
    page = client.get(f"/partnerships/{lotte.partnership.public_id}/trajects/new/").content
    assert b'data-testid="audience-intake_notes"' in page


# --- the sentinel ---------------------------------------------------------------------------

SENTINEL = "ZQXINTERNAL"


def _plant_sentinels(coord: User) -> dict[int, list[str]]:
    """A unique sentinel in every internal field of every demo traject, through the services
    (so the audit trail holds them too), and an ended-then-reopened traject whose reason is in
    the history only. Returns {traject pk: its sentinels}."""
    planted: dict[int, list[str]] = {}
    for traject in Traject.objects.select_related("partnership", "student"):
        marks = {
            name: f"{SENTINEL}{name.upper().replace('_', '')}{traject.pk}"
            for name in sharing.internal_fields("partnerships.traject")
        }
        traject_update(
            actor=coord,
            traject=traject,
            data={"intake_notes": marks["intake_notes"], "beginsituatie": marks["beginsituatie"]},
        )
        if traject.status in ("intake", "running"):
            previous = traject.status
            traject_update(
                actor=coord,
                traject=traject,
                data={"status": "stopped", "end_reason": marks["end_reason"]},
            )
            traject_update(actor=coord, traject=traject, data={"status": previous})
        Traject.objects.filter(pk=traject.pk).update(end_reason=marks["end_reason"])
        planted[traject.pk] = list(marks.values())
    return planted


def _links(body: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'(?:href|hx-get)="(/[^"#]*)"', body)]


SKIP = re.compile(r"^/(accounts/logout|static/|admin/|i18n/)")


def _crawl(client, start: list[str], limit: int = 80) -> dict[str, str]:
    """Every same-site page reachable from ``start`` by links: {url: body}."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or SKIP.match(url):
            continue
        response = client.get(url)
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        seen[url] = body.decode(errors="replace") if not body.startswith(b"%PDF") else ""
        if body.startswith(b"%PDF"):
            seen[url] = pdf_text(body)
        queue += [link for link in _links(seen[url]) if link not in seen]
    return seen


def _traject_pdf(client, traject: Traject, capture) -> str:
    """The traject sheet the logged-in user requests (rendered eagerly), as text."""
    with capture(execute=True):
        response = client.post(f"/documents/request/traject/{traject.public_id}/")
    assert response.status_code == 302, response.status_code
    detail = response["Location"]
    download = detail.rstrip("/") + "/download/"
    response = client.get(download)
    assert response.status_code == 200, (download, response.status_code)
    return pdf_text(b"".join(response.streaming_content))


@pytest.mark.parametrize("email", FAMILY)
def test_internal_text_never_reaches_the_student_or_the_parents(
    client, demo_cast, login, email, django_capture_on_commit_callbacks
):
    planted = _plant_sentinels(demo_cast["coord@sintjozef.demo"])
    lotte = Traject.objects.get(student__first_name="Lotte")
    login(email)
    start = ["/", f"/trajects/{lotte.public_id}/", "/trajects/", "/agenda/", "/notifications/"]
    pages = _crawl(client, start)
    assert f"/trajects/{lotte.public_id}/" in pages
    assert len(pages) >= 5
    for url, body in pages.items():
        assert SENTINEL not in body, f"{email} read internal text at {url}"
    # The traject page shows the history, without the internal changes.
    assert 'data-testid="history-entry"' in pages[f"/trajects/{lotte.public_id}/"]
    pdf = squash(_traject_pdf(client, lotte, django_capture_on_commit_callbacks))
    assert "LotteJanssens" in pdf  # the sheet itself was read
    assert SENTINEL not in pdf
    assert planted[lotte.pk]


def test_the_team_does_read_the_internal_text(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    """The scan is not blind: the same pages and PDF show the sentinels to the team."""
    planted = _plant_sentinels(demo_cast["coord@sintjozef.demo"])
    lotte = Traject.objects.get(student__first_name="Lotte")
    login(TEAM)
    page = client.get(f"/trajects/{lotte.public_id}/").content.decode()
    for mark in planted[lotte.pk]:
        assert mark in page, mark
    # The history holds the internal changes (the reason was recorded, then cleared).
    history = page[page.index('data-testid="history"') :]
    assert planted[lotte.pk][0] in history or planted[lotte.pk][1] in history
    pdf = squash(_traject_pdf(client, lotte, django_capture_on_commit_callbacks))
    for mark in planted[lotte.pk]:
        assert mark in pdf, mark
