"""The application, opened on a store that may not answer yet.

A server starts whether or not its store answers: systemd may start it before
PostgreSQL is up, or an operator may have mistyped the database's name or port. It
must serve all the same, saying "unavailable" until the store can be used, and then
carry on without a restart. So the application (whose construction reads the store)
is built by the first request that finds the store reachable and set up; until then
each request tries again, with one short connection of its own (never a pool left
retrying behind it), and fails fast with StoreUnavailable. Why it cannot (the
database's words, passwords masked) is logged once, and again only when it changes.
"""

from __future__ import annotations

import logging
import threading

from domain.app import SmallSteps
from domain.clock import Clock
from domain.store import StoreNotReady, StoreUnavailable, eventsourcing_env
from domain.store.ledger import ENV_LEDGER
from domain.store.tables import reach

log = logging.getLogger(__name__)


class Opening:
    """`app`: the application, or StoreUnavailable (saying why) while the store
    cannot be used. Once opened it stays open: a later outage is the pool's to ride
    out (domain/store/postgres.py), as it is for a server that started on a live store."""

    def __init__(self, url: str, clock: Clock | None = None, *, create_tables: bool = True,
                 app: SmallSteps | None = None, ledger: str | None = None):
        """`app`: one built already (open from the start); `ledger`: the erasure
        ledger's path (SMALL_STEPS_ERASURE_LEDGER), if set."""
        self._env = eventsourcing_env(url)  # a mistyped URL is refused here, not served
        if ledger:
            self._env[ENV_LEDGER] = ledger
        self._clock = clock
        self._create_tables = create_tables
        self._app = app
        self._lock = threading.Lock()
        self._cause: str | None = None

    @property
    def app(self) -> SmallSteps:
        app = self._app
        if app is not None:
            return app
        # One request at a time tries; the others answer at once rather than queue
        # behind a connection that may take its whole timeout to fail.
        if not self._lock.acquire(blocking=False):
            raise StoreUnavailable(self._cause or "the store is being opened")
        try:
            if self._app is None:
                self._app = self._open()
            return self._app
        finally:
            self._lock.release()

    def ready(self) -> bool:
        """Whether the store can be used now (opening it if it can)."""
        try:
            self.app
        except StoreUnavailable:
            return False
        return True

    def _open(self) -> SmallSteps:
        try:
            reach(self._env)
            app = SmallSteps(self._env, self._clock, create_tables=self._create_tables)
            try:
                app.check_tables()
            except BaseException:
                app.close()
                raise
        except (StoreUnavailable, StoreNotReady) as e:
            raise self._unavailable(str(e)) from None
        except Exception as e:  # noqa: BLE001 - reachable a moment ago, gone again
            raise self._unavailable(type(e).__name__) from None
        if self._cause is not None:
            log.info("the store can be used now; serving it")
        self._cause = None
        return app

    def _unavailable(self, cause: str) -> StoreUnavailable:
        if cause != self._cause:
            log.warning("the store cannot be used yet (%s); answering \"unavailable\" until "
                        "it can", cause)
            self._cause = cause
        return StoreUnavailable(cause)

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
