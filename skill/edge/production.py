"""`small-steps serve --production`: the Flask app under gunicorn, several workers.

Each worker is a process of its own with its own connection pool (the app is built
after the fork); each runs a few threads, since a request mostly waits on PostgreSQL.
gunicorn's access log is off: the app writes its own JSON access line per request
(skill/edge/logs.py), without client addresses or Alexa ids. Behind nginx (infra/nginx),
which terminates TLS and passes X-Request-Id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from skill.edge.logs import gunicorn_logconfig
from skill.settings import Settings


class ProductionServer(BaseApplication):
    def __init__(self, settings: Settings, loader: Callable[[], Any] | None = None):
        """`loader` builds another WSGI app under the same configuration (the load
        benchmark's hello-world baseline); by default the skill's. Never unverified."""
        settings.check_production()
        self.settings = settings
        self.log_level = settings.log_level
        self.loader = loader
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        options: dict[str, Any] = {
            "bind": f"{s.host}:{s.port}" if ":" not in s.host else f"[{s.host}]:{s.port}",
            "workers": s.workers,
            "threads": s.threads,
            "worker_class": "gthread",
            "timeout": 30,  # Alexa gives up after 8 s; a worker stuck 30 s is restarted
            "graceful_timeout": 20,
            "keepalive": 15,  # nginx keeps upstream connections open
            "max_requests": 20000,  # recycle workers now and then
            "max_requests_jitter": 2000,
            "preload_app": False,  # each worker builds its own app and pool after the fork
            "accesslog": None,
            "errorlog": "-",
            "loglevel": self.log_level.lower(),
            "logconfig_dict": gunicorn_logconfig(self.log_level),
            "proc_name": "small-steps",
            "control_socket_disable": True,  # systemd manages the process; no socket in ~
            "forwarded_allow_ips": "127.0.0.1,::1",
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        if self.loader is not None:
            return self.loader()
        from skill.edge.web import create_app

        return create_app(settings=self.settings, production=True)
