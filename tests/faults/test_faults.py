"""Faults, against the production shape: gunicorn workers, the projector, PostgreSQL.

Each test starts the real commands as separate processes (skill/devtools/stack.py) on a
PostgreSQL store of its own, and checks what the store holds afterwards: contention,
Alexa retrying a request, bad input at the edge, the projector killed mid catch-up,
and PostgreSQL itself restarting while requests arrive.
"""

from __future__ import annotations

import importlib.util
import multiprocessing as mp
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest

from domain.app import SmallSteps
from domain.projections.views import rows_snapshot
from skill.devtools import stack
from skill.devtools.envelopes import Device, SlotValue, spoken_text
from skill.speech import speech_for
from tests.replies import check_if_reply, said

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

APOLOGY = speech_for("en-GB").turn("error").text
SONG = SlotValue("played my favourite song", "favourite-song", "ActivityType")
USER = "amzn1.ask.account.FAULTS-SAME-PERSON"


@pytest.fixture
def store(pg_schema_url: str) -> str:
    stack.migrate(pg_schema_url)
    return pg_schema_url


def _query(store: str, sql: str) -> list[tuple]:
    """Rows of `sql` run in the store's own schema."""
    schema = store.rsplit("schema=", 1)[1]
    with psycopg.connect(store.split("?", 1)[0], autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        return conn.execute(sql).fetchall()


def _count(store: str, sql: str) -> int:
    return _query(store, sql)[0][0]


class Client(stack.Client):
    """The production stack's client, every skill reply checked (tests/replies.py)."""

    def post(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        status, body = super().post(*args, **kwargs)
        return status, check_if_reply(body)


def _events(store: str) -> int:
    return _count(store, "SELECT count(*) FROM smallsteps_events")


def _device(user: str = USER) -> Device:
    return Device(application_id=stack.SKILL_ID, user_id=user, locale="en-GB")


def _pending(body: dict[str, Any]) -> str | None:
    return ((body.get("sessionAttributes") or {}).get("pending") or {}).get("what")


# -- four processes, one person ----------------------------------------------------------


def _done_and_mood(base: str, signer: stack.Signer, rounds: int, go: Any,
                   results: Any) -> None:
    """One Echo: `rounds` times "I played my favourite song", then a mood."""
    client, device, problems = Client(base, signer, timeout=30), _device(), []
    go.wait()
    try:
        for i in range(rounds):
            device.session_id = None
            status, body = client.post(device.intent("LogDoneIntent", {"activity": SONG}))
            device.after(body)
            if status != 200 or _pending(body) != "mood_after":
                problems.append(f"done {i}: {status} {spoken_text(body)[:80]}")
                continue
            mood = i % 11
            status, body = client.post(device.intent("RateMoodIntent", {"mood": str(mood)}))
            # a low mood (3 or below) is met warmly and asks nothing more of a pleasure step
            wanted = "rate_enjoyment" if mood > 3 else None
            if status != 200 or _pending(body) != wanted:
                problems.append(f"mood {i}: {status} {spoken_text(body)[:80]}")
    except AssertionError as e:  # a reply that breaks the rules (tests/replies.py)
        problems.append(str(e)[:200])
    finally:
        client.close()
        results.put(problems)


def test_four_processes_log_done_and_mood_for_one_person_at_once(store: str,
                                                                 tmp_path: Path) -> None:
    processes, rounds = 4, 250
    signer = stack.Signer(tmp_path / "trust")
    with stack.production_server(store, tmp_path / "web.log", workers=2, threads=4,
                                 env=signer.env) as base:
        ctx = mp.get_context("spawn")
        go, results = ctx.Event(), ctx.Queue()
        workers = [ctx.Process(target=_done_and_mood, args=(base, signer, rounds, go, results))
                   for _ in range(processes)]
        for w in workers:
            w.start()
        go.set()
        problems = [p for _ in workers for p in results.get(timeout=600)]
        for w in workers:
            w.join(30)
        assert problems == []
        status, health = stack.get_json(base + "/healthz")
    assert status == 200 and health["projection_lag"] == 0
    app = SmallSteps.from_store(store, create_tables=False)
    try:
        app.catch_up()
        with app.views.reading() as cur:
            done = cur.one("SELECT count(*) AS n FROM ss_steps WHERE status = 'done'")["n"]
            moods = cur.one("SELECT count(*) AS n FROM ss_moods WHERE moment = 'after'")["n"]
            lifted = cur.one("SELECT count(*) AS n FROM ss_steps WHERE mood_after IS NOT NULL")
            total = cur.one("SELECT done_total AS n FROM ss_people")["n"]
        assert (done, moods, lifted["n"], total) == (1000, 1000, 1000, 1000)
        # The events themselves: 1,000 StepDone and 1,000 MoodRated, no more.
        topics = _topics(store)
        assert topics["domain.week:Week.StepDone"] == 1000
        assert topics["domain.week:Week.MoodRated"] == 1000
    finally:
        app.close()


def _topics(store: str) -> dict[str, int]:
    return dict(_query(store, "SELECT topic, count(*) FROM smallsteps_events GROUP BY topic"))


# -- Alexa retries --------------------------------------------------------------------


def test_the_same_request_delivered_twice_is_stored_once(store: str, tmp_path: Path) -> None:
    signer = stack.Signer(tmp_path / "trust")
    with stack.production_server(store, tmp_path / "web.log", env=signer.env) as base:
        client = Client(base, signer)
        device = _device()
        device.session_id = None
        status, first = client.post(device.intent("LogDoneIntent", {"activity": SONG}))
        assert status == 200 and _pending(first) == "mood_after"
        stored = _events(store)
        device.after(first)
        mood = device.intent("RateMoodIntent", {"mood": "7"})
        replies = [client.post(mood) for _ in range(2)]
        assert replies[0] == replies[1] and replies[0][0] == 200
        assert _events(store) == stored + 1  # one MoodRated
        # Delivered twice at the same moment, to two workers: still once.
        device.session_id = None
        done_again = device.intent("LogDoneIntent", {"activity": SONG})
        before = _events(store)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: Client(base, signer).post(done_again),
                                    range(4)))
        assert {a[0] for a in answers} == {200}
        assert all(a == answers[0] for a in answers)
        assert _events(store) - before == 2  # StepScheduled (unplanned) + StepDone, once


# -- bad input at the edge ------------------------------------------------------------


def _bad_bodies() -> dict[str, tuple[bytes, int]]:
    import json

    def changed(edit: Any) -> bytes:
        envelope = _device().launch()
        edit(envelope)
        return json.dumps(envelope).encode()

    def drop_type(e: dict) -> None:
        del e["request"]["type"]

    def number_id(e: dict) -> None:
        e["context"]["System"]["application"]["applicationId"] = 42

    def stale(e: dict) -> None:
        e["request"]["timestamp"] = "2020-01-01T00:00:00Z"

    def other_skill(e: dict) -> None:
        e["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.other"
        e["session"]["application"]["applicationId"] = "amzn1.ask.skill.other"

    return {
        "over 256 KB": (b'{"pad": "' + b"x" * (300 * 1024) + b'"}', 413),
        "invalid JSON": (b"{not json", 400),
        "JSON of the wrong shape": (b"[1, 2, 3]", 400),
        "a missing field": (changed(drop_type), 400),
        "a wrong type": (changed(number_id), 400),
        "a stale timestamp": (changed(stale), 400),
        "another skill's id": (changed(other_skill), 400),
    }


def test_bad_input_at_the_edge_gets_a_clear_4xx_and_loses_nothing(store: str,
                                                                  tmp_path: Path) -> None:
    signer = stack.Signer(tmp_path / "trust")
    with stack.production_server(store, tmp_path / "web.log", env=signer.env) as base:
        client = Client(base, signer)
        device = _device()
        status, body = client.post(device.intent("LogDoneIntent", {"activity": SONG}))
        assert status == 200 and _pending(body) == "mood_after"
        stored = _events(store)
        for what, (body_bytes, expected) in _bad_bodies().items():
            status, reply = client.post(body_bytes)  # signed: the checks behind it answer
            assert status == expected and reply.get("error"), (what, status, reply)
            assert "Traceback" not in str(reply), what
        status, reply = client.post(device.launch(), headers={"Signature-256": "AAAA"})
        assert status == 400 and reply.get("error") and "Traceback" not in str(reply)
        assert _events(store) == stored  # nothing stored, nothing lost
        status, body = client.post(device.intent("GetSmallStepIntent"))  # still serving
        assert status == 200 and said(body) and said(body) != APOLOGY
    log = (tmp_path / "web.log").read_text()
    assert "Traceback" not in log


# -- the projector ---------------------------------------------------------------------


def _seed(store: str, events: int) -> int:
    """Realistic events, written fast: the seeding of bench/projections.py."""
    path = Path(__file__).resolve().parents[2] / "bench" / "projections.py"
    spec = importlib.util.spec_from_file_location("bench_projections", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    app = SmallSteps.from_store(store, sync_views=False)  # the views stay empty
    try:
        return module.seed(app, events)
    finally:
        app.close()


def _views(store: str, rebuild: bool = False) -> dict:
    app = SmallSteps.from_store(store, create_tables=False)
    try:
        if rebuild:
            app.rebuild_views()
        with app.views.reading() as cur:
            return rows_snapshot(cur)
    finally:
        app.close()


def _position(store: str) -> int:
    try:
        return _count(store, "SELECT coalesce(max(notification_id), 0) "
                             "FROM smallsteps_views_tracking "
                             "WHERE application_name = 'SmallSteps'")
    except psycopg.Error:
        return 0


def test_the_projector_killed_mid_catch_up_carries_on_exactly_once(store: str,
                                                                  tmp_path: Path) -> None:
    head = _seed(store, 60_000)
    assert _position(store) == 0
    log = tmp_path / "projector.log"
    with stack.projector(store, log) as first:
        stack.wait_until(lambda: _position(store) > 0, 60, "the projector to start")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    killed_at = _position(store)
    assert 0 < killed_at < head, "the kill must land mid catch-up"
    with stack.projector(store, log) as second:
        stack.wait_until(lambda: _position(store) >= head, 300, "the projector to catch up")
        assert second.poll() is None
        # Following, not just caught up: a new event reaches the views by itself.
        app = SmallSteps.from_store(store, create_tables=False)
        try:
            app.enrol("someone-new", "en-GB", "Europe/London")
            latest = app.recorder.max_notification_id()
        finally:
            app.close()
        stack.wait_until(lambda: _position(store) >= latest, 30, "the projector to follow")
    incremental = _views(store)
    assert incremental == _views(store, rebuild=True)
    assert "projector caught up" in log.read_text()


# -- PostgreSQL restarts ---------------------------------------------------------------


@pytest.fixture
def cluster() -> Iterator[stack.PrivateCluster]:
    pg = stack.PrivateCluster()
    pg.start()
    try:
        yield pg
    finally:
        pg.close()


def _talk(base: str, signer: stack.Signer, user: str) -> tuple[int, str, float]:
    """One 'I did it' turn from a fresh session: (status, words, seconds)."""
    device = _device(user)
    began = time.monotonic()
    try:
        status, body = Client(base, signer, timeout=10).post(
            device.intent("LogDoneIntent", {"activity": SONG}))
    except OSError as e:
        return -1, type(e).__name__, time.monotonic() - began
    return status, said(body) if status == 200 else str(body), time.monotonic() - began


def test_postgres_restarting_under_the_server(cluster: stack.PrivateCluster,
                                              tmp_path: Path) -> None:
    store = f"{cluster.url}?schema=small_steps"
    stack.migrate(store)
    signer = stack.Signer(tmp_path / "trust")
    with stack.production_server(store, tmp_path / "web.log", env=signer.env) as base, \
            stack.projector(store, tmp_path / "projector.log") as follower:
        before = [_talk(base, signer, f"amzn1.ask.account.BEFORE-{i}") for i in range(6)]
        assert all(s == 200 and w.startswith("You played your favourite song")
                   for s, w, _ in before), before
        committed = _events(store)

        cluster.stop("immediate")  # a crash, as far as the server can tell
        during: list[tuple[int, str, float]] = []
        with ThreadPoolExecutor(6) as pool:
            during += pool.map(lambda i: _talk(base, signer, f"amzn1.ask.account.DURING-{i}"),
                               range(12))
        health = stack.get_json(base + "/healthz", timeout=6)[0]
        cluster.start()

        for status, words, seconds in during:
            assert seconds < 5.0, during
            assert (status == 200 and words == APOLOGY) or status == 503, during
        assert health == 503

        # Back without restarting anything: the same workers answer again.
        def served() -> bool:
            status, words, _ = _talk(base, signer, "amzn1.ask.account.AFTER")
            return status == 200 and words.startswith("You played your favourite song")

        stack.wait_until(served, 60, "the server to use the restarted database", pause=0.5)
        assert follower.poll() is None, "the projector survives the restart"
        head = _count(store, "SELECT max(notification_id) FROM smallsteps_events")
        stack.wait_until(lambda: _position(store) >= head, 30, "the projector to follow")
    # Nothing committed was lost, and the views, followed through it all, are whole.
    assert _events(store) >= committed + 2
    assert _topics(store)["domain.week:Week.StepDone"] >= 7
    assert _views(store) == _views(store, rebuild=True)
