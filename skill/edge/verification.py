"""Is this HTTP request really from Alexa? The checks Amazon requires of a skill web service.

`AlexaRequestVerifier.verify(headers, body)` checks, in order: the certificate chain
URL, the chain itself (fetched once per normalised URL, cached in memory and optionally
on disk, a bounded number of each, validated whenever it is loaded and fetched again
once when a cached copy no longer validates), the body's `Signature-256`, the JSON
envelope, its timestamp and its skill id. It returns the parsed envelope or raises VerificationError
with a short stable `reason`. Messages never carry the body or any Alexa id.
`sdk_verifier()` plugs a verifier into flask-ask-sdk.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import http.client
import json
import logging
import os
import posixpath
import tempfile
import threading
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, unquote, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from domain.clock import Clock, SystemClock
from skill.edge import sdk_compat
from skill.settings import ENV_SKILL_ID, ENV_TRUST_ROOTS, Verification

if TYPE_CHECKING:
    from ask_sdk_webservice_support.verifier import AbstractVerifier

log = logging.getLogger(__name__)

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
CERT_URL_PORT = 443
ALEXA_SAN = "echo-api.amazon.com"
TIMESTAMP_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_PREFIX = "AlexaSkillEvent."
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
FETCH_TIMEOUT_SECONDS = 5
MAX_CHAIN_BYTES = 64 * 1024
# Alexa signs with one chain at a time (two around a renewal): a few cached chains are
# plenty, and anyone sending many certificate URLs cannot grow memory or the disk cache.
MAX_CACHED_CHAINS = 8

Reason = Literal[
    "bad_cert_url",
    "cert_unavailable",
    "cert_invalid",
    "cert_expired",
    "cert_san",
    "cert_untrusted",
    "missing_signature",
    "bad_signature",
    "stale_timestamp",
    "bad_timestamp",
    "wrong_skill",
    "bad_json",
    "bad_envelope",
]


class VerificationError(Exception):
    """The request is refused: `reason` is a stable code, `message` says why to a human."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class _SigningKey:
    """A validated leaf's public key, and when the leaf may be used."""

    public_key: rsa.RSAPublicKey
    not_before: datetime
    not_after: datetime

    def usable_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


def fetch_url(url: str) -> bytes:
    """GET `url` with a 5 s timeout; a body over MAX_CHAIN_BYTES is an error."""
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as response:
        data = response.read(MAX_CHAIN_BYTES + 1)
    if len(data) > MAX_CHAIN_BYTES:
        raise ValueError(f"response larger than {MAX_CHAIN_BYTES} bytes")
    return data


def cert_cache_path(cache_dir: Path, url: str) -> Path:
    """Where the disk cache keeps the chain fetched from `url` (normalised by
    check_cert_url)."""
    return cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.pem"


def check_cert_url(url: str | None) -> str:
    """The URL normalised, if Alexa could have sent it: https://s3.amazonaws.com[:443]/echo.api/…

    Normalised, one chain has one URL, whatever the request adds to it (a fragment, a
    query, user info, the port 443, dot segments, escapes, the case of the scheme and
    host), so no request can make the verifier fetch or keep the same chain twice. The
    normalised URL is built only from the parts checked here, so it passes these checks.
    """
    if not url:
        raise VerificationError("bad_cert_url", f"missing {CERT_URL_HEADER} header")
    try:
        parts = urlsplit(url)  # lowercases the scheme and the host name
        port = parts.port
    except ValueError as e:
        raise _bad_url("does not parse") from e
    if parts.scheme != "https":
        raise _bad_url("is not https")
    if parts.hostname != CERT_URL_HOST:
        raise _bad_url(f"host is not {CERT_URL_HOST}")
    path = posixpath.normpath(unquote(parts.path))
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise _bad_url(f"path is not under {CERT_URL_PATH_PREFIX}")
    if port is not None and port != CERT_URL_PORT:
        raise _bad_url(f"port is not {CERT_URL_PORT}")
    return f"https://{CERT_URL_HOST}{quote(path)}"


def _bad_url(why: str) -> VerificationError:
    return VerificationError("bad_cert_url", f"the certificate URL {why}")


class AlexaRequestVerifier:
    """Verifies Alexa requests for the configured skill ids (thread-safe)."""

    def __init__(
        self,
        skill_ids: Iterable[str],
        *,
        trust_roots: Sequence[x509.Certificate] | None = None,
        fetch: Callable[[str], bytes] = fetch_url,
        clock: Clock | None = None,
        cert_cache_dir: Path | str | None = None,
    ):
        """Defaults: the system CA bundle, the network, the system clock, no disk cache."""
        self._skill_ids = frozenset(i.strip() for i in skill_ids if i.strip())
        self._trust_roots = trust_roots
        self._fetch = fetch
        self._clock = clock if clock is not None else SystemClock()
        self._cache_dir = Path(cert_cache_dir) if cert_cache_dir is not None else None
        self._keys: OrderedDict[str, _SigningKey] = OrderedDict()  # least recently used first
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls,
        settings: Verification,
        *,
        fetch: Callable[[str], bytes] = fetch_url,
        clock: Clock | None = None,
    ) -> AlexaRequestVerifier:
        """The skill ids served, the trust roots (a PEM file; default the system bundle)
        and the disk cache of chains, as the settings give them."""
        roots_file = settings.trust_roots
        roots = sdk_compat.load_trust_roots(Path(roots_file)) if roots_file else None
        if roots_file and not roots:
            raise ValueError(f"{ENV_TRUST_ROOTS}={roots_file} holds no certificate")
        return cls(settings.skill_ids, trust_roots=roots, fetch=fetch, clock=clock,
                   cert_cache_dir=settings.cert_cache_dir)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str],
        *,
        fetch: Callable[[str], bytes] = fetch_url,
        clock: Clock | None = None,
    ) -> AlexaRequestVerifier:
        """Configured by SMALL_STEPS_SKILL_ID (comma-separated), SMALL_STEPS_TRUST_ROOTS
        and SMALL_STEPS_CERT_CACHE_DIR in `environ` (skill/settings.py reads them)."""
        return cls.from_settings(Verification.from_env(environ), fetch=fetch, clock=clock)

    def verify(self, headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
        """The parsed request envelope, if every check passes; else VerificationError."""
        if not self._skill_ids:
            raise VerificationError(
                "wrong_skill", f"no skill id is configured: set {ENV_SKILL_ID} to the skill's id"
            )
        fields = {name.lower(): value for name, value in headers.items()}
        url = check_cert_url(fields.get(CERT_URL_HEADER.lower()))
        signature = _decode_signature(fields.get(SIGNATURE_HEADER.lower()))
        now = self._clock.now()
        _check_signature(self._signing_key(url, now), signature, body)
        envelope = _parse_envelope(body)
        _check_timestamp(envelope["request"], now)
        self._check_skill_id(envelope)
        return envelope

    @property
    def cached_chains(self) -> int:
        """How many validated chains are kept in memory (at most MAX_CACHED_CHAINS)."""
        with self._lock:
            return len(self._keys)

    def _signing_key(self, url: str, now: datetime) -> _SigningKey:
        with self._lock:
            key = self._keys.get(url)
            if key is not None:
                self._keys.move_to_end(url)
        if key is not None and key.usable_at(now):
            return key
        key = self._load_signing_key(url, now)
        with self._lock:
            self._keys[url] = key
            self._keys.move_to_end(url)
            while len(self._keys) > MAX_CACHED_CHAINS:
                self._keys.popitem(last=False)
        return key

    def _load_signing_key(self, url: str, now: datetime) -> _SigningKey:
        """The chain kept on disk, if it still validates; else fetched, once."""
        path = cert_cache_path(self._cache_dir, url) if self._cache_dir else None
        cached = _read_if_present(path) if path else None
        if cached is not None:
            try:
                return self._validate_chain(cached, now)
            except VerificationError as e:
                # Renewed at the same URL, say: what was kept is never refused forever.
                log.info("a cached certificate chain no longer validates (%s): fetching it "
                         "again", e.reason)
        pem = self._download(url)
        key = self._validate_chain(pem, now)
        if path:
            _write_atomically(path, pem)
            _prune(path.parent, keep=MAX_CACHED_CHAINS)
        return key

    def _download(self, url: str) -> bytes:
        try:
            return self._fetch(url)
        except (OSError, ValueError, http.client.HTTPException) as e:
            raise VerificationError(
                "cert_unavailable", f"the chain could not be fetched ({type(e).__name__})"
            ) from e

    def _validate_chain(self, pem: bytes, now: datetime) -> _SigningKey:
        try:
            leaf, *intermediates = x509.load_pem_x509_certificates(pem)
        except ValueError as e:
            raise VerificationError("cert_invalid", "the chain is not PEM certificates") from e
        public_key = leaf.public_key()
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise VerificationError("cert_invalid", "the signing certificate's key is not RSA")
        key = _SigningKey(public_key, leaf.not_valid_before_utc, leaf.not_valid_after_utc)
        if not key.usable_at(now):
            raise VerificationError("cert_expired", "the signing certificate is not valid now")
        if ALEXA_SAN not in _dns_names(leaf):
            raise VerificationError("cert_san", f"the signing certificate is not for {ALEXA_SAN}")
        context = sdk_compat.ValidationContext(trust_roots=self._trust_roots, moment=now)
        try:
            sdk_compat.validate_path(leaf, intermediates, context)
            sdk_compat.check_key_usage(leaf, {"digital_signature"})
        except sdk_compat.PathError as e:
            raise VerificationError(
                "cert_untrusted", "the signing certificate does not chain to a trusted root"
            ) from e
        except sdk_compat.ValidationError as e:
            raise VerificationError("cert_invalid", str(e)) from e
        return key

    def _check_skill_id(self, envelope: dict[str, Any]) -> None:
        application_id = _dig(
            envelope, "context", "System", "application", "applicationId"
        ) or _dig(envelope, "session", "application", "applicationId")
        if not isinstance(application_id, str) or application_id not in self._skill_ids:
            raise VerificationError("wrong_skill", "the request is for a skill not served here")


def _read_if_present(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    """Best effort: a chain that cannot be cached on disk is still used. The folder is
    made 0700 and the file 0600 (mkstemp's mode): only the service reads what it trusts."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError as e:
        log.warning("could not cache a certificate chain in %s: %s", path.parent, e)


def _prune(cache_dir: Path, keep: int) -> None:
    """Best effort: the `keep` most recently written chains stay on disk."""
    try:
        files = sorted(cache_dir.glob("*.pem"), key=lambda f: f.stat().st_mtime_ns)
        for stale in files[:-keep]:
            stale.unlink(missing_ok=True)
    except OSError as e:
        log.warning("could not prune the certificate cache in %s: %s", cache_dir, e)


def _dns_names(certificate: x509.Certificate) -> list[str]:
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return names.get_values_for_type(x509.DNSName)


def _decode_signature(value: str | None) -> bytes:
    if not value:
        raise VerificationError("missing_signature", f"missing {SIGNATURE_HEADER} header")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as e:
        raise VerificationError("bad_signature", f"{SIGNATURE_HEADER} is not base64") from e


def _check_signature(key: _SigningKey, signature: bytes, body: bytes) -> None:
    try:
        key.public_key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as e:
        raise VerificationError("bad_signature", "the body does not match its signature") from e


def _parse_envelope(body: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(body)
    except ValueError as e:
        raise VerificationError("bad_json", "the body is not JSON") from e
    if not isinstance(envelope, dict) or not isinstance(envelope.get("request"), dict):
        raise VerificationError("bad_envelope", "the body is not an Alexa request envelope")
    return envelope


def _check_timestamp(request: dict[str, Any], now: datetime) -> None:
    raw = request.get("timestamp")
    try:
        stamp = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        stamp = None
    if stamp is None:
        raise VerificationError("bad_timestamp", "request.timestamp is missing or not ISO 8601")
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    kind = request.get("type")
    is_skill_event = isinstance(kind, str) and kind.startswith(SKILL_EVENT_PREFIX)
    tolerance = SKILL_EVENT_TOLERANCE if is_skill_event else TIMESTAMP_TOLERANCE
    if abs(now - stamp) > tolerance:
        raise VerificationError(
            "stale_timestamp",
            f"request.timestamp is more than {tolerance.total_seconds():.0f} s from now",
        )


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


@functools.cache
def _sdk_verifier_class() -> type:
    sdk_compat.install()
    from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException

    class SdkRequestVerifier(AbstractVerifier):
        """flask-ask-sdk's verifier interface over an AlexaRequestVerifier."""

        def __init__(self, core: AlexaRequestVerifier):
            self.core = core

        def verify(
            self,
            headers: Mapping[str, str],
            serialized_request_env: str,
            deserialized_request_env: Any,
        ) -> None:
            # The SDK hands over the body decoded as UTF-8; encoding it again gives the raw bytes.
            try:
                self.core.verify(headers, serialized_request_env.encode("utf-8"))
            except VerificationError as e:
                raise VerificationException(str(e)) from e

    return SdkRequestVerifier


def sdk_verifier(core: AlexaRequestVerifier) -> AbstractVerifier:
    """`core` as an ask-sdk verifier, for `SkillAdapter(..., verifiers=[sdk_verifier(core)])`.

    It does every check (signature, timestamp, skill id), so the SDK's own
    RequestVerifier and TimestampVerifier should be switched off in the app config
    (VERIFY_SIGNATURE_APP_CONFIG, VERIFY_TIMESTAMP_APP_CONFIG = False).
    """
    return _sdk_verifier_class()(core)
