"""JSON bytes -> Python objects with orjson; the standard library decides (and words) any failure."""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(content: bytes | str) -> Any:
    """Decode JSON with orjson; on a body orjson refuses, the stdlib's result or error stands."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        # orjson is stricter (UTF-8 only, no NaN literals): same outcome as before, same message
        return json.loads(content)
