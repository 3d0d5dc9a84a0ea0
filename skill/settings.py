"""Every setting the skill and its commands read, from SMALL_STEPS_* environment variables.

This module is the only place in skill/ that reads the environment: `Settings.from_env`
builds one object (the `small-steps` command builds it once per run) and everything
else is handed the settings or the values it needs. The domain is given its store URL
and where its erasure ledger is kept.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import ipaddress
import logging
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from domain.store import DEFAULT_STORE, mask
from domain.store.ledger import ENV_LEDGER

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
ENV_TRUST_ROOTS = "SMALL_STEPS_TRUST_ROOTS"
ENV_CERT_CACHE_DIR = "SMALL_STEPS_CERT_CACHE_DIR"
ENV_PROJECTOR_STALE = "SMALL_STEPS_PROJECTOR_STALE_S"
ENV_HEARTBEAT = "SMALL_STEPS_PROJECTOR_HEARTBEAT_S"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_KEY_FILE = "var/identity.key"
DEFAULT_LOG_LEVEL = "INFO"
MAX_BODY_BYTES = 256 * 1024
DEFAULT_THREADS = 4
# What the Alexa developer console gives a skill: amzn1.ask.skill.<uuid>, in lower case.
SKILL_ID_SHAPE = re.compile(r"amzn1\.ask\.skill\.[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


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


def seconds_setting(env: Mapping[str, str], name: str, default: float) -> float:
    """A number of seconds above zero, or `default` when unset."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise SettingsError(f"{name} must be a number of seconds above zero, not {raw!r}")
    return value


@functools.cache
def installed_version() -> str:
    """The installed distribution's version: what an upgrade changed, as /healthz and
    `small-steps --version` say it (read once: a process runs the code it loaded)."""
    try:
        return importlib.metadata.version("small-steps")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - never installed
        return "unknown"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_store(environ: Mapping[str, str] | None = None) -> str:
    """SMALL_STEPS_STORE, else the embedded SQLite file."""
    return (_environ(environ).get(ENV_STORE) or DEFAULT_STORE).strip()


def read_log_level(environ: Mapping[str, str] | None = None) -> str:
    """SMALL_STEPS_LOG_LEVEL (default INFO): read before the rest, to set up the logs."""
    return _environ(environ).get(ENV_LOG_LEVEL) or DEFAULT_LOG_LEVEL


@dataclass(frozen=True)
class Verification:
    """What checking that a request comes from Alexa needs (skill/edge/verification.py)."""

    skill_ids: tuple[str, ...] = ()
    trust_roots: str | None = None  # a PEM file; None: the system's CA bundle
    cert_cache_dir: str | None = None  # where fetched chains are kept; None: memory only

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Verification:
        env = _environ(environ)
        return cls(
            skill_ids=tuple(i.strip() for i in env.get(ENV_SKILL_ID, "").split(",") if i.strip()),
            trust_roots=env.get(ENV_TRUST_ROOTS) or None,
            cert_cache_dir=env.get(ENV_CERT_CACHE_DIR) or None,
        )


@dataclass(frozen=True)
class Settings:
    store: str
    verify_requests: bool
    identity_key: bytes  # empty when the command never sees an Alexa id
    erasure_ledger: str = ""  # empty: the store's default (domain/store/ledger.py)
    verification: Verification = field(default_factory=Verification)
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    alexa_api_timeout: float = 2.0
    workers: int = 2
    threads: int = DEFAULT_THREADS
    log_level: str = DEFAULT_LOG_LEVEL
    # /healthz says "degraded" when the projector last beat longer ago than this
    # (it beats every few seconds, even when idle).
    projector_stale_s: float = 60.0
    projector_heartbeat_s: float = 5.0  # how often the projector says it is alive

    @property
    def skill_ids(self) -> tuple[str, ...]:
        return self.verification.skill_ids

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, host: str | None = None,
                 port: int | None = None, create_key: bool = True,
                 identity: bool = True) -> Settings:
        """`create_key=False` (production) refuses to make a new identity key;
        `identity=False` (commands that never see an Alexa id) neither reads nor makes it."""
        env = _environ(environ)
        host = host or env.get(ENV_HOST) or DEFAULT_HOST
        try:
            port = int(port if port is not None else env.get(ENV_PORT) or DEFAULT_PORT)
        except ValueError:
            raise SettingsError(f"{ENV_PORT} must be a port number") from None
        settings = cls(
            store=read_store(env),
            verify_requests=_flag(env.get(ENV_VERIFY), True),
            identity_key=identity_key(env, create=create_key) if identity else b"",
            erasure_ledger=erasure_ledger(env),
            verification=Verification.from_env(env),
            host=host,
            port=port,
            alexa_api_timeout=float(env.get(ENV_TIMEZONE_TIMEOUT) or 2.0),
            workers=_count(env, ENV_WORKERS, default_workers()),
            threads=_count(env, ENV_THREADS, DEFAULT_THREADS),
            log_level=read_log_level(env),
            projector_stale_s=seconds_setting(env, ENV_PROJECTOR_STALE, 60.0),
            projector_heartbeat_s=seconds_setting(env, ENV_HEARTBEAT, 5.0),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if not self.verify_requests and not is_loopback(self.host):
            raise SettingsError(
                f"{ENV_VERIFY}=false is for local testing only: it is refused unless the "
                f"server binds to a loopback address (this one binds to {self.host})")

    def check_production(self) -> None:
        """Production serves real people behind nginx, on loopback, where the rule above
        would let it run unverified: it refuses that outright."""
        if not self.verify_requests:
            raise SettingsError(
                f"{ENV_VERIFY}=false is refused in production: `serve --production` always "
                f"verifies that requests come from Alexa (remove the setting, or set it true)")
        self.check_skill_ids()
        if not self.erasure_ledger:
            log.warning("%s is not set: erasures are remembered nowhere outside the "
                        "database, and a restored backup would bring erased people back",
                        ENV_LEDGER)

    def check_skill_ids(self) -> None:
        """A placeholder or mistyped id would start a server that passes /healthz yet
        refuses every request from the real skill, so production refuses it at start.
        The message never repeats the ids (the logs scrub them as identifiers)."""
        ids = self.skill_ids
        if not ids:
            raise SettingsError(
                f"{ENV_SKILL_ID} is not set: production needs your skill's id from the "
                "Alexa developer console (amzn1.ask.skill.<uuid>)")
        if any("CHANGE-ME" in i.upper() for i in ids):
            raise SettingsError(
                f"{ENV_SKILL_ID} is still the example's placeholder (amzn1.ask.skill.CHANGE-ME): "
                "put your skill's id from the Alexa developer console there")
        wrong = sum(1 for i in ids if not SKILL_ID_SHAPE.fullmatch(i))
        if wrong:
            raise SettingsError(
                f"{ENV_SKILL_ID} is not an Alexa skill id ({wrong} of {len(ids)} given): "
                "production wants amzn1.ask.skill.<uuid>, in lower case, as the Alexa "
                "developer console shows it")

    def describe(self) -> str:
        return (f"store={mask(self.store)} verify_requests={self.verify_requests} "
                f"skill_ids={len(self.skill_ids)} host={self.host} port={self.port}")


def key_fingerprint(key: bytes) -> str:
    """The identity key's fingerprint: the SHA-256 of the key as the app uses it (the
    file's text without the white space around it). Backups record it and restores
    compare it (`small-steps key-fingerprint`), so both compute it one way, here."""
    return hashlib.sha256(key).hexdigest()


def erasure_ledger(env: Mapping[str, str]) -> str:
    """SMALL_STEPS_ERASURE_LEDGER; unset, erasures.jsonl in the systemd unit's
    StateDirectory (systemd names it in STATE_DIRECTORY), else empty (the store's
    default: domain/store/ledger.py)."""
    path = (env.get(ENV_LEDGER) or "").strip()
    state = (env.get("STATE_DIRECTORY") or "").split(":")[0]
    return path or (str(Path(state) / "erasures.jsonl") if state else "")


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


__all__ = ["DEFAULT_STORE", "MAX_BODY_BYTES", "Settings", "SettingsError", "Verification",
           "is_loopback", "read_log_level", "read_store"]
