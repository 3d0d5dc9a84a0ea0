"""The store: SMALL_STEPS_STORE settings, table setup, the PostgreSQL recorders,
erasure and kept replies.

The names below are what callers import from ``domain.store``."""

from domain.store.settings import (
    DEFAULT_STORE,
    POSTGRES_MODULE,
    StoreNotReady,
    StoreSettingError,
    StoreUnavailable,
    eventsourcing_env,
    failure,
    is_postgres,
    mask,
    store_url,
)

__all__ = [
    "DEFAULT_STORE",
    "POSTGRES_MODULE",
    "StoreNotReady",
    "StoreSettingError",
    "StoreUnavailable",
    "eventsourcing_env",
    "failure",
    "is_postgres",
    "mask",
    "store_url",
]
