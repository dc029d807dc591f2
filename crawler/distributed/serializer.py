"""JSON serialization of queued requests for scrapy-redis (its default is pickle)."""

from __future__ import annotations

import base64
import json
from typing import Any

__all__ = ["dumps", "loads"]

# Request.to_dict() holds bytes (body, header names and values) and dicts keyed by bytes.
_BYTES, _PAIRS = "__bytes__", "__pairs__"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {_PAIRS: [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if _BYTES in value:
            return base64.b64decode(value[_BYTES])
        if _PAIRS in value:
            return {_decode(k): _decode(v) for k, v in value[_PAIRS]}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(obj: dict[str, Any]) -> bytes:
    """A request dict as JSON; raises TypeError for values JSON cannot carry."""
    return json.dumps(_encode(obj), separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> dict[str, Any]:
    """The request dict back from `dumps`."""
    return _decode(json.loads(data))  # type: ignore[no-any-return]
