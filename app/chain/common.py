"""Shared chain value types: Coin (integer base units), DecCoin (18-decimal), attributes, page info."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from app.chain.jsonread import Obj

T = TypeVar("T")


@dataclass(frozen=True)
class Coin:
    """An amount of a base denom (uakt, uact, ibc/...) as an integer: `Coin.amount` on chain is an Int."""

    denom: str
    amount: int

    @classmethod
    def parse(cls, o: Obj) -> Coin:
        return cls(o.text("denom"), o.integer("amount"))


@dataclass(frozen=True)
class DecCoin:
    """An 18-decimal amount (prices per block, escrow funds, rewards). May be negative (overdrawn escrow)."""

    denom: str
    amount: Decimal

    @classmethod
    def parse(cls, o: Obj) -> DecCoin:
        return cls(o.text("denom"), o.decimal("amount"))


def coins(o: Obj, key: str) -> tuple[Coin, ...]:
    return tuple(Coin.parse(c) for c in o.children(key))


def dec_coins(o: Obj, key: str) -> tuple[DecCoin, ...]:
    return tuple(DecCoin.parse(c) for c in o.children(key))


def coin_or_zero(o: Obj, key: str) -> Coin:
    """The coin at `key`; Coin("", 0) when the field is left out (its proto3 default)."""
    return o.optional(key, Coin.parse) or Coin("", 0)


def dec_coin_or_zero(o: Obj, key: str) -> DecCoin:
    """The 18-decimal coin at `key`; DecCoin("", 0) when the field is left out."""
    return o.optional(key, DecCoin.parse) or DecCoin("", Decimal(0))


def amount_of(items: tuple[Coin, ...] | tuple[DecCoin, ...], denom: str) -> int | Decimal:
    """The amount of one denom in a coin list (0 when absent)."""
    total: int | Decimal = 0
    for c in items:
        if c.denom == denom:
            total += c.amount
    return total


@dataclass(frozen=True)
class Attribute:
    key: str
    value: str

    @classmethod
    def parse(cls, o: Obj) -> Attribute:
        return cls(o.text("key"), o.text("value"))


def attributes(o: Obj, key: str = "attributes") -> tuple[Attribute, ...]:
    return tuple(Attribute.parse(a) for a in o.children(key))


@dataclass(frozen=True)
class PageInfo:
    """`pagination` of an answer: the opaque key of the next page (None at the end) and the total, if asked."""

    next_key: str | None
    total: int

    @classmethod
    def parse(cls, o: Obj | None) -> PageInfo:
        if o is None:
            return cls(None, 0)
        # An opaque base64 string: kept as text and sent back unchanged (never decoded).
        key = o.text("next_key")
        return cls(key or None, o.integer("total"))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list query."""

    items: tuple[T, ...]
    page: PageInfo
