"""The HTTP edge: signed requests verified as Alexa requires, bad input refused with a
clear 4xx and nothing stored, health, and the settings that guard verification."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

import pytest

from skill.devtools import certs
from skill.devtools.envelopes import Device
from skill.settings import Settings, SettingsError
from tests.skill.harness import SKILL_ID, post, serving

BAD_URLS = [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",  # not https
    "https://notamazon.com/echo.api/echo-api-cert.pem",  # wrong host
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",  # path is case-sensitive
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",  # not under /echo.api/
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",  # port other than 443
    "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",  # climbs out
]


@pytest.fixture
def signed_server(tmp_path: Path) -> Iterator[tuple[str, object, Path]]:
    cache = tmp_path / "certs"
    certs.write_cert_cache(cache)
    for name, chain in {"wrong-san": certs.chain(san="echo-api.example.com"),
                        "expired": certs.chain(expired=True),
                        "untrusted": certs.chain(trusted=False)}.items():
        certs.write_cert_cache(cache, f"https://s3.amazonaws.com/echo.api/{name}.pem", chain)
    env = {
        "SMALL_STEPS_STORE": f"sqlite:///{tmp_path}/signed.sqlite",
        "SMALL_STEPS_SKILL_ID": SKILL_ID,
        "SMALL_STEPS_IDENTITY_KEY": "k",
        "SMALL_STEPS_TRUST_ROOTS": str(certs.write_trust_roots(tmp_path / "roots.pem")),
        "SMALL_STEPS_CERT_CACHE_DIR": str(cache),
    }
    with serving(env) as (url, app):
        yield url + "/alexa", app, tmp_path


def _body(skill_id: str = SKILL_ID, at: datetime | None = None) -> bytes:
    device = Device(skill_id, user_id="amzn1.ask.account.SIGNED", locale="en-GB",
                    api_access_token=None)
    return json.dumps(device.launch(at or datetime.now(timezone.utc))).encode()


def _events(app) -> int:  # noqa: ANN001
    return app.recorder.max_notification_id() or 0


def test_a_signed_request_is_served(signed_server):
    url, app, _ = signed_server
    body = _body()
    status, response = post(url, body, certs.headers(body))
    assert status == 200 and "Welcome to Small Steps" in response["response"]["outputSpeech"]["ssml"]
    assert _events(app) == 2  # enrolled, and linked to the account it speaks through


def _refused(url: str, app, body: bytes, headers: dict[str, str]) -> dict:  # noqa: ANN001
    status, response = post(url, body, headers)
    assert status == 400, response
    assert "Traceback" not in json.dumps(response) and response.get("error")
    assert _events(app) == 0  # nothing stored
    return response


def test_a_tampered_body_is_refused(signed_server):
    url, app, _ = signed_server
    body = _body()
    headers = certs.headers(body)
    _refused(url, app, body.replace(b"LaunchRequest", b"LaunchRequesT"), headers)


@pytest.mark.parametrize("name", ["wrong-san", "expired", "untrusted"])
def test_a_bad_signing_certificate_is_refused(signed_server, name):
    url, app, _ = signed_server
    chain = {"wrong-san": certs.chain(san="echo-api.example.com"),
             "expired": certs.chain(expired=True), "untrusted": certs.chain(trusted=False)}[name]
    body = _body()
    _refused(url, app, body, certs.headers(body, chain,
                                           f"https://s3.amazonaws.com/echo.api/{name}.pem"))


@pytest.mark.parametrize("cert_url", BAD_URLS)
def test_each_bad_certificate_url_is_refused(signed_server, cert_url):
    url, app, _ = signed_server
    body = _body()
    _refused(url, app, body, certs.headers(body, url=cert_url))


def test_a_missing_signature_is_refused(signed_server):
    url, app, _ = signed_server
    body = _body()
    headers = certs.headers(body)
    del headers["Signature-256"]
    _refused(url, app, body, headers)


def test_a_stale_timestamp_is_refused(signed_server):
    url, app, _ = signed_server
    body = _body(at=datetime.now(timezone.utc) - timedelta(seconds=200))
    _refused(url, app, body, certs.headers(body))


def test_a_wrong_skill_id_is_refused(signed_server):
    url, app, _ = signed_server
    body = _body(skill_id="amzn1.ask.skill.someone-elses")
    _refused(url, app, body, certs.headers(body))


# -- bad input at the edge ----------------------------------------------------------------

def _launch() -> dict:
    return Device(SKILL_ID, api_access_token=None).launch()


def _with(path: list[str], value: object) -> bytes:
    envelope = _launch()
    target = envelope
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(envelope).encode()


@pytest.mark.parametrize(("body", "status"), [
    (b"{not json", 400),
    (b"\xff\xfe\x00garbage", 400),
    (b"[1, 2, 3]", 400),
    (b'"a string"', 400),
    (_with(["request", "type"], KeyError), 400),
    (_with(["request"], "LaunchRequest"), 400),
    (_with(["context", "System", "user"], KeyError), 400),
    (_with(["context", "System", "application", "applicationId"], 42), 400),
    (_with(["request", "timestamp"], ["yesterday"]), 400),
    (_with(["session", "attributes"], "pending"), 400),
    (_with(["session"], KeyError), 400),  # a launch comes in a session; forged otherwise
    (_with(["context", "System", "user", "userId"], ""), 400),
    (_with(["context", "System", "user", "userId"], "   "), 400),
    (b"{" + b'"pad": "' + b"x" * (300 * 1024) + b'"}', 413),
])
def test_bad_input_gets_a_clear_4xx_and_stores_nothing(server, body, status):
    url, app = server
    got, response = post(url + "/alexa", body)
    assert got == status and response.get("error")
    assert "Traceback" not in json.dumps(response)
    assert _events(app) == 0


def test_a_wrongly_typed_slot_is_refused_and_an_unknown_request_type_is_answered(server):
    url, app = server
    envelope = Device(SKILL_ID, api_access_token=None).intent("RateMoodIntent", {"mood": "4"})
    envelope["request"]["intent"]["slots"]["mood"]["value"] = {"n": 4}
    assert post(url + "/alexa", json.dumps(envelope).encode())[0] == 400
    envelope = _launch()
    envelope["request"]["type"] = "Messaging.MessageReceived"
    status, response = post(url + "/alexa", json.dumps(envelope).encode())
    assert status == 200 and "outputSpeech" not in response["response"]
    assert _events(app) == 0


def test_wrong_skill_id_is_refused_even_with_verification_off(server):
    url, app = server
    envelope = Device("amzn1.ask.skill.other", api_access_token=None).launch()
    assert post(url + "/alexa", json.dumps(envelope).encode())[0] == 400
    assert _events(app) == 0


def test_other_methods_and_paths_get_json_errors(server):
    url, _ = server
    for method, path, status in (("GET", "/alexa", 405), ("GET", "/nowhere", 404)):
        req = urllib.request.Request(url + path, method=method)
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=10)
        assert e.value.code == status
        assert "error" in json.loads(e.value.read())


def test_healthz_reports_the_store_the_views_and_the_version(server, monkeypatch):
    """SQLite has no projector (the server keeps its views): `projector` is null, and
    views behind the events show in `views_position`, not in the status."""
    url, app = server
    with urllib.request.urlopen(url + "/healthz", timeout=10) as resp:
        health = json.loads(resp.read())
    assert resp.status == 200 and health == {
        "status": "ok", "store": "sqlite", "version": version("small-steps"), "events": 0,
        "views_position": 0, "projector": None, "set_aside": 0}
    app.sync_views = False  # an event left to the projector, as when the views were busy
    app.enrol("someone", "en-GB", "Europe/London")
    with urllib.request.urlopen(url + "/healthz", timeout=10) as resp:
        health = json.loads(resp.read())
    assert (health["status"], health["events"], health["views_position"]) == ("ok", 1, 0)

    def down() -> int:
        raise OSError("database is locked")

    monkeypatch.setattr(app.recorder, "max_notification_id", down)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url + "/healthz", timeout=10)
    assert e.value.code == 503 and json.loads(e.value.read()) == {"error": "store unavailable"}


def test_the_command_says_its_version():
    result = subprocess.run([sys.executable, "-m", "skill.cli", "--version"],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"small-steps {version('small-steps')}\n")


# -- settings -------------------------------------------------------------------------------

def test_the_projector_timings_are_seconds_above_zero():
    env = {"SMALL_STEPS_IDENTITY_KEY": "k"}
    settings = Settings.from_env(env)
    assert (settings.projector_stale_s, settings.projector_heartbeat_s) == (60.0, 5.0)
    assert Settings.from_env({**env, "SMALL_STEPS_PROJECTOR_STALE_S": "2.5"}).projector_stale_s == 2.5
    for name in ("SMALL_STEPS_PROJECTOR_STALE_S", "SMALL_STEPS_PROJECTOR_HEARTBEAT_S"):
        for wrong in ("soon", "0", "-1", "nan", "inf"):
            with pytest.raises(SettingsError, match=f"{name} must be a number of seconds"):
                Settings.from_env({**env, name: wrong})


def test_verification_off_is_refused_unless_bound_to_loopback(tmp_path):
    env = {"SMALL_STEPS_VERIFY_REQUESTS": "false", "SMALL_STEPS_IDENTITY_KEY": "k"}
    assert Settings.from_env(env, host="127.0.0.1").verify_requests is False
    assert Settings.from_env(env, host="::1").verify_requests is False
    with pytest.raises(SettingsError, match="loopback"):
        Settings.from_env(env, host="0.0.0.0")  # noqa: S104
    assert Settings.from_env({"SMALL_STEPS_IDENTITY_KEY": "k"}, host="0.0.0.0").verify_requests  # noqa: S104
    with pytest.raises(SettingsError):
        Settings.from_env({**env, "SMALL_STEPS_VERIFY_REQUESTS": "maybe"})
    result = subprocess.run(
        [sys.executable, "-m", "skill.cli", "serve", "--host", "0.0.0.0", "--port", "1"],  # noqa: S104
        env={**os.environ, **env, "SMALL_STEPS_STORE": "memory:"}, capture_output=True,
        text=True, timeout=60, check=False)
    assert result.returncode == 2 and "loopback" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_identity_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "var" / "identity.key"
    first = Settings.from_env({"SMALL_STEPS_IDENTITY_KEY_FILE": str(path)}).identity_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(first) == 64
    assert Settings.from_env({"SMALL_STEPS_IDENTITY_KEY_FILE": str(path)}).identity_key == first


def test_the_server_logs_that_verification_is_off_at_every_start(skill_env, caplog):
    with caplog.at_level("WARNING"), serving(skill_env):
        pass
    assert "REQUEST VERIFICATION IS OFF" in caplog.text
