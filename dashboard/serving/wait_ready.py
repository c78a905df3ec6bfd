"""Wait until the dashboard says ready: `python -m dashboard.serving.wait_ready [URL] [--timeout S]`.

Standard library only (a health check must be cheap): exit 0 once URL (default
http://127.0.0.1:8050/_ready) answers 200, 1 when it did not within the timeout.
"""

from __future__ import annotations

import argparse
import time
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8050/_ready"


def ready(url: str) -> bool:
    """One probe: does `url` answer 200?"""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - an operator's address
            return answer.status == 200
    except (OSError, urllib.error.URLError):
        return False


def wait(url: str, timeout: float) -> bool:
    """Probe `url` every second until it is ready or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while not ready(url):
        if time.monotonic() >= deadline:
            return False
        time.sleep(1)
    return True


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.serving.wait_ready")
    parser.add_argument("url", nargs="?", default=DEFAULT_URL)
    parser.add_argument("--timeout", type=float, default=0.0, help="seconds to keep trying")
    args = parser.parse_args(argv)
    ok = wait(args.url, args.timeout)
    print(f"{args.url}: {'ready' if ok else 'not ready'}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
