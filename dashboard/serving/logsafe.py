"""Log lines that cannot hurt the terminal or the log reader: control characters escaped, length cut.

Request lines, headers and callback values reach the logs (gunicorn's access and error logs, the
dashboard's warnings). Raw NUL, ESC (terminal escape sequences), bidirectional overrides (RTL) and
C1 controls are written as \\xNN / \\uNNNN, and a message longer than MAX_CHARS is cut with a note of
how much was left out. `SafeLogger` is gunicorn's logger class with this formatter on every handler,
the root logger's (the dashboard's own messages) included.
"""

from __future__ import annotations

import logging
import re
import sys

from gunicorn import glogging

MAX_CHARS = 2000  # of one logged message (a traceback beneath it is kept, escaped)
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_OR_NEWLINE = re.compile(_UNSAFE.pattern[:-1] + "\n]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str, keep_newlines: bool = False) -> str:
    """`text` with control and bidirectional characters written as escapes."""
    return (_UNSAFE if keep_newlines else _UNSAFE_OR_NEWLINE).sub(_escape_char, text)


def clip(text: str, limit: int = MAX_CHARS) -> str:
    """`text` cut to `limit` characters, saying how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters]"


class SafeFormatter(logging.Formatter):
    """Formats like `inner`, with the message escaped and cut first (tracebacks escaped too)."""

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter(
            "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"
        )

    def format(self, record: logging.LogRecord) -> str:
        """The record as one safe entry."""
        safe = logging.makeLogRecord(record.__dict__)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a message that does not format is logged as it came
            message = f"{record.msg!r} {record.args!r}"
        safe.msg, safe.args = clip(escape(message)), None
        return escape(self.inner.format(safe), keep_newlines=True)


class SafeLogger(glogging.Logger):
    """gunicorn's logger with SafeFormatter on its handlers and a safe handler for the app's logs."""

    def setup(self, cfg) -> None:  # noqa: ANN001 - gunicorn's Config
        """Set up as gunicorn does, then make every handler safe."""
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in logger.handlers:
                handler.setFormatter(SafeFormatter(handler.formatter))
        root = logging.getLogger()
        if not any(isinstance(h.formatter, SafeFormatter) for h in root.handlers):
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(SafeFormatter())
            root.addHandler(handler)
            root.setLevel(self.error_log.level)
