"""What operators rely on: JSON log lines carrying the request id, one line per request, and
optional error reporting switched on by an environment variable."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from duaal import audit
from duaal.logs import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def json_lines():
    """The records of the root logger as our production handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    request_logger = logging.getLogger("duaal.request")
    old_level = request_logger.level
    request_logger.setLevel(logging.INFO)
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line]
    finally:
        root.removeHandler(handler)
        request_logger.setLevel(old_level)


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_the_request_id_the_response_sends(client, json_lines):
    response = client.get("/healthz?secret=not-logged")
    lines = [line for line in json_lines() if line["logger"] == "duaal.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float)
    assert "not-logged" not in json.dumps(line)  # no query strings: they may hold personal data


def test_a_task_or_command_logs_its_own_id(json_lines):
    with audit.system_context("command test", request_id="task-123"):
        logging.getLogger("duaal.test").warning("something happened", extra={"rows": 3})
    (line,) = [line for line in json_lines() if line["logger"] == "duaal.test"]
    assert (line["request_id"], line["source"], line["rows"]) == ("task-123", "command test", 3)
    assert line["level"] == "WARNING" and line["message"] == "something happened"


def test_an_exception_is_logged_with_its_traceback(json_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("duaal.test").exception("failed")
    (line,) = [line for line in json_lines() if line["logger"] == "duaal.test"]
    assert "ValueError: boom" in line["exception"]


def _settings_probe(extra_env: dict[str, str], code: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENTRY_", "DJANGO_LOG"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "duaal.settings", **extra_env})
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


PROBE = (
    "import sentry_sdk; from django.conf import settings; "
    "client = sentry_sdk.get_client(); "
    "print(client.is_active(), client.options.get('send_default_pii'), "
    "settings.LOGGING['handlers']['console']['formatter'])"
)


def test_error_reporting_and_log_format_follow_the_environment():
    assert _settings_probe({}, PROBE).split()[::2] == ["False", "plain"]
    # A DSN on 127.0.0.1: initialising sends nothing; no personal data is configured.
    env = {"SENTRY_DSN": "http://public@127.0.0.1:9/1", "DJANGO_LOG_FORMAT": "json"}
    assert _settings_probe(env, PROBE).split() == ["True", "False", "json"]
