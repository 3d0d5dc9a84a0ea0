"""Fixtures for the end-to-end tests: Node dependencies and a running skill server.

Nothing here skips: a missing Node, a failed ``npm ci`` or a server that does not
come up is an error.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.harness import SkillServer, ensure_node_deps

_SERVER_KEY = pytest.StashKey[SkillServer]()


@pytest.fixture(scope="session", autouse=True)
def node_deps() -> None:
    """Node, npm and tests/e2e/node_modules, before any end-to-end test runs."""
    ensure_node_deps()


@pytest.fixture
def skill_server(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of a fresh ``small-steps serve``.

    Fresh SQLite store in tmp_path, request verification off, the e2e skill id
    and identity key (see harness.py). Its stderr and stdout are attached to the
    report of a failing test.
    """
    server = SkillServer(tmp_path / "server")
    request.node.stash[_SERVER_KEY] = server
    base_url = server.start()
    try:
        yield base_url
    finally:
        server.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo
) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    server = item.stash.get(_SERVER_KEY, None)
    if server is not None and report.failed:
        report.sections.append((f"skill server output ({report.when})", server.logs()))
