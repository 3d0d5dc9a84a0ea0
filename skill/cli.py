"""The `small-steps` command: `serve` the skill, or `chat` with it from a terminal."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from skill.settings import DEFAULT_HOST, DEFAULT_PORT, Settings, SettingsError


def _logging() -> None:
    logging.basicConfig(level=os.environ.get("SMALL_STEPS_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def serve(args: argparse.Namespace) -> int:
    from skill.web import create_app

    env = dict(os.environ)
    if args.store:
        env["SMALL_STEPS_STORE"] = args.store
    try:
        settings = Settings.from_env(env, host=args.host, port=args.port)
    except SettingsError as e:
        print(f"small-steps serve: {e}", file=sys.stderr)
        return 2
    if settings.verify_requests and not settings.skill_ids:
        logging.getLogger("small_steps").warning(
            "SMALL_STEPS_SKILL_ID is not set: every request will be refused until it names "
            "your skill's id")
    web = create_app(env, settings=settings)
    print(f"Small Steps is serving on http://{settings.host}:{settings.port}/alexa "
          f"({settings.describe()})", flush=True)
    web.run(host=settings.host, port=settings.port, threaded=True, use_reloader=False)
    return 0


def chat(args: argparse.Namespace) -> int:
    from skill.console import chat as run_chat
    from skill.console import start_local_server

    if args.url:
        url, server = args.url, None
    else:
        env = dict(os.environ)
        if args.store:
            env["SMALL_STEPS_STORE"] = args.store
        url, server = start_local_server(env)
    try:
        return run_chat(url, args.locale, args.skill_id or os.environ.get(
            "SMALL_STEPS_SKILL_ID", "amzn1.ask.skill.local-console").split(",")[0],
            args.user, args.person, sys.stdin, sys.stdout)
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            server.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="small-steps", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the skill over HTTP")
    s.add_argument("--host", default=None, help=f"address to bind (default {DEFAULT_HOST})")
    s.add_argument("--port", type=int, default=None, help=f"port (default {DEFAULT_PORT})")
    s.add_argument("--store", default=None, help="SMALL_STEPS_STORE for this run")
    s.set_defaults(run=serve)
    c = sub.add_parser("chat", help="type what you would say to an Echo")
    c.add_argument("--url", help="a running server's /alexa URL (verification off); "
                                  "default: start one here on a free loopback port")
    c.add_argument("--locale", default="en-GB", choices=("en-US", "en-GB", "en-CA", "en-AU", "en-IN"))
    c.add_argument("--store", default=None, help="SMALL_STEPS_STORE for the local server")
    c.add_argument("--skill-id", default=None)
    c.add_argument("--user", default="console-user", help="who is speaking (any name)")
    c.add_argument("--person", default=None, help="a voice profile name, if recognised")
    c.set_defaults(run=chat)
    args = parser.parse_args(argv)
    _logging()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
