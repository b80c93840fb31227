"""Query-string encoding of gateway requests: nested fields with dots (filters.owner), enums by name."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import quote


def encode_params(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Flatten {"filters": {"owner": "akash1..."}, "pagination.limit": 50} into [("filters.owner", ...), ...].

    None values are left out (the gateway's default applies); lists become repeated keys; booleans are
    "true"/"false"; bytes are standard base64, as the gateway expects for bytes fields.
    """
    out: list[tuple[str, str]] = []
    if params:
        _flatten("", params, out)
    return out


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, sub in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), sub, out)
        return
    if not prefix:
        raise TypeError("query parameters must be a mapping")
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in _iter(value):
            out.append((prefix, _scalar(item)))
        return
    out.append((prefix, _scalar(value)))


def _iter(values: Iterable[Any]) -> Iterable[Any]:
    return sorted(values) if isinstance(values, (set, frozenset)) else values


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, float):
        raise TypeError("floats are not sent to the chain; use int or Decimal")
    if isinstance(value, (int, str, Decimal)):
        return str(value)
    raise TypeError(f"cannot send a {type(value).__name__} as a query parameter")


def segment(value: object) -> str:
    """One path segment (an address, an id), percent-encoded so it can never change the path."""
    return quote(str(value), safe="")
