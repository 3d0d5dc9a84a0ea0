"""Logs: one JSON object per line, with the request id of the request being served.

What a log line may carry is deliberately narrow. Alexa ids (user, device, person,
session, request, skill ids all start ``amzn1.``) and passwords (a store URL's, or one a
driver's message quotes) are scrubbed from every message as a safety net, and the code
never logs mood values, activity text, slot values or speech: the access line names
the request type and intent, nothing a person said.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from contextvars import ContextVar
from typing import Any

from domain.store import mask

REQUEST_ID: ContextVar[str | None] = ContextVar("small_steps_request_id", default=None)
REQUEST_ID_HEADER = "X-Request-Id"
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_ALEXA_ID = re.compile(r"amzn1\.[A-Za-z0-9._\-]+")
# Structured fields a log call may add with ``extra=``; anything else is dropped.
FIELDS = ("method", "path", "status", "ms", "request_type", "intent", "workers", "threads",
          "position", "head", "lag", "events", "error")


def scrub(text: str) -> str:
    """No Alexa id and no password (a store URL, a driver's message) in any line."""
    return mask(_ALEXA_ID.sub("amzn1.…", text))


def request_id_from(header: str | None) -> str:
    """The proxy's request id if it is a sane token, else a fresh one."""
    if header and _GOOD_ID.match(header):
        return header
    return uuid.uuid4().hex[:16]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            line["request_id"] = request_id
        for field in FIELDS:
            if field in record.__dict__:
                value = record.__dict__[field]
                line[field] = scrub(value) if isinstance(value, str) else value
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line["exception"] = type(error).__name__
            line["where"] = [f"{f.filename}:{f.lineno} {f.name}"
                             for f in traceback.extract_tb(record.exc_info[2])][-6:]
        return json.dumps(line, ensure_ascii=False)


def configure(level: str = "INFO", *, stream: Any = None) -> None:
    """JSON lines on stderr for the whole process (root logger)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # werkzeug's own access lines carry client addresses; ours are in skill.edge.web.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def gunicorn_logconfig(level: str = "INFO") -> dict[str, Any]:
    """gunicorn's logging as JSON lines too (its access log is off: skill.edge.web logs)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "skill.edge.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
            "werkzeug": {"level": "WARNING"},
        },
    }
