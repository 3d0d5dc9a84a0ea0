"""Alexa request verification: every rule Amazon sets accepts the good case and refuses the bad.

Over 400 lines because it is one list: each rule of the certificate URL, the chain,
the signature, the timestamp and the skill id, the good case beside the bad ones."""

from __future__ import annotations

import http.server
import json
import posixpath
import stat
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import Response

from domain.clock import FixedClock
from skill.devtools.certs import (
    CERT_URL,
    DEVICE_ID,
    NOW,
    SKILL_ID,
    USER_ID,
    Chain,
    chain,
    envelope,
    headers,
    root,
    sign,
    write_cert_cache,
    write_trust_roots,
)
from skill.edge.verification import (
    MAX_CACHED_CHAINS,
    MAX_CHAIN_BYTES,
    AlexaRequestVerifier,
    VerificationError,
    cert_cache_path,
    check_cert_url,
    fetch_url,
    sdk_verifier,
)


class Fetch:
    """A stand-in for the network: serves one chain (or raises) and counts the calls."""

    def __init__(self, served: Chain | None = None, error: Exception | None = None):
        self.pem = (served or chain()).pem()
        self.error = error
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if self.error is not None:
            raise self.error
        return self.pem


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def fetch() -> Fetch:
    return Fetch()


@pytest.fixture
def verifier(fetch: Fetch, clock: FixedClock) -> AlexaRequestVerifier:
    return _verifier(fetch, clock)


def _verifier(fetch: Fetch, clock: FixedClock, **options: Any) -> AlexaRequestVerifier:
    options.setdefault("trust_roots", [root().certificate])
    return AlexaRequestVerifier([SKILL_ID], fetch=fetch, clock=clock, **options)


def _refusal(verifier: AlexaRequestVerifier, request_headers: dict[str, str], body: bytes) -> str:
    """The reason `verifier` refuses the request; its message must not leak ids."""
    with pytest.raises(VerificationError) as caught:
        verifier.verify(request_headers, body)
    for secret in (USER_ID, DEVICE_ID, SKILL_ID):
        assert secret not in str(caught.value)
    return caught.value.reason


def _launch(at: datetime = NOW, skill_id: str = SKILL_ID, request_type: str = "LaunchRequest") -> bytes:
    return envelope(skill_id, at, request_type)


# The good case, and the signature


def test_a_genuine_request_is_accepted_and_parsed(verifier: AlexaRequestVerifier) -> None:
    body = _launch()
    parsed = verifier.verify(headers(body), body)
    assert parsed["request"]["type"] == "LaunchRequest"
    assert parsed["context"]["System"]["application"]["applicationId"] == SKILL_ID


def test_header_names_are_case_insensitive(verifier: AlexaRequestVerifier) -> None:
    body = _launch()
    lowered = {name.lower(): value for name, value in headers(body).items()}
    assert verifier.verify(lowered, body)["version"] == "1.0"


def test_a_body_changed_after_signing_is_refused(verifier: AlexaRequestVerifier) -> None:
    body = _launch()
    signed = headers(body)
    tampered = body.replace(b'"new": true', b'"new": trUe', 1)
    assert len(tampered) == len(body) and tampered != body
    assert _refusal(verifier, signed, tampered) == "bad_signature"


def test_a_body_signed_by_another_key_is_refused(verifier: AlexaRequestVerifier) -> None:
    body = _launch()
    forged = headers(body) | {"Signature-256": sign(body, root().key)}
    assert _refusal(verifier, forged, body) == "bad_signature"


def test_a_missing_signature_is_refused(verifier: AlexaRequestVerifier) -> None:
    body = _launch()
    unsigned = {k: v for k, v in headers(body).items() if k != "Signature-256"}
    assert _refusal(verifier, unsigned, body) == "missing_signature"


def test_the_legacy_sha1_signature_header_is_not_enough(verifier: AlexaRequestVerifier) -> None:
    body = _launch()
    legacy = {k: v for k, v in headers(body).items() if k != "Signature-256"}
    legacy["Signature"] = headers(body)["Signature-256"]
    assert _refusal(verifier, legacy, body) == "missing_signature"


def test_a_signature_that_is_not_base64_is_refused(verifier: AlexaRequestVerifier) -> None:
    body = _launch()
    garbage = headers(body) | {"Signature-256": "not*base64!"}
    assert _refusal(verifier, garbage, body) == "bad_signature"


# The certificate chain URL


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/invalid.pem",
        "https://s3.amazonaws.com/echo.apix/echo-api-cert.pem",
        "https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:bad/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com//echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/..%2finvalid.pem",
        "https://s3.amazonaws.com/echo.api",
        "https://s3.amazonaws.com:443@evil.example/echo.api/echo-api-cert.pem",
        "https://evil.example#@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://evil.example?@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "",
    ],
)
def test_a_certificate_url_alexa_would_not_use_is_refused(
    verifier: AlexaRequestVerifier, fetch: Fetch, url: str
) -> None:
    body = _launch()
    assert _refusal(verifier, headers(body, url=url), body) == "bad_cert_url"
    assert fetch.calls == []


@pytest.mark.parametrize(
    ("url", "fetched"),
    [
        (CERT_URL, CERT_URL),
        ("HTTPS://S3.AMAZONAWS.COM/echo.api/x.pem", "https://s3.amazonaws.com/echo.api/x.pem"),
        ("https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem", CERT_URL),
        ("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-test.pem", CERT_URL),
        ("https://s3.amazonaws.com/echo.api/./echo%2Dapi-cert-test.pem", CERT_URL),
        (CERT_URL + "#0", CERT_URL),
        (CERT_URL + "?x=1#y", CERT_URL),
        ("https://someone@s3.amazonaws.com/echo.api/echo-api-cert-test.pem", CERT_URL),
        ("https://s3.amazonaws.com/echo.api/a b.pem", "https://s3.amazonaws.com/echo.api/a%20b.pem"),
    ],
)
def test_certificate_urls_alexa_may_use_are_accepted_and_fetched_normalised(
    verifier: AlexaRequestVerifier, fetch: Fetch, url: str, fetched: str
) -> None:
    body = _launch()
    verifier.verify(headers(body, url=url), body)
    assert fetch.calls == [fetched]


_URL_PARTS = st.tuples(
    st.sampled_from(["https", "HTTPS", "http", "ftp"]),
    st.sampled_from(["", "u@", "s3.amazonaws.com@", "u:p@"]),
    st.sampled_from(["s3.amazonaws.com", "S3.AmazonAWS.com", "evil.example",
                     "s3.amazonaws.com.evil.example", "s3-amazonaws.com"]),
    st.sampled_from(["", ":443", ":8443", ":", ":0443", ":80"]),
    st.lists(st.sampled_from(["echo.api", "EcHo.aPi", "echo.apix", "..", ".", "%2e%2e", "",
                              "%2F", "x.pem", "a b", "%41", ";", "@evil.example"]),
             max_size=5),
    st.sampled_from(["", "?x=1", "#0", "?#", "#/../x", "?/echo.api/"]),
)


@given(_URL_PARTS)
def test_a_normalised_url_passes_every_check_and_normalises_to_itself(parts: tuple) -> None:
    """Normalising never lets through a URL the checks refuse: what is fetched and kept
    is https, s3.amazonaws.com, the default port, a path under /echo.api/ with no dot
    segments, and nothing else."""
    scheme, user, host, port, segments, tail = parts
    url = f"{scheme}://{user}{host}{port}/{'/'.join(segments)}{tail}"
    try:
        normalised = check_cert_url(url)
    except VerificationError as e:
        assert e.reason == "bad_cert_url"
        return
    split = urlsplit(normalised)
    assert (split.scheme, split.netloc, split.query, split.fragment) == (
        "https", "s3.amazonaws.com", "", "")
    path = unquote(split.path)
    assert path.startswith("/echo.api/") and posixpath.normpath(path) == path
    assert check_cert_url(normalised) == normalised


def test_a_missing_certificate_url_is_refused(verifier: AlexaRequestVerifier) -> None:
    body = _launch()
    no_url = {k: v for k, v in headers(body).items() if k != "SignatureCertChainUrl"}
    assert _refusal(verifier, no_url, body) == "bad_cert_url"


# The certificate chain


@pytest.mark.parametrize(
    ("spoiled", "reason"),
    [
        (chain(san="echo-api.example.com"), "cert_san"),
        (chain(expired=True), "cert_expired"),
        (chain(trusted=False), "cert_untrusted"),
        (chain(digital_signature=False), "cert_invalid"),
    ],
    ids=["wrong-san", "expired", "untrusted-root", "no-digital-signature"],
)
def test_a_bad_signing_certificate_is_refused(
    clock: FixedClock, spoiled: Chain, reason: str
) -> None:
    body = _launch()
    assert _refusal(_verifier(Fetch(spoiled), clock), headers(body, spoiled), body) == reason


def test_a_chain_without_its_intermediate_is_untrusted(clock: FixedClock) -> None:
    fetch = Fetch()
    fetch.pem = fetch.pem[: fetch.pem.index(b"-----END CERTIFICATE-----") + 26]
    body = _launch()
    assert _refusal(_verifier(fetch, clock), headers(body), body) == "cert_untrusted"


def test_a_certificate_not_yet_valid_is_refused(clock: FixedClock, fetch: Fetch) -> None:
    clock.advance(days=-2)
    body = _launch(NOW - timedelta(days=2))
    assert _refusal(_verifier(fetch, clock), headers(body), body) == "cert_expired"


def test_the_system_roots_do_not_trust_a_private_chain(clock: FixedClock, fetch: Fetch) -> None:
    body = _launch()
    system = AlexaRequestVerifier([SKILL_ID], fetch=fetch, clock=clock)
    assert _refusal(system, headers(body), body) == "cert_untrusted"


def test_what_is_not_a_pem_chain_is_invalid(clock: FixedClock) -> None:
    fetch = Fetch()
    fetch.pem = b"<html>Access Denied</html>"
    body = _launch()
    assert _refusal(_verifier(fetch, clock), headers(body), body) == "cert_invalid"


def test_a_chain_that_cannot_be_fetched_is_unavailable(clock: FixedClock) -> None:
    body = _launch()
    offline = Fetch(error=OSError("network unreachable"))
    assert _refusal(_verifier(offline, clock), headers(body), body) == "cert_unavailable"


# The timestamp


@pytest.mark.parametrize("offset", [-150, 0, 150])
def test_a_timestamp_within_150_seconds_is_accepted(
    verifier: AlexaRequestVerifier, offset: int
) -> None:
    body = _launch(NOW + timedelta(seconds=offset))
    verifier.verify(headers(body), body)


@pytest.mark.parametrize("offset", [-151, 151])
def test_a_timestamp_151_seconds_away_is_stale(verifier: AlexaRequestVerifier, offset: int) -> None:
    body = _launch(NOW + timedelta(seconds=offset))
    assert _refusal(verifier, headers(body), body) == "stale_timestamp"


def test_a_skill_event_may_be_up_to_an_hour_old(verifier: AlexaRequestVerifier) -> None:
    within = _launch(NOW - timedelta(seconds=3599), request_type="AlexaSkillEvent.SkillEnabled")
    verifier.verify(headers(within), within)
    late = _launch(NOW - timedelta(seconds=3601), request_type="AlexaSkillEvent.SkillEnabled")
    assert _refusal(verifier, headers(late), late) == "stale_timestamp"


@pytest.mark.parametrize("timestamp", [None, "yesterday", 1700000000])
def test_a_missing_or_unreadable_timestamp_is_refused(
    verifier: AlexaRequestVerifier, timestamp: object
) -> None:
    request = json.loads(_launch())
    request["request"]["timestamp"] = timestamp
    body = json.dumps(request).encode()
    assert _refusal(verifier, headers(body), body) == "bad_timestamp"


# The skill id, and the envelope


def test_a_request_for_another_skill_is_refused(verifier: AlexaRequestVerifier) -> None:
    body = _launch(skill_id="amzn1.ask.skill.someone-elses")
    assert _refusal(verifier, headers(body), body) == "wrong_skill"


def test_the_session_application_id_counts_when_context_has_none(
    verifier: AlexaRequestVerifier,
) -> None:
    request = json.loads(_launch())
    del request["context"]
    body = json.dumps(request).encode()
    parsed = verifier.verify(headers(body), body)
    assert parsed["session"]["application"]["applicationId"] == SKILL_ID


def test_any_of_several_configured_skill_ids_is_accepted(fetch: Fetch, clock: FixedClock) -> None:
    both = AlexaRequestVerifier(
        ["amzn1.ask.skill.other", SKILL_ID],
        trust_roots=[root().certificate], fetch=fetch, clock=clock,
    )
    body = _launch()
    both.verify(headers(body), body)


def test_without_a_configured_skill_id_every_request_is_refused(
    fetch: Fetch, clock: FixedClock
) -> None:
    unconfigured = AlexaRequestVerifier(
        ["", " "], trust_roots=[root().certificate], fetch=fetch, clock=clock
    )
    body = _launch()
    with pytest.raises(VerificationError, match="SMALL_STEPS_SKILL_ID") as caught:
        unconfigured.verify(headers(body), body)
    assert caught.value.reason == "wrong_skill"
    assert fetch.calls == []


def test_a_signed_body_that_is_not_json_is_refused(verifier: AlexaRequestVerifier) -> None:
    body = b'{"version": "1.0", "request": '
    assert _refusal(verifier, headers(body), body) == "bad_json"


@pytest.mark.parametrize(
    "body", [b"[1, 2]", b'{"version": "1.0"}', b'{"request": "LaunchRequest"}']
)
def test_json_that_is_not_an_envelope_is_refused(
    verifier: AlexaRequestVerifier, body: bytes
) -> None:
    assert _refusal(verifier, headers(body), body) == "bad_envelope"


# Caching


def test_a_chain_is_fetched_once_per_url(verifier: AlexaRequestVerifier, fetch: Fetch) -> None:
    for _ in range(2):
        body = _launch()
        verifier.verify(headers(body), body)
    assert fetch.calls == [CERT_URL]


def test_a_fetched_chain_is_kept_on_disk_for_the_next_process(
    clock: FixedClock, fetch: Fetch, tmp_path: Path
) -> None:
    body = _launch()
    _verifier(fetch, clock, cert_cache_dir=tmp_path).verify(headers(body), body)
    assert cert_cache_path(tmp_path, CERT_URL).read_bytes() == chain().pem()

    offline = Fetch(error=OSError("no network"))
    _verifier(offline, clock, cert_cache_dir=tmp_path).verify(headers(body), body)
    assert offline.calls == []


def test_a_prepared_disk_cache_needs_no_network(clock: FixedClock, tmp_path: Path) -> None:
    write_cert_cache(tmp_path / "certs")
    offline = Fetch(error=OSError("no network"))
    body = _launch()
    _verifier(offline, clock, cert_cache_dir=tmp_path / "certs").verify(headers(body), body)
    assert offline.calls == []


def test_a_chain_on_disk_is_validated_when_loaded(clock: FixedClock, tmp_path: Path) -> None:
    untrusted = chain(trusted=False)
    write_cert_cache(tmp_path, signing=untrusted)
    body = _launch()
    fetch = Fetch(untrusted)
    refusing = _verifier(fetch, clock, cert_cache_dir=tmp_path)
    assert _refusal(refusing, headers(body, untrusted), body) == "cert_untrusted"
    assert fetch.calls == [CERT_URL]  # what was kept is fetched again once, and refused


def test_a_kept_chain_that_no_longer_validates_is_fetched_again_once(
    clock: FixedClock, tmp_path: Path
) -> None:
    """A chain renewed at the same URL: the expired copy on disk is not refused forever."""
    write_cert_cache(tmp_path, signing=chain(expired=True))
    fetch = Fetch()
    for _ in range(2):
        body = _launch()
        _verifier(fetch, clock, cert_cache_dir=tmp_path).verify(headers(body), body)
    assert fetch.calls == [CERT_URL]  # the second process reads the renewed chain
    assert cert_cache_path(tmp_path, CERT_URL).read_bytes() == chain().pem()


def _unsigned(url: str) -> tuple[dict[str, str], bytes]:
    body = _launch()
    return headers(body, url=url) | {"Signature-256": "AAAA"}, body


def test_variants_of_one_url_fetch_and_keep_one_chain(clock: FixedClock, tmp_path: Path) -> None:
    """Unsigned requests naming one chain 200 ways: one fetch, one entry, one file."""
    fetch = Fetch()
    verifier = _verifier(fetch, clock, cert_cache_dir=tmp_path / "certs")
    for i in range(100):
        for url in (f"{CERT_URL}#{i}", f"{CERT_URL}?{i}"):
            assert _refusal(verifier, *_unsigned(url)) == "bad_signature"
    assert fetch.calls == [CERT_URL]
    assert verifier.cached_chains == 1
    assert len(list((tmp_path / "certs").iterdir())) == 1


def test_the_chains_kept_are_bounded_in_memory_and_on_disk(
    clock: FixedClock, tmp_path: Path
) -> None:
    fetch = Fetch()
    verifier = _verifier(fetch, clock, cert_cache_dir=tmp_path / "certs")
    urls = [f"https://s3.amazonaws.com/echo.api/chain-{i}.pem"
            for i in range(3 * MAX_CACHED_CHAINS)]
    for url in urls:
        assert _refusal(verifier, *_unsigned(url)) == "bad_signature"
    assert len(fetch.calls) == len(urls)
    assert verifier.cached_chains == MAX_CACHED_CHAINS
    assert len(list((tmp_path / "certs").iterdir())) == MAX_CACHED_CHAINS
    body = _launch()
    verifier.verify(headers(body, url=urls[-1]), body)
    assert len(fetch.calls) == len(urls)  # the latest are the ones kept


def test_the_disk_cache_is_private_to_the_service(clock: FixedClock, tmp_path: Path) -> None:
    body = _launch()
    _verifier(Fetch(), clock, cert_cache_dir=tmp_path / "certs").verify(headers(body), body)
    folder, kept = tmp_path / "certs", cert_cache_path(tmp_path / "certs", CERT_URL)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_cached_certificate_that_has_expired_is_refused(
    verifier: AlexaRequestVerifier, fetch: Fetch, clock: FixedClock
) -> None:
    body = _launch()
    verifier.verify(headers(body), body)
    clock.advance(days=31)
    later = _launch(clock.now())
    assert _refusal(verifier, headers(later), later) == "cert_expired"
    assert len(fetch.calls) == 2


# Configuration from the environment


def test_from_env_reads_skill_ids_trust_roots_and_the_disk_cache(tmp_path: Path) -> None:
    environ = {
        "SMALL_STEPS_SKILL_ID": f"amzn1.ask.skill.other, {SKILL_ID}",
        "SMALL_STEPS_TRUST_ROOTS": str(write_trust_roots(tmp_path / "roots.pem")),
        "SMALL_STEPS_CERT_CACHE_DIR": str(tmp_path / "certs"),
    }
    write_cert_cache(tmp_path / "certs")
    offline = Fetch(error=OSError("no network"))
    from_env = AlexaRequestVerifier.from_env(environ, fetch=offline)  # and the real clock
    body = _launch(datetime.now(timezone.utc))
    assert from_env.verify(headers(body), body)["request"]["type"] == "LaunchRequest"
    assert offline.calls == []


def test_from_env_refuses_a_trust_roots_file_without_certificates(tmp_path: Path) -> None:
    empty = tmp_path / "roots.pem"
    empty.write_text("")
    with pytest.raises(ValueError, match="SMALL_STEPS_TRUST_ROOTS"):
        AlexaRequestVerifier.from_env({"SMALL_STEPS_TRUST_ROOTS": str(empty)})


# The default fetch


@pytest.fixture
def local_server() -> Iterator[str]:
    """An HTTP server on loopback: /small answers a chain, /huge more than the cap."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            payload = chain().pem() if self.path == "/small" else b"x" * (MAX_CHAIN_BYTES + 1)
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_default_fetch_reads_a_chain_and_caps_the_size(local_server: str) -> None:
    assert fetch_url(f"{local_server}/small") == chain().pem()
    with pytest.raises(ValueError, match="larger than"):
        fetch_url(f"{local_server}/huge")


# flask-ask-sdk


def test_the_sdk_adapter_passes_genuine_requests_and_raises_the_sdks_exception(
    verifier: AlexaRequestVerifier,
) -> None:
    adapter = sdk_verifier(verifier)  # installs the certvalidator stand-in first
    from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException

    assert isinstance(adapter, AbstractVerifier)
    body = _launch()
    adapter.verify(headers(body), body.decode(), None)
    with pytest.raises(VerificationException, match="bad_signature"):
        adapter.verify(headers(body), body.decode().replace("LaunchRequest", "LaunchRequesT"), None)


class _Hello(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello").response


def test_the_sdk_dispatches_a_request_the_adapter_verified(verifier: AlexaRequestVerifier) -> None:
    adapter = sdk_verifier(verifier)
    from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler

    builder = SkillBuilder()
    builder.add_request_handler(_Hello())
    handler = WebserviceSkillHandler(
        builder.create(), verify_signature=False, verify_timestamp=False, verifiers=[adapter]
    )
    body = _launch()
    response = handler.verify_request_and_dispatch(headers(body), body.decode())
    assert response["response"]["outputSpeech"]["ssml"] == "<speak>Hello</speak>"
