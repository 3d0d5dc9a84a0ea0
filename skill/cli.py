"""The `small-steps` command.

- `migrate`: create the store's tables (repeatable; production runs it before serving)
- `serve`: the skill over HTTP (`--production`: gunicorn workers on PostgreSQL)
- `projector`: follow a PostgreSQL store and keep the views current
- `rebuild-views`: empty the views and build them again from every event
- `set-aside list` / `set-aside retry [ID]`: the events the views could not apply
- `reapply-erasures`: after a restore, erase again everyone the erasure ledger names
- `chat`: type what you would say to an Echo
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from domain.store import StoreSettingError
from skill.settings import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ENV_SKILL_ID,
    ENV_STORE,
    ENV_THREADS,
    ENV_VERIFY,
    ENV_WORKERS,
    Settings,
    SettingsError,
    Verification,
    installed_version,
    read_log_level,
)

T = TypeVar("T")
log = logging.getLogger("small_steps")
LOCAL_SKILL_ID = "amzn1.ask.skill.local-console"


def _env(args: argparse.Namespace) -> dict[str, str]:
    """The process environment, with the command line's --store over SMALL_STEPS_STORE."""
    env = dict(os.environ)
    if getattr(args, "store", None):
        env[ENV_STORE] = args.store
    return env


def _fail(command: str, message: str) -> int:
    """One line on stderr, passwords masked (the message may quote the store's URL)."""
    from domain.store import mask

    print(f"small-steps {command}: {mask(message)}", file=sys.stderr)
    return 2


def _open(url: str, ledger: str | None = None):  # noqa: ANN202 - a SmallSteps, imported late
    """The application on a store set up by `migrate` (`ledger`: the erasure ledger's
    path, if set): StoreUnavailable (why, from the database) if it cannot be reached,
    StoreNotReady if it has no tables."""
    from domain.app import SmallSteps
    from domain.store import eventsourcing_env
    from domain.store.tables import reach

    reach(eventsourcing_env(url))
    app = SmallSteps.from_store(url, create_tables=False, ledger=ledger)
    try:
        app.check_tables()
    except BaseException:
        app.close()
        raise
    return app


def _on_store(command: str, url: str, work: Callable[[Any], T], failing: str,
              ledger: str | None = None) -> tuple[T | None, int | None]:
    """`work` done with the application on the store (`_open`, closed after): (its
    result, None), or (None, the exit status) once what went wrong is said in one line,
    `failing` saying what could not be done."""
    from domain.store import StoreNotReady, StoreUnavailable, failure

    try:
        app = _open(url, ledger)
        try:
            return work(app), None
        finally:
            app.close()
    except (StoreSettingError, StoreNotReady, StoreUnavailable) as e:
        return None, _fail(command, str(e))
    except Exception as e:  # noqa: BLE001 - say what went wrong in one line
        return None, _fail(command, f"{failing} ({failure(e)})")


def migrate(args: argparse.Namespace) -> int:
    from domain.app import SmallSteps
    from domain.store import failure

    url = Settings.from_env(_env(args), identity=False).store
    try:
        tables = SmallSteps.create_tables(url)
    except StoreSettingError as e:
        return _fail("migrate", str(e))
    except Exception as e:  # noqa: BLE001 - say what went wrong in one line
        return _fail("migrate", f"could not set up the store ({failure(e)})")
    print(f"small-steps migrate: the store is ready ({', '.join(tables)})", flush=True)
    return 0


def rebuild_views(args: argparse.Namespace) -> int:
    """Safe while the server and the projector run: they keep answering, and nothing
    they apply meanwhile can move the views past an event not yet rebuilt."""
    import time

    url = Settings.from_env(_env(args), identity=False).store

    def progress(position: int, target: int) -> None:
        print(f"small-steps rebuild-views: {position:,} of {target:,} events", flush=True)

    def rebuild(app: Any) -> int:
        head = app.progress()[0]
        print(f"small-steps rebuild-views: emptying the views and applying {head:,} "
              "events again", flush=True)
        return app.rebuild_views(progress=progress)

    began = time.perf_counter()
    position, failed = _on_store("rebuild-views", url, rebuild, "could not rebuild the views")
    if failed is not None:
        return failed
    print(f"small-steps rebuild-views: the views are rebuilt up to event {position:,} "
          f"({time.perf_counter() - began:.1f} s)", flush=True)
    return 0


def set_aside(args: argparse.Namespace) -> int:
    """List the events the views set aside (one line each: id, event class, error
    class, when; never anyone's data), or apply them again after a fix. Exit 1 when
    some are still set aside after a retry, 2 when the command could not run."""
    from datetime import datetime, timezone

    from domain.store import StoreNotReady, StoreUnavailable

    command = f"set-aside {args.action}"
    url = Settings.from_env(_env(args), identity=False).store
    try:
        app = _open(url)
        try:
            if args.action == "list":
                rows = app.views.set_aside_events()
                cleared = left = 0
            else:
                rows = []
                cleared, left = app.views.retry_set_aside(args.id)
        finally:
            app.close()
    except (StoreSettingError, StoreNotReady, StoreUnavailable) as e:
        return _fail(command, str(e))
    except Exception as e:  # noqa: BLE001 - say what went wrong in one line
        return _fail(command, f"could not reach the set-aside events ({type(e).__name__})")
    if args.action == "list":
        for r in rows:
            at = r["set_aside_at"]
            when = (datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                    if at is not None else "-")
            print(f"{r['notification_id']} {r['topic']} {r['error']} {when}")
        print(f"small-steps set-aside list: {len(rows)} set aside", flush=True)
        return 0
    if args.id is not None and cleared + left == 0:
        return _fail(command, f"no event {args.id} is set aside")
    print(f"small-steps set-aside retry: {cleared} applied or gone, {left} still set aside",
          flush=True)
    return 1 if left else 0


def reapply_erasures(args: argparse.Namespace) -> int:
    """After restoring a backup: erase again everyone the erasure ledger says was
    erased and whose data the store holds. Safe to repeat; prints how many people it
    erased, never who."""
    from domain.store import eventsourcing_env, is_postgres
    from domain.store.ledger import ENV_LEDGER

    settings = Settings.from_env(_env(args), identity=False)
    if not settings.erasure_ledger and is_postgres(eventsourcing_env(settings.store)):
        return _fail("reapply-erasures", f"{ENV_LEDGER} is not set: name the ledger the "
                                         "server writes (see the runbook)")
    done, failed = _on_store("reapply-erasures", settings.store,
                             lambda app: (len(app.ledger.latest()), app.reapply_erasures()),
                             "could not re-apply the erasures", settings.erasure_ledger)
    if failed is not None:
        return failed
    people, erased = done
    print(f"small-steps reapply-erasures: {erased} erased again ({people} people in the "
          "ledger)", flush=True)
    return 0


def _store_ready(command: str, url: str) -> int | None:
    """None if the store has its tables (or cannot be reached yet), else an exit status."""
    from domain.store import StoreNotReady, StoreUnavailable, failure

    try:
        _open(url).close()
    except StoreNotReady as e:
        return _fail(command, str(e))
    except Exception as e:  # noqa: BLE001 - down for now: serve, and answer "unavailable"
        cause = str(e) if isinstance(e, StoreUnavailable) else failure(e)
        log.warning("the store is not answering yet (%s); serving anyway: /healthz answers "
                    "503 and Alexa requests the apology until it does", cause)
    return None


def serve(args: argparse.Namespace) -> int:
    from domain.store import eventsourcing_env, is_postgres

    settings = Settings.from_env(_env(args), host=args.host, port=args.port,
                                 create_key=not args.production)
    if args.workers:
        settings = dataclasses.replace(settings, workers=args.workers)
    if args.threads:
        settings = dataclasses.replace(settings, threads=args.threads)
    if settings.verify_requests and not settings.skill_ids and not args.production:
        # (production refuses to start without one: check_production, below)
        log.warning("%s is not set: every request will be refused until it names your "
                    "skill's id", ENV_SKILL_ID)
    if args.production:
        settings.check_production()
        if not is_postgres(eventsourcing_env(settings.store)):
            return _fail("serve", f"--production serves a PostgreSQL store ({ENV_STORE}="
                                  "postgresql://…); SQLite is for one process on one machine")
        problem = _store_ready("serve", settings.store)
        if problem is not None:
            return problem
        from skill.edge.production import ProductionServer

        log.info("Small Steps (production) on http://%s:%d/alexa, %d workers x %d threads",
                 settings.host, settings.port, settings.workers, settings.threads,
                 extra={"workers": settings.workers, "threads": settings.threads})
        ProductionServer(settings).run()
        return 0
    from skill.edge.web import create_app

    web = create_app(settings=settings)
    print(f"Small Steps is serving on http://{settings.host}:{settings.port}/alexa "
          f"({settings.describe()})", flush=True)
    web.run(host=settings.host, port=settings.port, threaded=True, use_reloader=False)
    return 0


def projector(args: argparse.Namespace) -> int:
    from domain.projections.runner import run_projector

    settings = Settings.from_env(_env(args), identity=False)
    stop = threading.Event()

    def stopping(signum: int, _frame: object) -> None:
        log.info("projector stopping (%s)", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    # a mistyped store: one line, in `main`
    return run_projector(settings.store, stop, heartbeat=settings.projector_heartbeat_s)


def chat(args: argparse.Namespace) -> int:
    from skill.devtools.console import chat as run_chat
    from skill.devtools.console import start_local_server

    env = _env(args)
    if args.url:
        url, server = args.url, None
        skill_ids = Verification.from_env(env).skill_ids
    else:
        # Only a loopback server may run without verification; this one is ours.
        local = Settings.from_env({**env, ENV_VERIFY: "false",
                                   ENV_SKILL_ID: env.get(ENV_SKILL_ID, LOCAL_SKILL_ID)},
                                  host="127.0.0.1")
        url, server = start_local_server(local)
        skill_ids = local.skill_ids
    try:
        return run_chat(url, args.locale, args.skill_id or (skill_ids or (LOCAL_SKILL_ID,))[0],
                        args.user, args.person, sys.stdin, sys.stdout)
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            server.shutdown()


def key_fingerprint(args: argparse.Namespace) -> int:
    """Print the identity key's fingerprint, or (--check FILE) compare it with one a
    backup recorded: exit 0 when they match, 1 when they do not (one line each)."""
    from skill.settings import identity_key
    from skill.settings import key_fingerprint as fingerprint

    mine = fingerprint(identity_key(_env(args), create=False))
    if args.check is None:
        print(mine)
        return 0
    try:
        recorded = Path(args.check).read_text().strip()
    except OSError as e:
        return _fail("key-fingerprint", f"cannot read {args.check}: {e.strerror}")
    if recorded == mine:
        print(f"small-steps key-fingerprint: the identity key matches {args.check}")
        return 0
    print(f"small-steps key-fingerprint: the identity key does NOT match {args.check} "
          "(this key would separate the restored people from their history)", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="small-steps", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    def on_a_store(name: str, run: Any, what: str) -> argparse.ArgumentParser:
        """A command that works on the store: --store over SMALL_STEPS_STORE, JSON logs."""
        command = sub.add_parser(name, help=what)
        command.add_argument("--store", default=None, help="SMALL_STEPS_STORE for this run")
        command.set_defaults(run=run, log="json")
        return command

    on_a_store("migrate", migrate, "create the store's tables (safe to repeat)")
    s = on_a_store("serve", serve, "serve the skill over HTTP")
    s.add_argument("--host", default=None, help=f"address to bind (default {DEFAULT_HOST})")
    s.add_argument("--port", type=int, default=None, help=f"port (default {DEFAULT_PORT})")
    s.add_argument("--production", action="store_true",
                   help="gunicorn workers on a PostgreSQL store set up by `migrate`")
    s.add_argument("--workers", type=int, default=None,
                   help=f"--production worker processes (default {ENV_WORKERS} or 2 per core)")
    s.add_argument("--threads", type=int, default=None,
                   help=f"--production threads per worker (default {ENV_THREADS} or 4)")
    on_a_store("projector", projector, "follow a PostgreSQL store, keeping the views current")
    on_a_store("rebuild-views", rebuild_views,
               "empty the views and build them again from every event (progress as it goes)")
    a = on_a_store("set-aside", set_aside, "list the events the views could not apply, "
                                           "or apply them again after a fix")
    a.add_argument("action", choices=("list", "retry"))
    a.add_argument("id", nargs="?", type=int, default=None,
                   help="retry: only this event (its id in the list)")
    on_a_store("reapply-erasures", reapply_erasures,
               "after a restore: erase again everyone the erasure ledger names (safe to repeat)")
    k = sub.add_parser("key-fingerprint", help="the identity key's fingerprint (SHA-256), "
                                               "or --check it against a backup's")
    k.add_argument("--check", default=None, metavar="FILE",
                   help="a fingerprint a backup recorded (….dump.key-sha256)")
    k.set_defaults(run=key_fingerprint, log="text")
    c = sub.add_parser("chat", help="type what you would say to an Echo")
    c.add_argument("--url", help="a running server's /alexa URL (verification off); "
                                  "default: start one here on a free loopback port")
    c.add_argument("--locale", default="en-GB", choices=("en-US", "en-GB", "en-CA", "en-AU", "en-IN"))
    c.add_argument("--store", default=None, help="SMALL_STEPS_STORE for the local server")
    c.add_argument("--skill-id", default=None)
    c.add_argument("--user", default="console-user", help="who is speaking (any name)")
    c.add_argument("--person", default=None, help="a voice profile name, if recognised")
    c.set_defaults(run=chat, log="text")
    args = parser.parse_args(argv)
    level = read_log_level()
    if args.log == "json":
        from skill.edge.logs import configure

        configure(level)
    else:
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.run(args)
    except (SettingsError, StoreSettingError) as e:  # a setting is wrong: one line, no traceback
        return _fail(args.command, str(e))


if __name__ == "__main__":
    sys.exit(main())
