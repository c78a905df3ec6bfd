"""The dashboard's WSGI entry point: `server` for gunicorn (`dashboard.wsgi:server`).

Importing this module builds the app on the warehouse named by LABOURDASH_DB and warms it up
completely (dashboard/serving: under gunicorn's preload_app that is once, in the master, before any
worker is forked); nothing else imports it. `python -m dashboard.wsgi [--host H] [--port P]` runs Dash's development server.
"""

from __future__ import annotations

import argparse

from dashboard.app import create_app
from dashboard.serving import prepare

app = create_app()
prepare(app)
server = app.server


def main(argv: list[str] | None = None) -> None:
    """Run Dash's development server (what `labourdash serve --debug` starts)."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.wsgi")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    args = parser.parse_args(argv)
    app.run(host=args.host, port=args.port, debug=True, dev_tools_disable_version_check=True)


if __name__ == "__main__":
    main()
