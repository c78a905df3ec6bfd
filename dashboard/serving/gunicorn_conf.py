"""gunicorn configuration of `labourdash serve` (`gunicorn -c python:dashboard.serving.gunicorn_conf`).

The command line adds --bind, --workers and --threads; GUNICORN_CMD_ARGS can add more (e.g.
--max-requests). Which protection comes from here and which from the reverse proxy: README,
"Protections".

Cold start: `preload_app`. The master imports dashboard.wsgi, which builds the app and warms it up
completely (dashboard/serving/warmup.py: component registry, index page, pages router, every script,
the CSP from the page's inline scripts) before a single worker exists. Each worker, the first ones and
every one gunicorn starts later (after `max_requests`, a crash, a TERM or a HUP), is a fork of that
warmed master, so it is complete before its first request and carries the same CSP. (The other
choice, warming up in `post_fork`, would redo the work in each worker and let a CSP differ.) The
warehouse connection the warm-up opened is closed in `pre_fork`: a DuckDB instance must not cross a
fork, and each worker opens its own on its first query. A HUP re-forks workers from the same
preloaded app: new code needs a restart (systemctl restart / docker compose up), new data does not
(a refresh's swap is picked up per request).
"""

from __future__ import annotations

wsgi_app = "dashboard.wsgi:server"
preload_app = True
worker_class = (
    "dashboard.serving.worker.LabourdashWorker"  # gthread + header deadline + safe errors
)
logger_class = "dashboard.serving.logsafe.SafeLogger"  # control characters escaped, lines cut
accesslog = "-"
keepalive = 5  # a browser's callback requests reuse one connection
timeout = 60  # a worker silent this long is replaced (a stuck request, not a slow client)
graceful_timeout = 30
# Request line: gunicorn's largest (8190 bytes), so parsing stays linear and bounded; an address
# longer than limits.MAX_URL (4096) but under this still gets the friendly page from the app, a
# longer one gets the same friendly page from LabourdashWorker.handle_error.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190


def pre_fork(server, worker) -> None:  # noqa: ANN001 - gunicorn's Arbiter and Worker
    """In the master, before each fork: no open DuckDB instance may be inherited."""
    from dashboard.core import db

    db.release()


def post_fork(server, worker) -> None:  # noqa: ANN001
    """In the new worker: say which app it was forked from (the warm-up's figures)."""
    from dashboard.wsgi import server as flask_app

    warmed = flask_app.config.get("DASHBOARD_WARMED") or {}
    server.log.info("worker %s forked warm: %d scripts, %d inline scripts in the CSP",
                    worker.pid, len(warmed.get("scripts", [])), warmed.get("inline", 0))  # fmt: skip
