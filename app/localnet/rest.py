"""gRPC-gateway conventions for answers: query parameters, pagination, coins, decimals and timestamps."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from app.localnet.errors import invalid_argument
from app.units import format_dec18

T = TypeVar("T")
DEFAULT_LIMIT = 100  # cosmos-sdk types/query.DefaultLimit
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
ZERO_TIME = "1970-01-01T00:00:00Z"


class Query:
    """One REST query: path parameters and (repeatable) query-string parameters, parsed like the gateway."""

    def __init__(self, path: Mapping[str, str], args: Mapping[str, Sequence[str]]) -> None:
        self.path = path
        self.args = args

    def str(self, name: str, default: str = "") -> str:
        values = self.args.get(name)
        return values[-1] if values else default

    def list(self, name: str) -> list[str]:
        return list(self.args.get(name, []))

    def uint(self, name: str, default: int = 0) -> int:
        text = self.str(name)
        if text == "":
            return default
        if not text.isdigit() or int(text) >= 2**64:
            raise invalid_argument(
                f"type mismatch, parameter: {name}, error: strconv.ParseUint: parsing {text!r}: invalid syntax"
            )
        return int(text)

    def bool(self, name: str) -> bool:
        text = self.str(name)
        if text == "":
            return False
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise invalid_argument(
            f"type mismatch, parameter: {name}, error: strconv.ParseBool: parsing {text!r}: invalid syntax"
        )

    def enum(self, name: str, values: Sequence[str], default: str = "") -> str:
        """An enum parameter by name or number, like the gateway's runtime.Enum."""
        text = self.str(name)
        if text == "":
            return default
        if text in values:
            return text
        if text.isdigit() and int(text) < len(values):
            return values[int(text)]
        raise invalid_argument(f"type mismatch, parameter: {name}, error: {text} is not valid")


# -- pagination --------------------------------------------------------------------------------

def encode_key(key: str) -> str:
    return base64.b64encode(key.encode()).decode()


def paginate(
    q: Query, entries: list[tuple[str, T]], prefix: str = "pagination"
) -> tuple[list[T], dict[str, Any]]:
    """Apply pagination.key/offset/limit/count_total/reverse to entries sorted by key (the store order).

    Mirrors cosmos-sdk query.Paginate: limit 0 means 100 and counts the total; a key and an offset
    together are refused; total is only counted without a key; next_key is null on the last page.
    """
    raw_key = q.str(f"{prefix}.key")
    offset = q.uint(f"{prefix}.offset")
    limit = q.uint(f"{prefix}.limit")
    count_total = q.bool(f"{prefix}.count_total")
    reverse = q.bool(f"{prefix}.reverse")
    if raw_key and offset:
        raise invalid_argument("invalid request, either offset or key is expected, got both")
    if limit == 0:
        limit = DEFAULT_LIMIT
        count_total = True
    ordered = list(reversed(entries)) if reverse else entries
    if raw_key:
        start_key = _decode_key(raw_key, f"{prefix}.key")
        start = next(
            (i for i, (k, _) in enumerate(ordered) if (k <= start_key if reverse else k >= start_key)),
            len(ordered),
        )
        count_total = False
    else:
        start = offset
    page = ordered[start : start + limit]
    nxt = ordered[start + limit] if start + limit < len(ordered) else None
    pagination = {
        "next_key": encode_key(nxt[0]) if nxt is not None else None,
        "total": str(len(entries)) if count_total else "0",
    }
    return [v for _, v in page], pagination


def _decode_key(raw: str, name: str) -> str:
    """A bytes query parameter: standard or URL-safe base64, as runtime.Bytes accepts."""
    padded = raw + "=" * (-len(raw) % 4)
    for decoder in (base64.standard_b64decode, base64.urlsafe_b64decode):
        try:
            return decoder(padded).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
    raise invalid_argument(f"type mismatch, parameter: {name}, error: illegal base64 data")


def paged(
    q: Query, field: str, entries: list[tuple[str, T]], render: Callable[[T], Any] | None = None
) -> dict[str, Any]:
    """{field: [...], "pagination": {...}} for a list query."""
    page, pagination = paginate(q, entries)
    return {field: [render(v) for v in page] if render else page, "pagination": pagination}


# -- values ------------------------------------------------------------------------------------

def coin(denom: str, amount: int) -> dict[str, str]:
    return {"denom": denom, "amount": str(int(amount))}


def coins(mapping: Mapping[str, int]) -> list[dict[str, str]]:
    """sdk.Coins: sorted by denom, zero amounts dropped."""
    return [coin(d, a) for d, a in sorted(mapping.items()) if int(a) != 0]


def dec(value: Decimal | int | str) -> str:
    return format_dec18(value)


def dec_coin(denom: str, amount: Decimal | int | str) -> dict[str, str]:
    return {"denom": denom, "amount": format_dec18(amount)}


def dec_coins(mapping: Mapping[str, Decimal | str]) -> list[dict[str, str]]:
    return [dec_coin(d, a) for d, a in sorted(mapping.items()) if Decimal(a) != 0]


def rfc3339(ns: int) -> str:
    """A Timestamp as protobuf JSON writes it: UTC, 0/3/6/9 fractional digits."""
    if ns == 0:
        return ZERO_TIME
    secs, frac = divmod(ns, 1_000_000_000)
    base = datetime.fromtimestamp(secs, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if frac == 0:
        return base + "Z"
    digits = f"{frac:09d}"
    for width in (3, 6):
        if digits[width:] == "0" * (9 - width):
            return f"{base}.{digits[:width]}Z"
    return f"{base}.{digits}Z"


def duration(ns: int) -> str:
    """A google.protobuf.Duration in JSON ("120s", "0.500s")."""
    secs, frac = divmod(ns, 1_000_000_000)
    if frac == 0:
        return f"{secs}s"
    return f"{secs}.{frac:09d}".rstrip("0") + "s"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
