"""Statements and round trips per turn on PostgreSQL, counted at the wire.

A short conversation goes through the real Flask app (the Flask test client, request
verification off, one process, one thread) on a fresh PostgreSQL schema, with libpq's
protocol trace on every connection the process opens. For each turn it prints:

- statements: the SQL statements the client sent (simple Query messages and Execute
  messages of the extended protocol), BEGIN and COMMIT included;
- round trips: how often the client sent something and then waited for the server (a
  pipeline of many statements is one);
- commits: transactions that wrote something and committed (a COMMIT, or a statement
  in autocommit that wrote).

    .venv/bin/python bench/statements.py          # add --sql to see each statement

PostgreSQL: as for the other benchmarks (bench/common.py).
"""

from __future__ import annotations

import ctypes
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a plain script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PG_URL, log, postgres_store  # noqa: E402

_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|COPY|SELECT\s+\w*insert)", re.I)


class WireTrace:
    """libpq's trace of every connection opened from now on, a file each (libpq
    buffers each connection's trace on its own, so one shared file would mix up the
    order of their messages)."""

    def __init__(self, folder: Path, *, show_sql: bool = False):
        import psycopg
        from psycopg import pq

        self.folder = folder
        self.files: list[Any] = []  # kept open for the traced connections
        self.offsets: dict[Path, int] = {}
        original = psycopg.Connection.connect.__func__
        trace = self

        def connect(cls: Any, *args: Any, **kwargs: Any) -> Any:
            conn = original(cls, *args, **kwargs)
            path = trace.folder / f"connection-{len(trace.files)}.trace"
            trace.files.append(open(path, "w"))  # noqa: SIM115
            trace.offsets[path] = 0
            conn.pgconn.trace(trace.files[-1].fileno())
            conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
            if show_sql:
                conn.prepare_threshold = None  # every statement named in its own Parse
            return conn

        psycopg.Connection.connect = classmethod(connect)
        self.prepared: dict[str, str] = {}
        self.texts: list[str] = []

    def take(self) -> dict[str, int]:
        """Counts since the last call (the turns run one after another, so the
        connections' round trips add up)."""
        ctypes.CDLL(None).fflush(None)  # libpq writes each trace through a buffered FILE
        self.texts = []
        totals = {"statements": 0, "round_trips": 0, "commits": 0}
        for path, offset in self.offsets.items():
            text = path.read_text(errors="replace")
            self.offsets[path] = len(text)
            for name, value in self._count(text[offset:].splitlines()).items():
                totals[name] += value
        return totals

    def _count(self, lines: list[str]) -> dict[str, int]:
        statements = round_trips = commits = 0
        sending = wrote = in_transaction = False
        for line in lines:
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            direction, message, rest = parts[0], parts[2], "\t".join(parts[3:])
            if direction == "F":
                if not sending:
                    round_trips += 1
                    sending = True
                if message in ("Query", "Execute"):
                    statements += 1
                if message == "Parse":
                    name, text = re.match(r'\s*"([^"]*)" "(.*)', rest).groups()
                    self.prepared[name] = text
                elif message == "Bind":
                    name = re.match(r'\s*"[^"]*" "([^"]*)"', rest).group(1)
                    self.texts.append(f"[{round_trips}] " + self.prepared.get(name, "?")[:100])
                elif message == "Query":
                    self.texts.append(f"[{round_trips}] " + rest.strip()[:100])
                continue
            sending = False
            if message == "CommandComplete":
                tag = rest.strip().strip('"').split(" ")[0]
                if tag in ("INSERT", "UPDATE", "DELETE", "COPY"):
                    wrote = True
                elif tag == "BEGIN":
                    in_transaction, wrote = True, False
                elif tag in ("COMMIT", "ROLLBACK"):
                    commits += tag == "COMMIT" and wrote
                    in_transaction = wrote = False
            elif message == "ReadyForQuery" and rest.strip() == "I" and not in_transaction:
                commits += wrote  # a write in autocommit
                wrote = False
        return {"statements": statements, "round_trips": round_trips, "commits": commits}


def conversation() -> list[tuple[str, Any]]:
    """(what the person says, how to make the request from a Device)."""
    from skill.devtools.envelopes import SlotValue

    song = SlotValue("played my favourite song", "favourite-song", "ActivityType")
    return [
        ("open small steps (first time)", lambda d: d.launch()),
        ("yes (take the first step)", lambda d: d.intent("AMAZON.YesIntent")),
        ("what's my small step today", lambda d: (d.new_session(),
                                                   d.intent("GetSmallStepIntent"))[1]),
        ("I played my favourite song", lambda d: (d.new_session(),
                                                   d.intent("LogDoneIntent",
                                                            {"activity": song}))[1]),
        ("seven (mood after)", lambda d: d.intent("RateMoodIntent", {"mood": "7"})),
        ("how was my week", lambda d: (d.new_session(),
                                        d.intent("WeeklySummaryIntent"))[1]),
        ("what's my small step today (again)", lambda d: (d.new_session(),
                                                           d.intent("GetSmallStepIntent"))[1]),
    ]


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sql", action="store_true",
                        help="also print each statement (nothing prepared, to name them all)")
    show_sql = parser.parse_args(argv).sql

    from skill.devtools.envelopes import Device, spoken_text
    from skill.edge.web import create_app

    with tempfile.TemporaryDirectory(prefix="small-steps-wire-") as tmp, \
            postgres_store(PG_URL, "bench_wire") as store:
        env = {"SMALL_STEPS_STORE": store, "SMALL_STEPS_VERIFY_REQUESTS": "false",
               "SMALL_STEPS_SKILL_ID": "amzn1.ask.skill.bench-wire",
               "SMALL_STEPS_IDENTITY_KEY": "bench-wire-identity"}
        trace = WireTrace(Path(tmp), show_sql=show_sql)
        web = create_app(environ=env)
        client = web.test_client()
        device = Device(application_id="amzn1.ask.skill.bench-wire",
                        user_id="amzn1.ask.account.BENCH-WIRE", locale="en-GB")
        for warm in (False, True):  # the second person meets warm caches, as a server does
            if warm:
                device = Device(application_id="amzn1.ask.skill.bench-wire",
                                user_id="amzn1.ask.account.BENCH-WIRE-2", locale="en-GB")
                log("a second person, on the same server:")
            trace.take()
            for said, make in conversation():
                envelope = make(device)
                reply = client.post("/alexa", data=json.dumps(envelope),
                                    content_type="application/json")
                counts = trace.take()
                body = reply.get_json()
                device.after(body)
                print(f"{said:38s} statements {counts['statements']:3d}  round trips "
                      f"{counts['round_trips']:3d}  commits {counts['commits']:2d}   "
                      f"< {spoken_text(body)[:60]}", flush=True)
                if show_sql:
                    for text in trace.texts:
                        print("      ", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
