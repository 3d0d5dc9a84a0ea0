"""A poison event is isolated: an event the views cannot apply (the view code rejects
it, or the database refuses its row) is set aside with its position and error class,
the views carry on past it, /healthz says "degraded" (still 200), the logs and the
table hold nobody's words, and `small-steps set-aside list | retry [ID]` deal with it.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.projections import writer as view_writer
from domain.projections.writer import ViewWriter
from domain.week import Week
from skill.devtools import stack
from tests.skill.harness import Speaker, health, person_key, serving, take_first_step

WORDS = "Zephyrine"  # a person's words, which no log line or set-aside row may hold


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def served(kind: str, skill_env: dict[str, str], store_url_for: Any,
           clock: FixedClock) -> Iterator[tuple[str, SmallSteps, str]]:
    url = store_url_for(kind)
    with serving({**skill_env, "SMALL_STEPS_STORE": url}, clock) as (base, app):
        yield base, app, url


def small_steps(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([stack.SMALL_STEPS, *args, "--store", url], capture_output=True,
                          text=True, timeout=60, env=stack.base_env(url))


def pair_bypassing_checks(app: SmallSteps, person: str, routine: Any) -> int:
    """Record a pairing the domain's checks would refuse (as a bug could); returns
    its notification id."""
    p = app.profile(person)
    step = app.today(person).steps[0].step_id
    week, _ = app._step(p, step)  # noqa: SLF001
    week.pair(step_id=step, routine=routine, at=app.clock.now())
    app.save(week)
    return app.recorder.max_notification_id()


@pytest.fixture
def rejecting_view(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """View code that rejects pairings (until the block is left: "the fix")."""

    def step_paired(self: ViewWriter, b: Any, e: Any, w: str) -> None:
        raise ValueError(f"cannot pair with {e.routine}")

    _, plan = view_writer.ROUTES[Week.StepPairedWithRoutine]
    monkeypatch.setitem(view_writer.ROUTES, Week.StepPairedWithRoutine, (step_paired, plan))
    yield


def test_an_event_the_view_code_rejects_is_set_aside_and_retried_after_the_fix(
        served: tuple[str, SmallSteps, str], clock: FixedClock, rejecting_view: None,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    base, app, url = served
    speaker = Speaker(base, clock, locale="en-GB")
    take_first_step(speaker)
    person = person_key(speaker)
    app.views.writer = ViewWriter()  # the rejecting code, as after a deploy
    with caplog.at_level(logging.INFO):
        poison = pair_bypassing_checks(app, person, f"{WORDS} tea")

    # Set aside, with its position and the error's class only; the views went past it.
    [row] = app.views.set_aside_events()
    assert (row["notification_id"], row["topic"], row["error"]) == (
        poison, "Week.StepPairedWithRoutine", "ValueError")
    assert row["set_aside_at"] is not None
    assert app.progress() == (poison, poison)
    assert WORDS not in caplog.text and f"event {poison} set aside" in caplog.text
    # Everyone is served, the person too; /healthz says degraded, with 200.
    other = Speaker(base, clock, locale="en-GB", user_id="amzn1.ask.account.OTHER",
                    device_id="amzn1.ask.device.OTHER")
    assert other.launch().startswith("Welcome to Small Steps.")
    assert "sorry" not in speaker.say("GetSmallStepIntent").lower()
    now = health(base, app)
    assert (now["status"], now["set_aside"], now["views_position"]) == (
        "degraded", 1, now["events"])

    listed = small_steps(url, "set-aside", "list")
    assert listed.returncode == 0, listed.stderr
    line = listed.stdout.splitlines()[0]
    assert re.fullmatch(rf"{poison} Week\.StepPairedWithRoutine ValueError "
                        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", line), line
    assert WORDS not in listed.stdout + listed.stderr
    # Retried while the view still rejects it: it stays, with its error.
    assert app.views.retry_set_aside(poison) == (0, 1)
    assert app.views.set_aside_events()[0]["error"] == "ValueError"
    missing = small_steps(url, "set-aside", "retry", str(poison + 1000))
    assert missing.returncode == 2 and missing.stderr.strip() == (
        f"small-steps set-aside retry: no event {poison + 1000} is set aside")

    monkeypatch.undo()  # the fix (the command runs in a process of its own, fixed)
    fixed = small_steps(url, "set-aside", "retry")
    assert fixed.returncode == 0 and "1 applied or gone, 0 still set aside" in fixed.stdout
    assert app.today(person).steps[0].paired_with == f"{WORDS} tea"
    assert health(base, app)["status"] == "ok" and health(base)["set_aside"] == 0
    assert small_steps(url, "set-aside", "list").stdout.strip() == (
        "small-steps set-aside list: 0 set aside")


def test_a_row_the_database_refuses_is_set_aside_and_the_views_go_on(
        served: tuple[str, SmallSteps, str], clock: FixedClock, kind: str,
        caplog: pytest.LogCaptureFixture) -> None:
    base, app, url = served
    speaker = Speaker(base, clock, locale="en-GB")
    take_first_step(speaker)
    person = person_key(speaker)
    # PostgreSQL refuses NUL in text; SQLite's driver refuses a mapping as a value.
    refused = f"{WORDS} tea\x00" if kind == "postgres" else {"after": WORDS}
    with caplog.at_level(logging.INFO):
        poison = pair_bypassing_checks(app, person, refused)
        app.catch_up()
    [row] = app.views.set_aside_events()
    assert (row["notification_id"], row["error"]) == (poison, (
        "UntranslatableCharacter" if kind == "postgres" else "ProgrammingError"))
    assert WORDS not in json.dumps(row) and WORDS not in caplog.text
    other = Speaker(base, clock, locale="en-GB", user_id="amzn1.ask.account.OTHER",
                    device_id="amzn1.ask.device.OTHER")
    assert other.launch().startswith("Welcome to Small Steps.")
    app.rate_mood(person, 6)
    assert app.week(person).mood_count == 1
    now = health(base, app)
    assert now["status"] == "degraded" and now["views_position"] == now["events"]
    # The database refuses it again: it stays set aside (exit 1).
    again = small_steps(url, "set-aside", "retry")
    assert again.returncode == 1, again.stderr
    assert again.stdout.strip() == "small-steps set-aside retry: 0 applied or gone, 1 still set aside"
    assert WORDS not in again.stdout + again.stderr
