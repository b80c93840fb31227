"""The node's state: an in-memory key/value model in buckets, cache layers for atomic txs, KV gas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

# Cosmos SDK KVGasConfig (store/types/gas.go): what every store access costs.
HAS_COST = 1000
DELETE_COST = 1000
READ_COST_FLAT = 1000
READ_COST_PER_BYTE = 3
WRITE_COST_FLAT = 2000
WRITE_COST_PER_BYTE = 30
ITER_NEXT_COST_FLAT = 30

_DELETED = object()


class OutOfGas(Exception):
    """Raised when a gas meter passes its limit; `location` names what was being charged."""

    def __init__(self, location: str, limit: int, used: int) -> None:
        super().__init__(f"out of gas in location: {location}; gasWanted: {limit}, gasUsed: {used}")
        self.location = location
        self.limit = limit
        self.used = used


class GasMeter:
    """Counts gas; limit None = infinite (simulate, genesis, block hooks)."""

    __slots__ = ("limit", "used")

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.used = 0

    def consume(self, amount: int, location: str) -> None:
        self.used += amount
        if self.limit is not None and self.used > self.limit:
            raise OutOfGas(location, self.limit, self.used)


def encode(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class View:
    """Read/write access to buckets of JSON values; subclasses decide where writes go."""

    def get(self, bucket: str, key: str) -> Any:
        raw = self._get_raw(bucket, key)
        return None if raw is None else json.loads(raw)

    def has(self, bucket: str, key: str) -> bool:
        return self._get_raw(bucket, key) is not None

    def set(self, bucket: str, key: str, value: Any) -> None:
        self._set_raw(bucket, key, encode(value))

    def items(self, bucket: str, prefix: str = "", reverse: bool = False) -> list[tuple[str, Any]]:
        """Entries of a bucket whose key starts with prefix, sorted by key."""
        return [(k, json.loads(v)) for k, v in self._iter_raw(bucket, prefix, reverse)]

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        return [k for k, _ in self._iter_raw(bucket, prefix, False)]

    # -- storage primitives --
    def _get_raw(self, bucket: str, key: str) -> str | None:
        raise NotImplementedError

    def _set_raw(self, bucket: str, key: str, raw: str) -> None:
        raise NotImplementedError

    def delete(self, bucket: str, key: str) -> None:
        raise NotImplementedError

    def _iter_raw(self, bucket: str, prefix: str, reverse: bool) -> Iterator[tuple[str, str]]:
        raise NotImplementedError


class RootState(View):
    """The committed state, loaded from SQLite at start; records which keys changed since the last flush."""

    def __init__(self, data: dict[str, dict[str, str]] | None = None) -> None:
        self.buckets: dict[str, dict[str, str]] = data or {}
        self.dirty: dict[tuple[str, str], str | None] = {}

    def _get_raw(self, bucket: str, key: str) -> str | None:
        b = self.buckets.get(bucket)
        return None if b is None else b.get(key)

    def _set_raw(self, bucket: str, key: str, raw: str) -> None:
        self.buckets.setdefault(bucket, {})[key] = raw
        self.dirty[(bucket, key)] = raw

    def delete(self, bucket: str, key: str) -> None:
        b = self.buckets.get(bucket)
        if b is not None and key in b:
            del b[key]
            self.dirty[(bucket, key)] = None

    def _iter_raw(self, bucket: str, prefix: str, reverse: bool) -> Iterator[tuple[str, str]]:
        b = self.buckets.get(bucket, {})
        ks = sorted((k for k in b if k.startswith(prefix)), reverse=reverse)
        return ((k, b[k]) for k in ks)

    def take_dirty(self) -> dict[tuple[str, str], str | None]:
        dirty, self.dirty = self.dirty, {}
        return dirty


class CacheState(View):
    """A write-back layer over another view (a tx, a block, CheckTx); `write()` applies it, dropping discards.

    With a gas meter every access is charged as the SDK's gaskv store does, so gas is deterministic.
    """

    def __init__(self, parent: View, gas: GasMeter | None = None) -> None:
        self.parent = parent
        self.gas = gas
        self.writes: dict[tuple[str, str], Any] = {}

    def _charge(self, amount: int, location: str) -> None:
        if self.gas is not None:
            self.gas.consume(amount, location)

    def _lookup(self, bucket: str, key: str) -> str | None:
        hit = self.writes.get((bucket, key))
        if hit is _DELETED:
            return None
        if hit is not None:
            return hit
        return self.parent._get_raw(bucket, key)

    def _get_raw(self, bucket: str, key: str) -> str | None:
        self._charge(READ_COST_FLAT, "ReadFlat")
        raw = self._lookup(bucket, key)
        if raw is not None:
            self._charge(READ_COST_PER_BYTE * (len(raw)), "ReadPerByte")
        return raw

    def has(self, bucket: str, key: str) -> bool:
        self._charge(HAS_COST, "Has")
        return self._lookup(bucket, key) is not None

    def _set_raw(self, bucket: str, key: str, raw: str) -> None:
        self._charge(WRITE_COST_FLAT, "WriteFlat")
        self._charge(WRITE_COST_PER_BYTE * (len(bucket) + len(key) + len(raw)), "WritePerByte")
        self.writes[(bucket, key)] = raw

    def delete(self, bucket: str, key: str) -> None:
        self._charge(DELETE_COST, "Delete")
        self.writes[(bucket, key)] = _DELETED

    def _iter_raw(self, bucket: str, prefix: str, reverse: bool) -> Iterator[tuple[str, str]]:
        merged = dict(self.parent._iter_raw(bucket, prefix, False))
        for (b, k), v in self.writes.items():
            if b == bucket and k.startswith(prefix):
                if v is _DELETED:
                    merged.pop(k, None)
                else:
                    merged[k] = v
        for k in sorted(merged, reverse=reverse):
            self._charge(ITER_NEXT_COST_FLAT, "IterNextFlat")
            yield k, merged[k]

    def write(self) -> None:
        for (bucket, key), v in self.writes.items():
            if v is _DELETED:
                self.parent.delete(bucket, key)
            else:
                self.parent._set_raw(bucket, key, v)
        self.writes = {}
