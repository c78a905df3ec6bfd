"""`refresh --log-json`: one JSON object per line on stdout for each event (progress, log, result)."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any


class JsonEvents(logging.Handler):
    """A Progress sink and a logging handler writing JSON lines; `finish` writes the last one."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(logging.INFO)
        self.stream = stream

    def emit_event(self, event: str, **fields: Any) -> None:
        """Write one event as a JSON object on its own line."""
        record = {"time": datetime.now(UTC).isoformat(), "event": event, **fields}
        out = self.stream or sys.stdout
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        out.flush()

    # Progress protocol
    def start(self, source: str, total: int) -> None:
        """A source (or the build) starts with `total` steps."""
        self.emit_event("start", source=source, total=total)

    def note(self, source: str, description: str) -> None:
        """What a source is doing."""
        self.emit_event("note", source=source, message=description)

    def advance(self, source: str, description: str) -> None:
        """A source finished one step."""
        self.emit_event("step", source=source, message=description)

    # logging
    def emit(self, record: logging.LogRecord) -> None:
        """A log record as an event."""
        with contextlib.suppress(Exception):
            self.emit_event("log", level=record.levelname.lower(), logger=record.name,
                            message=record.getMessage())  # fmt: skip

    @contextlib.contextmanager
    def capture_logs(self) -> Iterator[None]:
        """Route log records (INFO and above) to JSON events instead of the console."""
        root = logging.getLogger()
        saved, level = root.handlers[:], root.level
        root.handlers = [self]
        root.setLevel(min(level, logging.INFO) if level else logging.INFO)
        try:
            yield
        finally:
            root.handlers, root.level = saved, level

    def finish(self, status: str, exit_code: int, **fields: Any) -> None:
        """The run's outcome (the last line)."""
        report = fields.pop("report", None)
        if report is not None:
            fields["rows"] = report.get("rows", {})
            fields["changes"] = report.get("changes", [])
            fields["run_id"] = report.get("run_id")
        self.emit_event("finished", status=status, exit_code=exit_code, **fields)
