"""Every evaluation view refuses a NUL character in its input with a 400 (PostgreSQL cannot
store or compare one; the form fuzz found a 500 before this guard)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import SlugConverter, StringConverter, UUIDConverter

from evaluation.views.day import IsoDateConverter
from tests.evaluation.support import traject_of

NUL = "a\x00b"
# A value for each kind of path parameter the evaluation URLs use. The objects do not exist:
# a view the guard does not wrap answers 404 (or 405), never the guard's 400.
SAMPLES = {
    UUIDConverter: uuid.UUID("00000000-0000-4000-8000-000000000000"),
    SlugConverter: "veilig-lassen",
    StringConverter: "x",
    IsoDateConverter: dt.date(2026, 1, 5),
}


def evaluation_patterns() -> list[URLPattern]:
    """The URL patterns served under the ``evaluation`` namespace, as the project routes them."""

    def walk(patterns: list) -> list[URLPattern]:
        found: list[URLPattern] = []
        for entry in patterns:
            if isinstance(entry, URLResolver):
                found += walk(entry.url_patterns)
            else:
                found.append(entry)
        return found

    resolvers = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "evaluation"
    ]
    assert resolvers, "the evaluation URLs are not included"
    return [pattern for resolver in resolvers for pattern in walk(resolver.url_patterns)]


def sample_url(pattern: URLPattern) -> str:
    converters = pattern.pattern.converters
    unknown = {type(converter) for converter in converters.values()} - set(SAMPLES)
    assert not unknown, f"{pattern.name}: give SAMPLES a value for {unknown}"
    kwargs = {name: SAMPLES[type(converter)] for name, converter in converters.items()}
    return reverse(f"evaluation:{pattern.name}", kwargs=kwargs)


def is_the_guard(response) -> bool:
    return response.status_code == 400 and response["Content-Type"].startswith("text/plain")


def test_a_nul_character_in_the_query_or_the_form_is_a_400(client, login, demo_cast):
    lotte = traject_of("Lotte")
    login("leerling1@sintjozef.demo")
    url = reverse("evaluation:day", args=[lotte.public_id])
    assert client.get(url).status_code == 200
    assert is_the_guard(client.get(url, {"leerfiche": NUL}))
    response = client.post(url, {"note": "x\x00"}, headers={"X-Autosave": "1"})
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"


def test_every_evaluation_url_is_guarded(client, login, demo_cast):
    """Each pattern of the namespace, called with a NUL in its query and in its form by a
    logged-in member of the team, is refused by the guard; without the NUL it is not. A new
    evaluation view left outside the guard answers 404 or 405 here and fails the test."""
    login("coord@sintjozef.demo")
    patterns = evaluation_patterns()
    assert len(patterns) >= 10
    unguarded = []
    for pattern in patterns:
        url = sample_url(pattern)
        assert not is_the_guard(client.get(url, {"q": "plain"})), url
        if not is_the_guard(client.get(url, {"q": NUL})):
            unguarded.append(f"{pattern.name} GET")
        if not is_the_guard(client.post(url, {"q": NUL})):
            unguarded.append(f"{pattern.name} POST")
        if not is_the_guard(client.post(url, {NUL: "key"})):
            unguarded.append(f"{pattern.name} POST (name)")
    assert unguarded == []
