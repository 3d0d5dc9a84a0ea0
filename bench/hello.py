"""The load benchmark's baseline: a minimal hello-world ASK skill, served the way
Small Steps is served in production (bench/load.py).

One handler answers every request with "Hello world!". It runs through the same
stack as the skill: gunicorn with the same workers, threads and settings
(skill/edge/production.py), Flask, flask-ask-sdk's SkillAdapter, and the same Alexa
request verification (skill/edge/verification.py: certificate chain, signature,
timestamp, skill id) with the same trust root. It has no store: what it costs is
what any verified ASK skill on this stack costs before it does anything.

With ``--floor read`` or ``--floor write`` each request also does the least a skill
with a PostgreSQL store can do: one ``SELECT 1``, or one row inserted and committed
(a durable write), on a pooled connection (HELLO_FLOOR_PG: the server's URL;
HELLO_FLOOR_TABLE: a table with one text column, for ``write``; read in
bench/common.py). bench/load.py
measures both beside the plain baseline, to show what part of the baseline's
throughput a round trip to the database, or a commit, leaves.

    .venv/bin/python bench/hello.py --port 8001 --workers 4 --threads 4
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a plain script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from typing import TYPE_CHECKING, Any  # noqa: E402

from ask_sdk_core.dispatch_components import AbstractRequestHandler  # noqa: E402
from ask_sdk_core.handler_input import HandlerInput  # noqa: E402
from ask_sdk_core.skill_builder import SkillBuilder  # noqa: E402
from ask_sdk_model import Response  # noqa: E402

if TYPE_CHECKING:
    from skill.settings import Settings


class HelloWorldHandler(AbstractRequestHandler):
    def __init__(self, floor: Any = None):
        self.floor = floor

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        if self.floor is not None:
            self.floor(handler_input.request_envelope.request.request_id)
        return (handler_input.response_builder.speak("Hello world!")
                .set_should_end_session(True).response)


class Floor:
    """One SELECT 1 (``read``) or one committed INSERT (``write``) per request."""

    def __init__(self, kind: str):
        from psycopg_pool import ConnectionPool

        from bench.common import hello_floor

        url, table = hello_floor()
        self.pool = ConnectionPool(url, min_size=2, max_size=4, open=True,
                                   kwargs={"autocommit": True})
        self.sql = "SELECT 1" if kind == "read" else f"INSERT INTO {table} VALUES (%s)"
        self.params = kind == "write"

    def __call__(self, request_id: str) -> None:
        with self.pool.connection() as conn:
            conn.execute(self.sql, (request_id,) if self.params else None, prepare=True)


def create_hello_app(settings: Settings, floor: str = "none") -> Any:
    from skill.edge import sdk_compat

    sdk_compat.install()  # as skill/edge/web.py does, before flask_ask_sdk imports certvalidator
    from flask import Flask
    from flask_ask_sdk.skill_adapter import (
        VERIFY_SIGNATURE_APP_CONFIG,
        VERIFY_TIMESTAMP_APP_CONFIG,
        SkillAdapter,
    )

    from skill.edge.verification import AlexaRequestVerifier, sdk_verifier

    sb = SkillBuilder()
    sb.add_request_handler(HelloWorldHandler(None if floor == "none" else Floor(floor)))
    web = Flask("hello_world")
    web.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    web.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    verifier = AlexaRequestVerifier.from_settings(settings.verification)
    adapter = SkillAdapter(skill=sb.create(), skill_id=settings.skill_ids[0],
                           verifiers=[sdk_verifier(verifier)], app=web)
    web.add_url_rule("/alexa", "alexa", adapter.dispatch_request, methods=["POST"])
    web.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return web


def main(argv: list[str] | None = None) -> int:
    from bench.common import hello_environ
    from skill.edge.logs import configure
    from skill.edge.production import ProductionServer
    from skill.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--floor", choices=("none", "read", "write"), default="none",
                        help="also one SELECT 1, or one committed INSERT, per request")
    args = parser.parse_args(argv)
    settings = Settings.from_env(hello_environ(), host=args.host, port=args.port)
    settings = dataclasses.replace(settings, workers=args.workers or settings.workers,
                                   threads=args.threads or settings.threads)
    configure(settings.log_level)
    ProductionServer(settings, loader=lambda: create_hello_app(settings, args.floor)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
