"""The deployment files agree with the application: every setting in the env example,
the units run real commands, nginx proxies to where the server listens."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from domain.store import eventsourcing_env
from skill.settings import DEFAULT_HOST, DEFAULT_PORT, MAX_BODY_BYTES
from tests.infra.conftest import INFRA, ROOT, SMALL_STEPS

ALEXA_TIMEOUT_SECONDS = 8

# -- the env example --------------------------------------------------------------


def settings_in_code() -> set[str]:
    names = set()
    for folder in ("skill", "domain"):
        for path in (ROOT / folder).rglob("*.py"):
            names.update(re.findall(r"\bSMALL_STEPS_[A-Z0-9_]+\b", path.read_text()))
    return names


def env_example() -> list[tuple[str, str, str]]:
    """(name, value, the comment line just above it) for each setting."""
    lines = (INFRA / "small-steps.env.example").read_text().splitlines()
    out = []
    for i, line in enumerate(lines):
        if m := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line):
            out.append((m.group(1), m.group(2), lines[i - 1] if i else ""))
    return out


def test_the_env_example_lists_every_setting_the_code_reads():
    listed = [name for name, _, _ in env_example()]
    assert len(listed) == len(set(listed))
    code = settings_in_code()
    assert len(code) >= 13
    assert sorted(code - set(listed)) == []
    assert sorted(set(listed) - code) == []


def test_each_setting_has_one_comment_line_with_its_default():
    for name, _, comment in env_example():
        assert comment.startswith("# ") and "default" in comment, name


def test_the_env_example_states_the_real_defaults():
    comments = {name: comment for name, _, comment in env_example()}
    assert f"default {DEFAULT_HOST}" in comments["SMALL_STEPS_HOST"]
    assert f"default {DEFAULT_PORT}" in comments["SMALL_STEPS_PORT"]
    assert "default sqlite:///var/small-steps.sqlite" in comments["SMALL_STEPS_STORE"]
    pg = eventsourcing_env("postgresql://u@h/d")
    for param, key in (("connect_timeout", "POSTGRES_CONNECT_TIMEOUT"),
                       ("pool_size", "POSTGRES_POOL_SIZE"),
                       ("max_overflow", "POSTGRES_MAX_OVERFLOW")):
        assert f"{param}={pg[key]}" in comments["SMALL_STEPS_STORE"], param


def test_the_env_example_is_a_production_configuration():
    values = {name: value for name, value, _ in env_example()}
    store = values["SMALL_STEPS_STORE"]
    assert store.startswith("postgresql://small_steps_app:") and "schema=small_steps" in store
    assert values["SMALL_STEPS_VERIFY_REQUESTS"] == "true"
    assert values["SMALL_STEPS_SKILL_ID"].startswith("amzn1.ask.skill.")
    assert values["SMALL_STEPS_IDENTITY_KEY_FILE"].startswith("/etc/small-steps/")
    # The erasure ledger is where the web unit (which erases) may write and keeps its state.
    web = unit("small-steps-web.service")["Service"]
    assert values["SMALL_STEPS_ERASURE_LEDGER"] == (
        f"/var/lib/{web['StateDirectory'][0]}/erasures.jsonl")
    assert web["User"] == ["small-steps"]


# -- systemd ------------------------------------------------------------------------


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in (INFRA / "systemd" / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if m := re.fullmatch(r"\[(\w+)\]", line):
            current = sections.setdefault(m.group(1), {})
            continue
        key, sep, value = line.partition("=")
        assert current is not None and sep, raw
        current.setdefault(key, []).append(value)
    return sections


def one(section: dict[str, list[str]], key: str) -> str:
    assert len(section.get(key, [])) == 1, key
    return section[key][0]


def words(section: dict[str, list[str]], key: str) -> set[str]:
    return {w for value in section.get(key, []) for w in value.split()}


VENV_BIN = "/opt/small-steps/.venv/bin/small-steps"
UNITS = {"small-steps-web.service": ["serve", "--production"],
         "small-steps-projector.service": ["projector"],
         "small-steps-migrate.service": ["migrate"]}


@pytest.mark.parametrize("name", sorted(UNITS))
def test_each_unit_runs_its_command_from_the_venv(name: str):
    service = unit(name)["Service"]
    command = shlex.split(one(service, "ExecStart"))
    assert command == [VENV_BIN, *UNITS[name]]
    # The same arguments are accepted by the CLI installed here.
    help_run = subprocess.run([SMALL_STEPS, *UNITS[name], "--help"], capture_output=True,
                              text=True, timeout=30)
    assert help_run.returncode == 0, help_run.stderr


@pytest.mark.parametrize("name", sorted(UNITS))
def test_each_unit_is_hardened(name: str):
    service = unit(name)["Service"]
    for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                       ("PrivateTmp", "yes"), ("ProtectHome", "yes"),
                       ("PrivateDevices", "yes"), ("CapabilityBoundingSet", ""),
                       ("UMask", "0077")):
        assert one(service, key) == value, (name, key)


def test_web_and_projector_run_as_the_service_user_with_the_app_env():
    for name in ("small-steps-web.service", "small-steps-projector.service"):
        u = unit(name)
        service = u["Service"]
        assert one(service, "User") == "small-steps"
        assert one(service, "EnvironmentFile") == "/etc/small-steps/small-steps.env"
        assert one(service, "Restart") == "on-failure"
        assert "2" in words(service, "RestartPreventExitStatus")  # setup errors: no loop
        assert "small-steps-migrate.service" in words(u["Unit"], "After")
        assert "small-steps-migrate.service" in words(u["Unit"], "Wants")
        assert one(u["Install"], "WantedBy") == "multi-user.target"


def test_the_web_units_certificate_cache_is_private():
    service = unit("small-steps-web.service")["Service"]
    values = {name: value for name, value, _ in env_example()}
    assert values["SMALL_STEPS_CERT_CACHE_DIR"] == f"/var/cache/{one(service, 'CacheDirectory')}"
    assert one(service, "CacheDirectoryMode") == "0700"


def test_migrate_runs_once_with_the_owner_url_only():
    u = unit("small-steps-migrate.service")
    service = u["Service"]
    assert one(service, "Type") == "oneshot"
    assert one(service, "RemainAfterExit") == "yes"
    assert one(service, "EnvironmentFile") == "/etc/small-steps/migrate.env"
    assert one(service, "DynamicUser") == "yes"  # not the app's uid: it cannot read it


def test_the_web_unit_matches_gunicorn():
    service = unit("small-steps-web.service")["Service"]
    assert one(service, "Type") == "notify"  # gunicorn's arbiter sends READY=1
    from gunicorn import systemd

    assert callable(systemd.sd_notify)
    assert one(service, "ExecReload") == "/bin/kill -HUP $MAINPID"
    assert one(service, "KillMode") == "mixed"
    # Long enough for gunicorn's graceful_timeout (skill/edge/production.py).
    from skill.edge.production import ProductionServer

    source = Path(ProductionServer.load_config.__code__.co_filename).read_text()
    graceful = int(re.search(r'"graceful_timeout":\s*(\d+)', source).group(1))
    assert int(one(service, "TimeoutStopSec")) > graceful


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_units(tmp_path: Path):
    root = tmp_path / "root"
    (root / "etc/systemd/system").mkdir(parents=True)
    shutil.copytree("/lib/systemd/system", root / "lib/systemd/system", symlinks=True)
    exe = root / VENV_BIN.lstrip("/")
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    (root / "bin").mkdir()
    shutil.copy("/bin/kill", root / "bin" / "kill")
    for name in UNITS:
        shutil.copy(INFRA / "systemd" / name, root / "etc/systemd/system" / name)
    done = subprocess.run(["systemd-analyze", "verify", f"--root={root}", *UNITS],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr


# -- nginx ----------------------------------------------------------------------------


def nginx_blocks(text: str) -> list:
    """The config as nested lists: a directive is [name, args...], a block is
    [name, args..., [children]]."""
    text = re.sub(r"#[^\n]*", "", text)
    tokens = re.findall(r"'[^']*'|\"[^\"]*\"|[{};]|[^\s{};]+", text)
    stack: list[list] = [[]]
    current: list[str] = []
    for token in tokens:
        if token == ";":
            stack[-1].append(current)
            current = []
        elif token == "{":
            block = [*current, []]
            stack[-1].append(block)
            stack.append(block[-1])
            current = []
        elif token == "}":
            assert not current, current
            stack.pop()
        else:
            current.append(token.strip("'\"") if token[0] in "'\"" else token)
    assert len(stack) == 1 and not current
    return stack[0]


def directives(block: list, name: str) -> list[list[str]]:
    return [d[1:] for d in block if d and d[0] == name and not isinstance(d[-1], list)]


def blocks(block: list, name: str) -> list[tuple[list[str], list]]:
    return [(d[1:-1], d[-1]) for d in block if d and d[0] == name and isinstance(d[-1], list)]


def size(value: str) -> int:
    units = {"k": 1024, "m": 1024 * 1024}
    return int(value[:-1]) * units[value[-1].lower()] if value[-1].isalpha() else int(value)


def seconds(value: str) -> float:
    m = re.fullmatch(r"(\d+)(ms|s|m)?", value)
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, None: 1}[m.group(2)]


@pytest.fixture(scope="module")
def site() -> list:
    return nginx_blocks((INFRA / "nginx" / "small-steps.conf").read_text())


def servers(site: list) -> dict[str, list]:
    out = {}
    for _, body in blocks(site, "server"):
        ports = {listen[0].rsplit(":", 1)[-1] for listen in directives(body, "listen")}
        assert len(ports) == 1
        out[ports.pop()] = body
    return out


def locations(server: list) -> dict[str, list]:
    return {" ".join(args): body for args, body in blocks(server, "location")}


def test_the_upstream_is_where_the_server_listens(site: list):
    (args, upstream), = blocks(site, "upstream")
    assert directives(upstream, "server") == [[f"{DEFAULT_HOST}:{DEFAULT_PORT}"]]
    assert int(directives(upstream, "keepalive")[0][0]) > 0
    values = {name: value for name, value, _ in env_example()}
    assert f"{values['SMALL_STEPS_HOST']}:{values['SMALL_STEPS_PORT']}" == \
        f"{DEFAULT_HOST}:{DEFAULT_PORT}"
    tls = servers(site)["443"]
    for path in ("= /alexa", "= /healthz"):
        assert directives(locations(tls)[path], "proxy_pass") == [[f"http://{args[0]}"]]


def test_http_only_redirects(site: list):
    plain = servers(site)["80"]
    assert directives(locations(plain)["/"], "return") == [["301", "https://$host$request_uri"]]
    assert all("proxy_pass" not in str(body) for body in locations(plain).values())


def test_tls(site: list):
    tls = servers(site)["443"]
    assert all("ssl" in listen for listen in directives(tls, "listen"))
    assert set(directives(tls, "ssl_protocols")[0]) == {"TLSv1.2", "TLSv1.3"}
    cert, = directives(tls, "ssl_certificate")
    key, = directives(tls, "ssl_certificate_key")
    assert re.fullmatch(r"/etc/letsencrypt/live/[^/]+/fullchain\.pem", cert[0])
    assert key[0] == cert[0].replace("fullchain.pem", "privkey.pem")


def test_proxying(site: list):
    tls = servers(site)["443"]
    headers = {h[0]: h[1] for h in directives(tls, "proxy_set_header")}
    assert headers["X-Request-Id"] == "$request_id"
    assert headers["Connection"] == ""  # with proxy_http_version 1.1: upstream keepalive
    assert directives(tls, "proxy_http_version") == [["1.1"]]
    body_limit = size(directives(tls, "client_max_body_size")[0][0])
    assert MAX_BODY_BYTES < body_limit <= MAX_BODY_BYTES + 16 * 1024
    timeouts = {d[0]: seconds(d[1]) for d in tls if d and d[0].endswith("_timeout")
                and d[0] not in ("ssl_session_timeout",)}
    assert {"proxy_connect_timeout", "proxy_read_timeout", "proxy_send_timeout"} <= set(timeouts)
    assert all(t < ALEXA_TIMEOUT_SECONDS for t in timeouts.values()), timeouts
    where = locations(tls)
    assert set(where) == {"= /alexa", "= /healthz", "/"}
    assert directives(where["/"], "return") == [["404"]]


def test_healthz_is_for_this_machine_and_monitoring(site: list):
    health = locations(servers(site)["443"])["= /healthz"]
    rules = [d for d in health if d[0] in ("allow", "deny")]
    assert rules[-1] == ["deny", "all"]
    assert ["allow", "127.0.0.1"] in rules and ["allow", "::1"] in rules
    assert all(d[1] != "all" for d in rules if d[0] == "allow")


def test_the_access_log_has_no_bodies_or_query_strings(site: list):
    formats = {d[0]: " ".join(d[1:]) for d in directives(site, "log_format")}
    assert set(formats) == {"small_steps"}
    for leak in ("$request_body", "$request ", "$request\"", "$args", "$query_string",
                 "$request_uri", "$http_"):
        assert leak not in formats["small_steps"] + " ", leak
    for server in servers(site).values():
        for log in directives(server, "access_log"):
            assert log == ["off"] or log[-1] == "small_steps", log


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here")
def test_nginx_accepts_the_site(tmp_path: Path):
    from tests.infra.nginx import test_config

    done = test_config(tmp_path)
    assert done.returncode == 0, done.stderr


# -- the runbook ----------------------------------------------------------------------


def test_the_runbook_names_only_files_that_exist():
    runbook = (INFRA / "RUNBOOK.md").read_text()
    mentioned = set(re.findall(r"\binfra/[\w./-]+[\w]", runbook))
    assert len(mentioned) >= 6
    assert sorted(m for m in mentioned if not (ROOT / m).exists()) == []
    for script in ("backup.sh", "restore.sh", "postgres/provision.sh"):
        assert f"infra/{script}" in runbook


def test_the_runbook_erases_again_before_serving_a_restore():
    """A restore brings back everyone erased since its backup: the runbook's procedure
    runs `reapply-erasures` after restoring and before the units start, as the service's
    user with the web unit's settings (restore.sh runs as postgres, without them)."""
    runbook = (INFRA / "RUNBOOK.md").read_text()
    section = runbook.split("## Backups and a tested restore", 1)[1].split("\n## ", 1)[0]
    serve = next(b for b in re.findall(r"```sh\n(.*?)```", section, re.S)
                 if "RENAME TO small_steps'" in b)
    renamed = serve.index("RENAME TO small_steps'")
    reapply = serve.index("small-steps reapply-erasures")
    assert renamed < reapply < serve.index("systemctl start")
    web = unit("small-steps-web.service")["Service"]
    assert f"-p User={web['User'][0]}" in serve
    assert f"-p EnvironmentFile={web['EnvironmentFile'][0]}" in serve
    assert "reapply-erasures" in (INFRA / "restore.sh").read_text()
