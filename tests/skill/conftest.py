from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock
from tests.skill.harness import SKILL_ID, AlexaApiFake, Speaker, serving


@pytest.fixture
def alexa_api() -> Iterator[AlexaApiFake]:
    fake = AlexaApiFake()
    yield fake
    fake.close()


@pytest.fixture
def skill_env(tmp_path: Path) -> dict[str, str]:
    """Settings for a local test server: SQLite in tmp, verification off (loopback)."""
    return {
        "SMALL_STEPS_STORE": f"sqlite:///{tmp_path}/skill.sqlite",
        "SMALL_STEPS_SKILL_ID": SKILL_ID,
        "SMALL_STEPS_VERIFY_REQUESTS": "false",
        "SMALL_STEPS_IDENTITY_KEY": "test-identity-key",
    }


@pytest.fixture
def server(skill_env: dict[str, str], clock: FixedClock) -> Iterator[tuple[str, SmallSteps]]:
    with serving(skill_env, clock) as running:
        yield running


@pytest.fixture
def speaker(server: tuple[str, SmallSteps], clock: FixedClock,
            alexa_api: AlexaApiFake) -> Speaker:
    """A British speaker whose device is in London, per the (fake) Alexa settings API."""
    alexa_api.zones["amzn1.ask.device.LOCAL-CONSOLE"] = "Europe/London"
    return Speaker(server[0], clock, locale="en-GB", api_endpoint=alexa_api.url)
