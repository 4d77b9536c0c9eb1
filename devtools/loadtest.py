"""A small load-test driver: threads, one keep-alive HTTP connection each, real users.

No Django in here (the management command ``loadtest`` builds the plan from the database and
starts the servers); the driver only speaks HTTP, like a browser would:

* every virtual user logs in through the real login form (GET the form, POST the e-mail
  address, the password and the CSRF token, follow the redirect);
* ``get`` actions fetch a page and follow its redirects;
* ``autosave`` actions fetch a sheet, take the form whose action contains a marker, change
  one radio group and POST the whole form with ``X-Autosave: 1``, as static/js/autosave.js
  does (the CSRF token comes from the form, the cookie from the login);
* ``submit`` actions fetch a page and POST one of its forms unchanged (a PDF request),
  following the redirect.

Every request is timed; a status that is not the one the action expects (2xx, or a 3xx where a
redirect is expected) counts as an error with its label, status and address. The run is
bounded in time and in number of requests, and every connection goes to ``base_url`` only.
"""

from __future__ import annotations

import http.client
import math
import random
import re
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

LOGIN_PATH = "/accounts/login/"
MAX_REDIRECTS = 5
ERROR_SAMPLES = 20


@dataclass(frozen=True)
class Action:
    """One thing a user does. ``form`` is a substring of the action URL of the form to use
    (``autosave``/``submit``)."""

    label: str
    url: str
    kind: str = "get"  # get | autosave | submit
    weight: int = 1
    form: str = ""


@dataclass(frozen=True)
class VirtualUser:
    group: str
    email: str
    password: str
    actions: tuple[Action, ...]


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """The forms of a page with what a browser's FormData would send (no file inputs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind == "radio":
                form.radios.setdefault(name, []).append(a.get("value", "on"))
            if kind in {"radio", "checkbox"} and "checked" not in a:
                return
            form.fields.append(
                (name, a.get("value", "on" if kind in {"radio", "checkbox"} else ""))
            )
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            value = self._select_value if self._select_value is not None else self._select_first
            if value is not None:
                self._form.fields.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def find_form(html: str, marker: str) -> Form | None:
    return next((f for f in parse_forms(html) if f.method == "post" and marker in f.action), None)


class Stats:
    """Thread-safe tally of one run: timings per label, statuses, errors."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[int, int] = defaultdict(int)
        self.errors = 0
        self.error_samples: list[str] = []
        self.logins: list[float] = []

    def record(self, label: str, seconds: float, status: int, ok: bool, url: str) -> None:
        with self._lock:
            self.timings[label].append(seconds)
            self.statuses[status] += 1
            if not ok:
                self.errors += 1
                if len(self.error_samples) < ERROR_SAMPLES:
                    self.error_samples.append(f"{label}: {status} {url}")

    def error(self, label: str, message: str) -> None:
        with self._lock:
            self.errors += 1
            if len(self.error_samples) < ERROR_SAMPLES:
                self.error_samples.append(f"{label}: {message}")

    @property
    def requests(self) -> int:
        return sum(len(t) for t in self.timings.values())

    def all_timings(self) -> list[float]:
        return [t for timings in self.timings.values() for t in timings]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[rank]


class _Budget:
    """The run's bound: a deadline and a number of actions, shared by every thread."""

    def __init__(self, *, deadline: float, requests: int) -> None:
        self.deadline = deadline
        self._left = requests
        self._lock = threading.Lock()

    def take(self) -> bool:
        if time.perf_counter() >= self.deadline:
            return False
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True


class ProtocolError(Exception):
    pass


class Browser:
    """One user's keep-alive connection with its cookies; every request goes to one host."""

    def __init__(self, base_url: str, *, timeout: float = 30.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the driver speaks plain HTTP to one host, not {base_url!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _send(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": f"{self.host}:{self.port}", **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self._conn.request(method, path, body=body, headers=headers)
                response = self._conn.getresponse()
                data = response.read()
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                # A keep-alive connection the server closed between two requests: reconnect once.
                self.close()
                if attempt == 2:
                    raise
                continue
            break
        for value in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def request(
        self,
        method: str,
        path: str,
        *,
        fields: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        timed: Callable[[str, float, int, str], None],
        follow: bool = True,
    ) -> tuple[int, str, str]:
        """Send one request (and follow its redirects with GETs when ``follow``); every request
        is reported to ``timed(path, seconds, status, method)``. Returns the last status, the
        last path and its body."""
        body = urlencode(fields).encode() if fields is not None else None
        sent = dict(headers or {})
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"http://{self.host}:{self.port}"
            sent["Referer"] = f"http://{self.host}:{self.port}{path}"
        for _ in range(MAX_REDIRECTS + 1):
            started = time.perf_counter()
            status, response_headers, data = self._send(method, path, body, sent)
            timed(path, time.perf_counter() - started, status, method)
            location = response_headers.get("location")
            if not (follow and status in (301, 302, 303, 307, 308) and location):
                return status, path, data.decode("utf-8", "replace")
            target = urlsplit(urljoin(f"http://{self.host}:{self.port}{path}", location))
            if (target.hostname, target.port or 80) != (self.host, self.port):
                raise ProtocolError(f"redirect off the tested host: {location}")
            path = target.path + (f"?{target.query}" if target.query else "")
            method, body, sent = "GET", None, dict(headers or {})
        raise ProtocolError(f"more than {MAX_REDIRECTS} redirects from {path}")


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Session:
    """What one thread does: log its user in, then pick weighted actions until the budget ends."""

    def __init__(self, user: VirtualUser, base_url: str, stats: Stats, rng: random.Random) -> None:
        self.user = user
        self.browser = Browser(base_url)
        self.stats = stats
        self.rng = rng
        self.measuring = False

    def _timer(
        self, label: str, expect_json: bool = False
    ) -> Callable[[str, float, int, str], None]:
        def timed(path: str, seconds: float, status: int, method: str) -> None:
            if not self.measuring:
                return
            ok = 200 <= status < 400
            self.stats.record(
                f"{self.user.group}: {label}", seconds, status, ok, f"{method} {path}"
            )

        return timed

    def login(self) -> None:
        started = time.perf_counter()
        quiet = self._timer("login")
        status, _, html = self.browser.request("GET", LOGIN_PATH, timed=quiet)
        token = CSRF_INPUT.search(html)
        if status != 200 or token is None:
            raise ProtocolError(f"login form of {self.user.email}: {status}")
        status, path, _ = self.browser.request(
            "POST",
            LOGIN_PATH,
            fields=[
                ("csrfmiddlewaretoken", token.group(1)),
                ("username", self.user.email),
                ("password", self.user.password),
            ],
            timed=quiet,
        )
        if status != 200 or path.startswith(LOGIN_PATH) or "sessionid" not in self.browser.cookies:
            raise ProtocolError(f"{self.user.email} could not log in (status {status}, at {path})")
        self.stats.logins.append(time.perf_counter() - started)

    def act(self, action: Action) -> None:
        timed = self._timer(action.label)
        if action.kind == "get":
            self.browser.request("GET", action.url, timed=timed)
            return
        status, page, html = self.browser.request(
            "GET", action.url, timed=self._timer(action.label + " (page)")
        )
        if status != 200:
            return  # already counted as an error
        form = find_form(html, action.form)
        if form is None:
            self.stats.error(action.label, f"no form with {action.form!r} on {page}")
            return
        target = urljoin(page, form.action) if form.action else page
        fields = list(form.fields)
        if action.kind == "autosave":
            self._change_one(fields, form)
            status, _, body = self.browser.request(
                "POST",
                target,
                fields=fields,
                headers={"X-Autosave": "1", "Accept": "application/json"},
                timed=timed,
                follow=False,
            )
            if status == 200 and '"saved"' not in body:
                self.stats.error(action.label, f"autosave answered {body[:120]!r}")
        else:
            self.browser.request("POST", target, fields=fields, timed=timed)

    def _change_one(self, fields: list[tuple[str, str]], form: Form) -> None:
        """Pick a radio group and another of its values (what a click does)."""
        groups = [name for name, values in form.radios.items() if len(values) > 1]
        if not groups:
            return
        name = self.rng.choice(groups)
        current = next((v for n, v in fields if n == name), None)
        choice = self.rng.choice([v for v in form.radios[name] if v != current])
        fields[:] = [(n, v) for n, v in fields if n != name] + [(name, choice)]

    def run(self, budget: _Budget, started: threading.Barrier) -> None:
        try:
            self.login()
        except (OSError, ProtocolError) as exc:
            self.stats.error("login", str(exc))
            started.wait()
            return
        started.wait()
        self.measuring = True
        actions = self.user.actions
        weights = [a.weight for a in actions]
        try:
            while budget.take():
                action = self.rng.choices(actions, weights)[0]
                try:
                    self.act(action)
                except (OSError, ProtocolError) as exc:
                    self.stats.error(action.label, f"{type(exc).__name__}: {exc}")
                    self.browser.close()
        finally:
            self.browser.close()


@dataclass
class Result:
    stats: Stats
    seconds: float  # the measured window (after every login)
    connections: int

    @property
    def requests(self) -> int:
        return self.stats.requests

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary_ms(self) -> dict[str, float]:
        timings = self.stats.all_timings()
        return {
            q: percentile(timings, p) * 1000 for q, p in (("p50", 50), ("p95", 95), ("p99", 99))
        }

    def rows(self) -> list[tuple[str, int, float, float, float]]:
        """(label, requests, p50 ms, p95 ms, p99 ms) per label."""
        return [
            (
                label,
                len(t),
                statistics.median(t) * 1000,
                percentile(t, 95) * 1000,
                percentile(t, 99) * 1000,
            )
            for label, t in sorted(self.stats.timings.items())
        ]


def run(
    *,
    base_url: str,
    users: list[VirtualUser],
    connections: int,
    duration: float,
    max_requests: int,
    seed: int = 1,
    on_start: Callable[[], None] | None = None,
) -> Result:
    """Log ``connections`` virtual users in (user i is ``users[i % len(users)]``), then run the
    workload for ``duration`` seconds or ``max_requests`` actions (a page is one request, an
    autosave two, a PDF request three), whichever ends first.
    ``on_start`` is called once every user has logged in, when the measured window opens."""
    if not users:
        raise ValueError("no virtual users")
    stats = Stats()
    window: list[float] = []
    # Logging in must not hang the run for ever either.
    budget = _Budget(deadline=time.perf_counter() + 600, requests=max_requests)

    def opened() -> None:
        if on_start is not None:
            on_start()
        window.append(time.perf_counter())
        budget.deadline = window[0] + duration

    barrier = threading.Barrier(connections + 1, action=opened)
    sessions = [
        _Session(users[i % len(users)], base_url, stats, random.Random(f"{seed}-{i}"))  # noqa: S311
        for i in range(connections)
    ]
    threads = [
        threading.Thread(target=s.run, args=(budget, barrier), daemon=True) for s in sessions
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join(timeout=duration + 60)
    ended = time.perf_counter()
    return Result(stats=stats, seconds=ended - window[0], connections=connections)
