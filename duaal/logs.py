"""Logging for operators: one JSON object per line, each carrying the request id.

``RequestIdFilter`` adds the id of the current request (the ``X-Request-ID`` the response
sends back and the audit trail stores) or of the current task or command to every record, so
a line in the logs, an audit entry and a user's report ("it failed at 10:42, request id …")
point at each other. ``JsonFormatter`` writes what a log collector reads without parsing
rules. ``request_logger`` logs one line per request with its status and duration (replacing
gunicorn's access log, which cannot know the request id).

``DJANGO_LOG_FORMAT``: ``json`` (the default in production) or ``plain``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from duaal import audit

request_log = logging.getLogger("duaal.request")

# Attributes of every LogRecord: anything else was passed with ``extra=`` and is logged too.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` (and the work's source) from the current audit context."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = audit.current_context()
        if not getattr(record, "request_id", ""):
            record.request_id = context.request_id or "-"
        if not hasattr(record, "source"):
            record.source = context.source
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestLogMiddleware:
    """One log line per request: method, path, status, duration and the user's id (no query
    strings: they may carry personal data). Placed right after ``AuditContextMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
