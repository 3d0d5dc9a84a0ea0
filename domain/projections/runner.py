"""Keeping the views current.

- Any process can pull: ``SmallSteps.catch_up()`` applies what is new, exactly once.
  That is all SQLite can do (its recorder cannot ``subscribe()``), and it is what
  gives read-your-writes: every query catches up first.
- On PostgreSQL the projector (``small-steps projector``, `run_projector`) follows
  the store: it catches up in batches from its tracking position, then hands over to
  the library's ``ProjectionRunner`` (LISTEN/NOTIFY), so views stay fresh between
  requests. It can be stopped or killed at any moment: the position is committed with
  each batch of view changes, so a restart carries on from there, exactly once.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection, ProjectionRunner

from domain.projections.stores import PostgresViews, ViewsMixin

log = logging.getLogger(__name__)

RETRY_PAUSES = (0.5, 1.0, 2.0, 5.0, 10.0)  # while the store is unreachable
HEARTBEAT_SECONDS = 5.0  # between the projector's heartbeats (PostgresViews.beat)


class ViewsProjection(Projection[Any]):
    name = "SmallStepsViews"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        view: ViewsMixin = self.view
        view.apply([(domain_event, tracking)])


def follow(env: dict[str, str], *, create_tables: bool = True) -> ProjectionRunner:
    """Start a runner that follows a PostgreSQL store and keeps the views current.

    Use it as a context manager; it stops when the block ends."""
    from domain.app import SmallSteps
    from domain.store import is_postgres

    if not is_postgres(env):
        raise ValueError("only PostgreSQL can be followed; SQLite views catch up by pulling")
    if not create_tables:
        env = {**env, "CREATE_TABLE": "n"}
    made: list[PostgresViews] = []

    class RunnerViews(PostgresViews):
        """The runner's own views, made before its application."""

        def __init__(self, datastore: Any, **kwargs: Any):
            super().__init__(datastore, **kwargs)
            made.append(self)

    class FollowedSmallSteps(SmallSteps):
        """The application the runner builds: it keeps the application's name (which
        names its tables and tracking positions), runs DDL only if asked, and lets
        the runner's views read its events (a delivered event never jumps over one
        the views lack, e.g. while they are being rebuilt)."""

        name = SmallSteps.name

        def __init__(self, env: Any = None, clock: Any = None) -> None:
            super().__init__(env, clock, create_tables=create_tables)
            for views in made:
                self.attach_views(views)

    return ProjectionRunner(
        application_class=FollowedSmallSteps,
        projection_class=ViewsProjection,
        view_class=RunnerViews,
        env=env,
    )


def run_projector(url: str, stop: threading.Event, *,
                  heartbeat: float = HEARTBEAT_SECONDS) -> int:
    """Follow the store at `url` until `stop` is set. Returns an exit status.

    Survives the database going away: it logs, waits and starts again from the
    committed position. A store without tables is a setup error (exit 2). Every
    `heartbeat` seconds, idle or not, it records the views' position and the time
    (PostgresViews.beat): the health check's only sign that it is alive, since
    requests catch the views up too."""
    from domain.app import SmallSteps
    from domain.projections.catchup import LONG_CATCH_UP_BATCH
    from domain.store import StoreNotReady, eventsourcing_env, is_postgres
    from domain.store.tables import reach

    env = eventsourcing_env(url)
    if not is_postgres(env):
        log.error("the projector follows PostgreSQL; SQLite views are kept by the server itself")
        return 2
    failures = 0
    while not stop.is_set():
        app = None
        try:
            reach(env)  # not a pool left retrying behind, for each try
            app = SmallSteps(env, create_tables=False)
            app.check_tables()
            app.views.beat()
            head = app.recorder.max_notification_id() or 0
            start = app.views.position()
            log.info("projector catching up from %d to %d", start, head,
                     extra={"position": start, "head": head, "lag": head - start})
            began = time.perf_counter()
            position = app.catch_up(batch=LONG_CATCH_UP_BATCH,
                                    progress=functools.partial(_progress, app.views))
            seconds = time.perf_counter() - began
            log.info("projector caught up at %d (%d events in %.1f s); following",
                     position, position - start, seconds,
                     extra={"position": position, "events": position - start})
            failures = 0
            with follow(env, create_tables=False) as runner:
                beaten = time.monotonic()
                app.views.beat()
                while not stop.is_set():
                    runner.run_forever(timeout=min(0.5, heartbeat))
                    if runner.is_interrupted.is_set() and not stop.is_set():
                        raise RuntimeError("the runner stopped")  # pragma: no cover
                    if time.monotonic() - beaten >= heartbeat:
                        app.views.beat()
                        beaten = time.monotonic()
        except StoreNotReady as e:
            log.error("%s", e)
            return 2
        except Exception as e:  # noqa: BLE001 - the store went away: wait and start again
            pause = RETRY_PAUSES[min(failures, len(RETRY_PAUSES) - 1)]
            failures += 1
            log.warning("projector lost the store (%s); retrying in %.1f s",
                        _why(env, e), pause, extra={"error": type(e).__name__})
            stop.wait(pause)
        finally:
            if app is not None:
                app.close()
    log.info("projector stopped")
    return 0


def _progress(views: PostgresViews, position: int, head: int) -> None:
    """A long catch-up's progress: logged, and a heartbeat (it is alive, and working)."""
    log.info("projector at %d of %d", position, head, extra={"position": position, "head": head})
    views.beat()


def _why(env: dict[str, str], error: Exception) -> str:
    """Why the store failed, in the database's words: a pool only says that it timed
    out, so a connection of its own asks (passwords masked). If the store answers
    that one, the error's class only: a message may quote a row (a person's words)."""
    from domain.store import StoreUnavailable
    from domain.store.tables import reach

    if isinstance(error, StoreUnavailable):
        return str(error)
    try:
        reach(env)
    except StoreUnavailable as e:
        return str(e)
    return type(error).__name__
