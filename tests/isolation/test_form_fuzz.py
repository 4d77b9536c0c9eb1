"""Bad input never gives a 500 (issue 13, finding 5): every form page, fuzzed.

The form pages are the ones tests/isolation/test_every_page_in_dutch.py submits (from the URL
classification, so a new form page is fuzzed as soon as it is listed there), plus the public
login and password-reset forms. Each page is opened by the first persona that gets it; the
fields of its own form (not the header's logout or language forms) are read from the HTML —
names, kinds and the options of selects, radios and checkboxes — and the form is posted again
and again with every field filled from a deterministic generator: huge and negative integers
(2**63 is what broke SQLite), numbers in odd notations, dates that do not exist, strings with
control characters, right-to-left marks and emoji, very long strings, several values for one
name, valid options mixed in so that later validation steps are reached too, and missing
fields. No response may be a server error.

The dashboards (issue 14, item 8) are read with GET — filter forms and export links — so the
last test fuzzes their query strings instead: every URL of the dashboards app, with the
parameters each page offers and those any dashboard reads.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.isolation.test_every_page_in_dutch import FORM_PAGES, PERSONAS
from tests.isolation.test_url_classification import ALL, AUTHENTICATED, TENANT_SCOPED

pytestmark = pytest.mark.django_db

OTHERS = ALL - set(PERSONAS)
# Pages that show no form in the seeded state (A1 already follows the version there is to
# adopt; the import page of a set's draft offers its form only for a set with a draft of the
# person's own organisation). Their forms are Django forms of the same shared fields.
# The appeal form of a recognition shows only within 10 days of a refusal: the demo refuses
# none (tests/recognition/test_company_views.py feeds it bad input).
WITHOUT_FORM_WHEN_SEEDED = {
    "learning:plan_adopt",
    "learning:set_import_draft",
    "recognition:company_request_appeal",
}

SEED = 13
# Generated field values over all pages together. Every value goes through a real request
# (≈ 2.5 values a request: most forms have few fields), so the count sets the run time: 3 000
# (≈ 1 200 requests) by default; the figure is DUAAL_FUZZ_INPUTS=10000.
TOTAL_INPUTS = int(os.environ.get("DUAAL_FUZZ_INPUTS", "3000"))
HOSTILE = (
    str(2**63),
    str(2**63 - 1),
    str(2**64),
    str(-(2**63) - 1),
    "-1",
    "0",
    "99999999999999999999999999999999999999",
    "1e400",
    "-0",
    "NaN",
    "inf",
    "0x10",
    "1.5",
    " 7 ",
    "",
    " ",
    "abc",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "Zoë 🎉 ünïcødé",
    "\u202eevil",
    "a\r\nBcc: x@example.org",
    "\x00",
    "tab\there",
    "\x1b[31m",
    "x" * 5000,
    "9" * 400,
    "2026-02-30",
    "0000-00-00",
    "31/12/9999",
    "9999-12-31T25:61",
    "00000000-0000-0000-0000-000000000000",
    "not-an-email@",
    "a@b.c" * 60,
)


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str | None
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)


class _FormReader(HTMLParser):
    """The forms of a page that use ``method`` (POST by default; GET for filter forms), and
    the query strings of its links (``links``: (path, query))."""

    def __init__(self, method: str = "post") -> None:
        super().__init__(convert_charrefs=True)
        self.method = method
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "a" and "?" in values.get("href", ""):
            parts = urlsplit(values["href"])
            self.links.append((parts.path, parts.query))
        if tag == "form":
            if values.get("method", "get").lower() == self.method:
                self._form = Form(
                    action=values.get("action"),
                    multipart="multipart" in values.get("enctype", ""),
                )
                self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = values.get("name")
        if tag == "input" and name and values.get("type", "text") not in {"submit", "button"}:
            kind = values.get("type", "text").lower()
            known = form.fields.setdefault(name, Field(name, kind))
            if kind in {"radio", "checkbox"} and "value" in values:
                known.options.append(values["value"])
        elif tag == "textarea" and name:
            form.fields.setdefault(name, Field(name, "textarea"))
        elif tag == "select" and name:
            kind = "select-multiple" if "multiple" in values else "select"
            self._select = form.fields.setdefault(name, Field(name, kind))
        elif tag == "option" and self._select is not None and "value" in values:
            self._select.options.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_form(html: str, path: str) -> Form | None:
    """The page's own form: posts to itself (no action, or its own path)."""
    reader = _FormReader()
    reader.feed(html)
    own = [
        form for form in reader.forms if not form.action or urlsplit(form.action).path in {"", path}
    ]
    own = [form for form in own if set(form.fields) - {"csrfmiddlewaretoken"}]
    return max(own, key=lambda form: len(form.fields)) if own else None


def _value(rng: random.Random, spec: Field) -> object:
    if spec.kind == "file":
        content = rng.choice([b"", b"\x89PNG\r\n\x1a\n" + rng.randbytes(40), b"{]", b"x" * 300])
        name = rng.choice(["foto.png", "import.json", "leerlingen.csv", "../../etc/passwd", "é"])
        return SimpleUploadedFile(name, content)
    if spec.options and rng.random() < 0.4:
        if spec.kind in {"select-multiple", "checkbox"}:
            return rng.sample(spec.options, k=rng.randint(1, len(spec.options)))
        return rng.choice(spec.options)
    if spec.kind in {"select-multiple", "checkbox"} or rng.random() < 0.1:
        return [rng.choice(HOSTILE) for _ in range(rng.randint(1, 3))]
    return rng.choice(HOSTILE)


def payloads(rng: random.Random, form: Form, budget: int):
    """Payloads for ``form`` until ``budget`` field values have been generated."""
    fields = [spec for name, spec in form.fields.items() if name != "csrfmiddlewaretoken"]
    spent = 0
    while spent < budget:
        data: dict[str, object] = {}
        for spec in fields:
            if rng.random() < 0.08:
                continue  # a missing field
            data[spec.name] = _value(rng, spec)
            spent += 1
        yield data


def _pages(names: list[str]) -> list[tuple[str, object, tuple[str, ...]]]:
    """(name, url or builder, who to try) for each of ``names`` the classification knows."""
    pages: list[tuple[str, object, tuple[str, ...]]] = []
    for name in sorted(names):
        if name in TENANT_SCOPED:
            scoped = TENANT_SCOPED[name]
            people = tuple(email for email in PERSONAS if email in scoped.insiders)
            people += tuple(sorted(scoped.insiders - set(people)))
            pages.append((name, scoped.build, people))
        elif name in AUTHENTICATED:
            pages.append((name, lambda name=name: reverse(name), (*PERSONAS, *sorted(OTHERS))))
    return pages


def _form_pages() -> list[tuple[str, object, tuple[str, ...]]]:
    """(name, url or builder, who to try) for every form page."""
    return _pages(sorted(FORM_PAGES))


def test_every_form_page_is_listed_and_found():
    names = {name for name, _, _ in _form_pages()}
    assert names == set(FORM_PAGES), set(FORM_PAGES) - names


def test_no_generated_input_makes_a_form_fail_with_a_server_error(client, tenant_objects):
    from accounts.models import User

    rng = random.Random(SEED)
    pages = _form_pages()
    budget = TOTAL_INPUTS // (len(pages) + 2) + 1
    client.raise_request_exception = False
    failures: list[str] = []
    generated = 0
    requests = 0
    skipped: list[str] = []

    def fuzz(url: str, form: Form, who: str, inputs: int = budget) -> None:
        nonlocal generated, requests
        for data in payloads(rng, form, inputs):
            generated += sum(1 for _ in data)
            requests += 1
            response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl-BE")
            if response.status_code >= 500:
                shown = {key: repr(value)[:40] for key, value in data.items()}
                failures.append(f"{who} POST {url} → {response.status_code}: {shown}")
                if len(failures) > 30:
                    return

    for name, build, people in pages:
        url = build() if callable(build) else build
        path = urlsplit(url).path
        for email in people:
            client.force_login(User.objects.get(email=email))
            form = None
            response = client.get(url)
            if response.status_code == 200:
                form = page_form(response.content.decode(), path)
            if form is None:
                # A POST-only endpoint whose form lives on another page: an empty POST
                # answers with that page, the refused form in it.
                response = client.post(url, {})
                assert response.status_code < 500, (email, url, response.status_code)
                if response.status_code in {200, 400}:
                    form = page_form(response.content.decode(), path)
            if form is not None:
                fuzz(url, form, email)
                break
        else:
            skipped.append(name)
    client.logout()
    anonymous = (reverse("accounts:login"), reverse("accounts:password_reset"))
    for index, url in enumerate(anonymous):
        form = page_form(client.get(url).content.decode(), url)
        assert form is not None, url
        # The last forms make up for pages the seeded demo offers no form on.
        remaining = -(-(TOTAL_INPUTS - generated) // (len(anonymous) - index))
        fuzz(url, form, "anonymous", max(budget, remaining))

    assert failures == [], "\n".join(failures)
    assert set(skipped) <= WITHOUT_FORM_WHEN_SEEDED, f"no persona reached a form on {skipped}"
    print(f"fuzz: {generated} inputs in {requests} requests over {len(pages) + 2} forms")
    assert generated >= TOTAL_INPUTS, (generated, requests)


# --- The dashboards' query strings (issue 14, item 8) -------------------------------------------
# The dashboards are read with GET: their filter forms (school year, partnership) and export
# links (``?export=<table>&format=csv|xlsx``) put everything in the query string. Every URL of
# the dashboards app is opened by the first persona who gets it and fuzzed with query strings
# built from the parameters the page itself offers (its GET forms' fields and options, its
# links' parameters and values) plus the ones any dashboard might read, filled from HOSTILE,
# valid values mixed in, repeated names, and raw query strings that are not even well formed.
# No response may be a server error.

QUERIES_PER_DASHBOARD = int(os.environ.get("DUAAL_FUZZ_QUERIES", "80"))
DASHBOARD_PARAMETERS = (
    "year",
    "partnership",
    "export",
    "format",
    "week",
    "period",
    "status",
    "opleiding",
    "page",
)
RAW_QUERIES = (
    "year=%ZZ&partnership=%00%ff",
    "export=&format=",
    "&&&=&==&year",
    "export=students&format=xlsx&format=csv&export=nope",
    "year=2026&year=2027&partnership=" + "9" * 400,
    "%FF%FE=%C0%AF",
    "format=xlsx&export=" + "%2e%2e%2f" * 20,
    "year=" + "x" * 5000,
)


def _dashboard_names() -> list[str]:
    from dashboards.urls import app_name, urlpatterns

    return [f"{app_name}:{pattern.name}" for pattern in urlpatterns if pattern.name]


def query_space(html: str, path: str) -> dict[str, list[str]]:
    """{parameter: values the page itself offers} from its GET forms and its links to itself,
    with every parameter a dashboard reads (known or not, with no value of its own)."""
    reader = _FormReader("get")
    reader.feed(html)
    space: dict[str, list[str]] = {name: [] for name in DASHBOARD_PARAMETERS}
    for form in reader.forms:
        if form.action and urlsplit(form.action).path not in {"", path}:
            continue
        for spec in form.fields.values():
            space.setdefault(spec.name, []).extend(spec.options)
    for link_path, query in reader.links:
        if link_path in {"", path}:
            for name, value in parse_qsl(query, keep_blank_values=True):
                space.setdefault(name, []).append(value)
    return space


def queries(rng: random.Random, space: dict[str, list[str]], count: int):
    """``count`` query strings or parameter dicts for a page with ``space``."""
    names = sorted(space)
    for number in range(count):
        if number < len(RAW_QUERIES):
            yield RAW_QUERIES[number]
            continue
        data: dict[str, object] = {}
        for name in names:
            if rng.random() < 0.4:
                continue
            known = space[name]
            if known and rng.random() < 0.5:
                data[name] = rng.choice(known)
            elif rng.random() < 0.1:
                data[name] = [rng.choice(HOSTILE + tuple(known)) for _ in range(rng.randint(2, 3))]
            else:
                data[name] = rng.choice(HOSTILE)
        if rng.random() < 0.1:
            data[rng.choice(HOSTILE)[:40] or "x"] = rng.choice(HOSTILE)
        yield data


def test_every_dashboard_url_is_classified():
    names = _dashboard_names()
    assert names and {name for name, _b, _p in _pages(names)} == set(names)


def test_no_query_string_makes_a_dashboard_fail_with_a_server_error(client, tenant_objects):
    from accounts.models import User

    rng = random.Random(SEED)
    client.raise_request_exception = False
    failures: list[str] = []
    unreached: list[str] = []
    requests = 0
    for name, build, people in _pages(_dashboard_names()):
        url = build() if callable(build) else build
        path = urlsplit(url).path
        html, who, plain = None, people[0], 0
        for email in people:
            client.force_login(User.objects.get(email=email))
            plain = client.get(url).status_code
            assert plain < 500, (email, url, plain)
            if plain == 200:
                html, who = client.get(url).content.decode(), email
                break
        if html is None:
            # Only a POST endpoint may be out of every persona's reach with GET (its form is
            # the form fuzz's); it is fuzzed all the same, as the first persona.
            if plain != 405:
                unreached.append(f"{name}: {plain}")
            client.force_login(User.objects.get(email=who))
        space = query_space(html or "", path)
        for query in queries(rng, space, QUERIES_PER_DASHBOARD):
            requests += 1
            if isinstance(query, str):
                response = client.get(f"{url}?{query}")
            else:
                response = client.get(url, query)
            if response.status_code >= 500:
                failures.append(f"{who} GET {url} {str(query)[:200]} → {response.status_code}")
            if len(failures) > 30:
                break
    assert failures == [], "\n".join(failures)
    assert unreached == [], unreached
    print(f"fuzz: {requests} query strings over {len(_dashboard_names())} dashboard URLs")
