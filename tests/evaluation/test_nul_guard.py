"""Every evaluation view refuses a NUL character in its input with a 400 (PostgreSQL cannot
store or compare one; the form fuzz found a 500 before this guard)."""

from __future__ import annotations

from django.urls import get_resolver, reverse

from evaluation.urls import refuse_nul
from tests.evaluation.support import traject_of


def test_a_nul_character_in_the_query_or_the_form_is_a_400(client, login, demo_cast):
    lotte = traject_of("Lotte")
    login("leerling1@sintjozef.demo")
    url = reverse("evaluation:day", args=[lotte.public_id])
    assert client.get(url, {"leerfiche": "a\x00b"}).status_code == 400
    response = client.post(url, {"note": "x\x00"}, headers={"X-Autosave": "1"})
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"


def test_every_evaluation_url_is_guarded():
    resolver = get_resolver()
    patterns = resolver.resolve("/evaluations/").func  # any evaluation view
    assert patterns.__wrapped__ is not None
    from evaluation import urls

    assert all(p.callback.__name__ == refuse_nul(p.callback).__name__ for p in urls.urlpatterns)
    assert all(hasattr(p.callback, "__wrapped__") for p in urls.urlpatterns)
