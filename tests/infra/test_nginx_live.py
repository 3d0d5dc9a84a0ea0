"""The nginx site in front of a real `small-steps serve --production` (app role,
verification on): what reaches the app, what is refused, what is logged."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from skill.devtools.stack import SKILL_ID, free_port, wait_until
from tests.infra import nginx
from tests.infra.conftest import SMALL_STEPS, Provisioned, script_env
from tests.infra.test_provision import stop

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")]


def request(port: int, method: str, path: str, body: bytes | None = None, *,
            tls: bool = True, source: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context,
                                           source_address=(source, 0))
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                          source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers={"Host": nginx.HOST,
                                                       "Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_nginx_in_front_of_the_production_server(provisioned: Provisioned, tmp_path: Path):
    p = provisioned
    p.migrate()
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    env = script_env(SMALL_STEPS_STORE=p.app_url, SMALL_STEPS_SKILL_ID=SKILL_ID,
                     SMALL_STEPS_IDENTITY_KEY="infra-test-key", SMALL_STEPS_LOG_LEVEL="INFO")
    web = subprocess.Popen([SMALL_STEPS, "serve", "--production", "--workers", "1",
                            "--threads", "2", "--port", str(app_port)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    proxy = nginx.start(tmp_path / "nginx", http_port=http_port, https_port=https_port,
                        upstream_port=app_port)
    try:
        status, headers, body = wait_until(
            lambda: (r := request(https_port, "GET", "/healthz")) and r[0] == 200 and r,
            60, "nginx and the server")  # a readiness wait: a loaded machine starts slowly
        assert json.loads(body)["store"] == "postgresql"
        assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])  # nginx's $request_id

        # A POST reaches the app (which refuses it: not signed by Alexa), with nginx's id.
        status, headers, body = request(https_port, "POST", "/alexa?secret=q", b"{}")
        assert status == 400 and json.loads(body)
        alexa_id = headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", alexa_id)

        assert request(https_port, "GET", "/alexa")[0] == 403  # POST only
        assert request(https_port, "POST", "/alexa", b"x" * (300 * 1024))[0] == 413
        assert request(https_port, "GET", "/")[0] == 404
        assert request(https_port, "GET", "/healthz", source="127.0.0.2")[0] == 403
        status, headers, _ = request(http_port, "GET", "/alexa?x=1", tls=False)
        assert status == 301 and headers["location"] == f"https://{nginx.HOST}/alexa?x=1"
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        stop(web)
    access = (tmp_path / "nginx" / "small-steps.access.log").read_text()
    assert f"rid={alexa_id}" in access and "POST /alexa HTTP/1.1\" 400" in access
    assert "secret" not in access and "/healthz" not in access.split("403")[0]
    app_log = web.stderr.read()
    assert f'"request_id": "{alexa_id}"' in app_log
