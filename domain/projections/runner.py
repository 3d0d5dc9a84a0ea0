"""Keeping the views current.

- Any process can pull: ``SmallSteps.catch_up()`` applies what is new, exactly once.
  That is all SQLite can do (its recorder cannot ``subscribe()``), and it is what
  gives read-your-writes: every query catches up first.
- On PostgreSQL a runner follows the store (LISTEN/NOTIFY through the library's
  ``ProjectionRunner``), so views stay fresh between requests too.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection, ProjectionRunner

from domain.projections.stores import PostgresViews, ViewsMixin


class ViewsProjection(Projection[Any]):
    name = "SmallStepsViews"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        view: ViewsMixin = self.view
        view.apply([(domain_event, tracking)])


def follow(env: dict[str, str]) -> ProjectionRunner:
    """Start a runner that follows a PostgreSQL store and keeps the views current.

    Use it as a context manager; it stops when the block ends."""
    from domain.app import SmallSteps
    from domain.store import is_postgres

    if not is_postgres(env):
        raise ValueError("only PostgreSQL can be followed; SQLite views catch up by pulling")
    return ProjectionRunner(
        application_class=SmallSteps,
        projection_class=ViewsProjection,
        view_class=PostgresViews,
        env=env,
    )
