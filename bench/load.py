"""Real HTTP load against the production shape, with a hello-world ASK skill as baseline.

What runs (all on loopback, each a process of its own, as in production):

- Small Steps: ``small-steps serve --production`` (gunicorn gthread workers) on a
  PostgreSQL store made by ``small-steps migrate``, with request verification ON:
  a certificate chain made for the run sits in the verifier's cache and its root is
  the only trusted one (skill/devtools/stack.py ``Signer``); every request is signed.
- The baseline: bench/hello.py, a minimal hello-world ASK skill through the same
  stack (gunicorn with the same workers and threads, Flask, flask-ask-sdk, the same
  verifier and trust root), sent the same envelopes as "today".
- Two floors, for context (not part of the ratio): the same hello world that also
  does one ``SELECT 1`` per request (hello_read), or inserts and commits one row
  (hello_write), on a pooled connection to the same PostgreSQL server. No skill
  that reads its store, or stores what it heard, can beat these on this machine.

Three kinds of request, each at concurrency 1, 8 and 32 (keep-alive client threads
spread over client processes, every request signed beforehand):

- today:     "what's my small step today?" for people with a step planned today;
- done_mood: "I played my favourite song", then "seven" in the same session (the mood
  after the step): two requests that change the store;
- summary:   "how was my week?" for people with a few steps and moods this week.

For each it prints requests/s and p50/p95/p99 latency (ms), then the ratios of our
throughput to the baseline's at concurrency 8, ``today_p99_c8_ms`` and
``load_ratio``: the lowest of the three ratios at concurrency 8 (targets: >= 0.7, and
today's p99 at concurrency 8 under 100 ms). Then each turn against its floor at
concurrency 8 (today and summary against hello_read, done_mood against hello_write),
and last ``floor_ratio=X``: the lowest of those three. Target: X >= 0.5. The exit
status is 0 either way.

    .venv/bin/python bench/load.py                 # about two minutes
    .venv/bin/python bench/load.py --requests 0.25 # a quick look (a quarter of the requests)

PostgreSQL: SMALL_STEPS_BENCH_PG (default SMALL_STEPS_TEST_PG, else
postgresql://postgres@127.0.0.1:5432/small_steps_test), in a fresh schema dropped
at the end (bench/common.py).
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a plain script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent

from bench.common import (  # noqa: E402
    HELLO_FLOOR_PG,
    HELLO_FLOOR_TABLE,
    PG_URL,
    log,
    postgres_store,
    server_version,
)
from skill.conversation.states import DialogState  # noqa: E402
from skill.devtools.envelopes import Device, SlotValue  # noqa: E402

LEVELS = (1, 8, 32)
REQUESTS = {1: 300, 8: 1600, 32: 3200}  # per level; done_mood sends them as pairs
WARMUP = 64
KINDS = ("today", "done_mood", "summary")
ZONE = "Europe/London"
TARGET_RATIO, TARGET_P99_MS = 0.7, 100.0
FLOORS = {"today": "hello_read", "summary": "hello_read", "done_mood": "hello_write"}
TARGET_FLOOR_RATIO = 0.5


# -- envelopes --------------------------------------------------------------------------

SONG = SlotValue("played my favourite song", "favourite-song", "ActivityType")


def _device(user: str) -> Device:
    from skill.devtools.stack import SKILL_ID

    return Device(application_id=SKILL_ID, user_id=user, device_id="amzn1.ask.device.BENCH",
                  locale="en-GB")


def requests_for(kind: str, count: int, people: list[str], fresh: Iterator[str],
                 week: str) -> list[list[dict[str, Any]]]:
    """`count` requests as sequences that must go in order on one connection."""
    if kind in ("today", "summary") or kind.startswith("hello"):
        intent = "WeeklySummaryIntent" if kind == "summary" else "GetSmallStepIntent"
        return [[_device(people[i % len(people)]).intent(intent)] for i in range(count)]
    pairs = []
    for _ in range(count // 2):
        device = _device(next(fresh))  # enrolled, nothing logged yet: the step will be <week>.1
        done = device.intent("LogDoneIntent", {"activity": SONG})
        device.attributes = {"pending": {"what": DialogState.MOOD_AFTER, "step": f"{week}.1"}}
        pairs.append([done, device.intent("RateMoodIntent", {"mood": "7"})])
    return pairs


# -- the client ---------------------------------------------------------------------------


def _client(base: str, key_pem: bytes, cert_url: str, work: list[list[dict]], threads: int,
            go: Any, out: Any) -> None:
    """One client process: sign its share, wait for the start, then send it on
    `threads` keep-alive connections. Puts (latencies, errors, start, end)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    from skill.devtools.stack import Client

    key = serialization.load_pem_private_key(key_pem, password=None)
    signed = []
    for sequence in work:
        items = []
        for envelope in sequence:
            body = json.dumps(envelope).encode()
            signature = base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256()))
            items.append((body, {"SignatureCertChainUrl": cert_url,
                                 "Signature-256": signature.decode()}, envelope))
        signed.append(items)
    shares = [signed[i::threads] for i in range(threads)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(share: list) -> None:
        client = Client(base, timeout=30)
        mine, bad = [], []
        for sequence in share:
            for body, headers, envelope in sequence:
                began = time.perf_counter()
                try:
                    status, reply = client.post(body, headers=headers)
                except OSError as e:
                    bad.append(type(e).__name__)
                    continue
                mine.append(time.perf_counter() - began)
                problem = _problem(status, reply, envelope)
                if problem:
                    bad.append(problem)
        client.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    workers = [threading.Thread(target=run, args=(share,)) for share in shares]
    go.wait()
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((latencies, errors, start, time.perf_counter()))


def _problem(status: int, reply: dict[str, Any], envelope: dict[str, Any]) -> str | None:
    if status != 200:
        return f"HTTP {status}: {str(reply)[:100]}"
    speech = ((reply.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
    if "went wrong" in speech:
        return "apology"
    intent = envelope["request"].get("intent", {}).get("name")
    pending = ((reply.get("sessionAttributes") or {}).get("pending") or {})
    if intent == "LogDoneIntent" and pending.get("what") != "mood_after":
        return f"done not logged: {speech[:80]}"
    if intent == "RateMoodIntent" and pending.get("what") != "rate_enjoyment":
        return f"mood not taken: {speech[:80]}"
    return None


def load(base: str, key_pem: bytes, cert_url: str, sequences: list[list[dict]],
         concurrency: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    processes = min(concurrency, 4)
    threads = concurrency // processes
    go, out = ctx.Event(), ctx.Queue()
    clients = [ctx.Process(target=_client, args=(base, key_pem, cert_url,
                                                 sequences[i::processes], threads, go, out))
               for i in range(processes)]
    for c in clients:
        c.start()
    time.sleep(0.5 + len(sequences) / 1500)  # signing: let every client get ready
    go.set()
    results = [out.get(timeout=900) for _ in clients]
    for c in clients:
        c.join(30)
    latencies = sorted(x for r in results for x in r[0])
    errors = [e for r in results for e in r[1]]
    wall = max(r[3] for r in results) - min(r[2] for r in results)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {"n": len(latencies), "rps": len(latencies) / wall, "p50": pct(0.50),
            "p95": pct(0.95), "p99": pct(0.99), "errors": errors,
            "mean": statistics.fmean(latencies) * 1000 if latencies else 0.0}


# -- the store ----------------------------------------------------------------------------


def seed(store: str, identity_key: str, planned: int, fresh: int) -> tuple[list[str], list[str],
                                                                           str]:
    """`planned` people with a week under way (two steps today, one done with a mood);
    `fresh` people enrolled with nothing logged. Returns their Alexa user ids."""
    from domain.app import SmallSteps
    from domain.clock import local_date, week_id
    from skill.conversation.identity import IdentityHasher

    hasher = IdentityHasher(identity_key.encode())
    app = SmallSteps.from_store(store, create_tables=False)
    today = local_date(datetime.now(timezone.utc), ZONE)
    people, newcomers = [], []
    try:
        for i in range(planned):
            user = f"amzn1.ask.account.BENCH-PLANNED-{i:05d}"
            key = hasher.key("user", user)
            app.enrol(key, "en-GB", ZONE)
            app.schedule_step(key, "make-bed", today, "morning")
            app.schedule_step(key, "walk-around-block", today, "evening")
            app.rate_mood(key, 4)
            app.log_done(key)
            people.append(user)
        for i in range(fresh):
            user = f"amzn1.ask.account.BENCH-FRESH-{i:05d}"
            app.enrol(hasher.key("user", user), "en-GB", ZONE)
            newcomers.append(user)
            if i % 1000 == 999:
                log(f"  seeded {i + 1} of {fresh} newcomers")
        app.catch_up()
    finally:
        app.close()
    return people, newcomers, week_id(today)


# -- running ------------------------------------------------------------------------------


def machine() -> str:
    pg = server_version(PG_URL)
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"PostgreSQL {pg}, {platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    import psycopg

    from skill.devtools import stack
    from skill.devtools import certs

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=float, default=1.0,
                        help="scale the number of requests per level (default 1.0)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker")
    args = parser.parse_args(argv)
    from skill.settings import DEFAULT_THREADS, default_workers

    workers, threads = args.workers or default_workers(), args.threads or DEFAULT_THREADS
    counts = {c: max(2 * c, int(n * args.requests) // 2 * 2) for c, n in REQUESTS.items()}
    log(f"machine: {machine()}")
    log(f"server: {workers} gunicorn workers x {threads} threads; verification on")
    identity = "bench-identity-key"
    with tempfile.TemporaryDirectory(prefix="small-steps-load-") as tmp, \
            postgres_store(PG_URL, "bench_load") as store:
        work = Path(tmp)
        signer = stack.Signer(work / "trust")
        key_pem = signer.chain.key.private_bytes(
            encoding=certs.serialization.Encoding.PEM,
            format=certs.serialization.PrivateFormat.PKCS8,
            encryption_algorithm=certs.serialization.NoEncryption())
        stack.migrate(store)
        need_fresh = sum(counts.values()) // 2 + WARMUP
        log(f"seeding 200 people with a week under way and {need_fresh} newcomers …")
        began = time.perf_counter()
        people, newcomers, week = seed(store, identity, 200, need_fresh)
        log(f"  seeded in {time.perf_counter() - began:.1f} s")
        fresh = iter(newcomers)
        env = {**signer.env, "SMALL_STEPS_IDENTITY_KEY": identity}
        results: dict[tuple[str, int], dict[str, Any]] = {}
        floor_table = f'"{store.rsplit("schema=", 1)[1]}".hello_floor'
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"CREATE TABLE {floor_table} (request_id TEXT)")
        env.update({HELLO_FLOOR_PG: PG_URL, HELLO_FLOOR_TABLE: floor_table})
        hello = [sys.executable, str(ROOT / "bench" / "hello.py")]
        servers = [
            ("hello", hello),
            ("hello_read", [*hello, "--floor", "read"]),
            ("hello_write", [*hello, "--floor", "write"]),
            ("small_steps", None),
        ]
        for name, command in servers:
            with stack.production_server(store, work / f"{name}.log", workers=workers,
                                         threads=threads, env=env, command=command) as base:
                kinds = (name,) if name.startswith("hello") else KINDS
                for kind in kinds:
                    warm = requests_for(kind, WARMUP, people, fresh, week)
                    load(base, key_pem, certs.CERT_URL, warm, 8)
                    for c in LEVELS:
                        sequences = requests_for(kind, counts[c], people, fresh, week)
                        r = load(base, key_pem, certs.CERT_URL, sequences, c)
                        results[(kind, c)] = r
                        errors = f" errors={len(r['errors'])} ({r['errors'][0]})" \
                            if r["errors"] else ""
                        print(f"{kind:9s} c={c:<2d} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms"
                              f"  p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
                              f"n={r['n']}{errors}", flush=True)
    failed = sum(len(r["errors"]) for r in results.values())
    base8 = results[("hello", 8)]["rps"]
    ratios = {kind: results[(kind, 8)]["rps"] / base8 for kind in KINDS}
    for kind, ratio in ratios.items():
        print(f"{kind}_ratio_c8={ratio:.2f}")
    for floor in ("hello_read", "hello_write"):
        print(f"{floor}_ratio_c8={results[(floor, 8)]['rps'] / base8:.2f}  "
              "(a floor, for context: one round trip / one commit per request)")
    p99 = results[("today", 8)]["p99"]
    print(f"errors={failed}")
    print(f"today_p99_c8_ms={p99:.1f}")
    ratio = min(ratios.values())
    verdict = "met" if ratio >= TARGET_RATIO and p99 < TARGET_P99_MS and not failed else "NOT met"
    print(f"targets (load_ratio>={TARGET_RATIO}, today p99 at c=8 <{TARGET_P99_MS:.0f} ms, "
          f"no errors): {verdict}")
    print(f"load_ratio={ratio:.2f}")
    # Each turn against the floor of what it must do at least: a read turn one round
    # trip to the store, a turn that stores what it heard one durable commit.
    floor_ratios = {kind: results[(kind, 8)]["rps"] / results[(FLOORS[kind], 8)]["rps"]
                    for kind in KINDS}
    for kind, value in floor_ratios.items():
        print(f"{kind}_floor_ratio_c8={value:.2f}  (against {FLOORS[kind]})")
    lowest = min(floor_ratios.values())
    verdict = "met" if lowest >= TARGET_FLOOR_RATIO and not failed else "NOT met"
    print(f"target (floor_ratio>={TARGET_FLOOR_RATIO}, no errors): {verdict}")
    print(f"floor_ratio={lowest:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
