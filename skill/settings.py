"""The server's settings, all from environment variables (README, "Settings")."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from domain.store import DEFAULT_STORE, store_url

log = logging.getLogger(__name__)

ENV_STORE = "SMALL_STEPS_STORE"
ENV_SKILL_ID = "SMALL_STEPS_SKILL_ID"
ENV_VERIFY = "SMALL_STEPS_VERIFY_REQUESTS"
ENV_IDENTITY_KEY = "SMALL_STEPS_IDENTITY_KEY"
ENV_IDENTITY_KEY_FILE = "SMALL_STEPS_IDENTITY_KEY_FILE"
ENV_HOST = "SMALL_STEPS_HOST"
ENV_PORT = "SMALL_STEPS_PORT"
ENV_TIMEZONE_TIMEOUT = "SMALL_STEPS_ALEXA_API_TIMEOUT"
ENV_WORKERS = "SMALL_STEPS_WORKERS"
ENV_THREADS = "SMALL_STEPS_THREADS"
ENV_LOG_LEVEL = "SMALL_STEPS_LOG_LEVEL"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_KEY_FILE = "var/identity.key"
MAX_BODY_BYTES = 256 * 1024
DEFAULT_THREADS = 4


def default_workers() -> int:
    """Two gunicorn workers per core, at most eight."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


class SettingsError(ValueError):
    """A setting is missing or not allowed; the message says which and why."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    v = value.strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{ENV_VERIFY} must be true or false, not {value!r}")


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise SettingsError(f"{name} must be a whole number from 1 to 64, not {raw!r}")
    return int(raw)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    store: str
    skill_ids: tuple[str, ...]
    verify_requests: bool
    identity_key: bytes
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    alexa_api_timeout: float = 2.0
    workers: int = 2
    threads: int = DEFAULT_THREADS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, host: str | None = None,
                 port: int | None = None, create_key: bool = True) -> Settings:
        """`create_key=False` (production) refuses to make a new identity key."""
        env = os.environ if environ is None else environ
        host = host or env.get(ENV_HOST) or DEFAULT_HOST
        try:
            port = int(port if port is not None else env.get(ENV_PORT) or DEFAULT_PORT)
        except ValueError:
            raise SettingsError(f"{ENV_PORT} must be a port number") from None
        settings = cls(
            store=store_url({ENV_STORE: env.get(ENV_STORE, "")}),
            skill_ids=tuple(i.strip() for i in env.get(ENV_SKILL_ID, "").split(",") if i.strip()),
            verify_requests=_flag(env.get(ENV_VERIFY), True),
            identity_key=identity_key(env, create=create_key),
            host=host,
            port=port,
            alexa_api_timeout=float(env.get(ENV_TIMEZONE_TIMEOUT) or 2.0),
            workers=_count(env, ENV_WORKERS, default_workers()),
            threads=_count(env, ENV_THREADS, DEFAULT_THREADS),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if not self.verify_requests and not is_loopback(self.host):
            raise SettingsError(
                f"{ENV_VERIFY}=false is for local testing only: it is refused unless the "
                f"server binds to a loopback address (this one binds to {self.host})")

    def describe(self) -> str:
        return (f"store={_redact(self.store)} verify_requests={self.verify_requests} "
                f"skill_ids={len(self.skill_ids)} host={self.host} port={self.port}")


def _redact(url: str) -> str:
    """A store URL without any password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, tail = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{tail}" if ":" in creds else url
    return url


def identity_key(env: Mapping[str, str], *, create: bool = True) -> bytes:
    """The secret that turns Alexa ids into stored person keys.

    SMALL_STEPS_IDENTITY_KEY, else the file SMALL_STEPS_IDENTITY_KEY_FILE (default
    var/identity.key), created with a fresh random key on first use. Losing the key
    separates people from their history, so production sets it explicitly."""
    if env.get(ENV_IDENTITY_KEY):
        return env[ENV_IDENTITY_KEY].encode("utf-8")
    path = Path(env.get(ENV_IDENTITY_KEY_FILE) or DEFAULT_KEY_FILE)
    if not path.exists() and not create:
        raise SettingsError(
            f"no identity key: {path} does not exist and {ENV_IDENTITY_KEY} is not set. "
            "Production never makes a new one (it would separate people from their "
            "history): restore the key, or create it once as the runbook says")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        log.warning("created a new identity key at %s; keep it with the store", path)
    try:
        key = path.read_text().strip()
    except OSError as e:
        raise SettingsError(f"cannot read the identity key at {path}: {e.strerror}") from None
    if not key:
        raise SettingsError(f"the identity key file {path} is empty")
    return key.encode("utf-8")


__all__ = ["DEFAULT_STORE", "MAX_BODY_BYTES", "Settings", "SettingsError", "is_loopback"]
