"""Reading decoded messages ({"@type": url, ...}): kind, ids, coins, deposits, votes — the facts that the
confirmation (app.tx.describe, imperative) and the history (app.history_words, past tense) put in words."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from app.denoms import DenomBook
from app.units import plain_decimal

# What a wording function may raise on a malformed message: the caller then falls back to the bare type.
MALFORMED = (TypeError, ValueError, AttributeError, KeyError)

VOTE_OPTIONS = {"VOTE_OPTION_YES": "Yes", "VOTE_OPTION_NO": "No", "VOTE_OPTION_ABSTAIN": "Abstain",
                "VOTE_OPTION_NO_WITH_VETO": "No with veto", "1": "Yes", "2": "Abstain", "3": "No", "4": "No with veto"}


def msg_kind(type_url: str) -> tuple[str, str]:
    """'/akash.market.v1beta5.MsgCreateLease' -> ('akash.market', 'MsgCreateLease'): versions share words."""
    parts = type_url.lstrip("/").split(".")
    module = [p for p in parts[:-1] if not (p.startswith("v") and p[1:2].isdigit())]
    return ".".join(module), parts[-1]


C = TypeVar("C")  # what a wording function is given besides the message (who reads, names, units)
W = TypeVar("W")  # what it gives back (a sentence, a description)
Wording = Callable[[Mapping[str, Any], C], W]


class Wordings(Generic[C, W]):
    """Wording functions by message kind (one table per form of words); each kind is named beside its function."""

    def __init__(self) -> None:
        self._by_kind: dict[tuple[str, str], Wording[C, W]] = {}

    def of(self, module: str, *names: str) -> Callable[[Wording[C, W]], Wording[C, W]]:
        """Decorator: `@SENTENCES.of("cosmos.bank", "MsgSend")` words that kind (any version of it)."""
        def register(fn: Wording[C, W]) -> Wording[C, W]:
            for name in names:
                self._by_kind[(module, name)] = fn
            return fn
        return register

    def word(self, type_url: str, fields: Mapping[str, Any], context: C, fallback: Callable[[], W]) -> W:
        """The words of one message; `fallback()` for an unknown kind or a malformed message (never raises)."""
        fn = self._by_kind.get(msg_kind(type_url))
        if fn is None:
            return fallback()
        try:
            return fn(fields, context)
        except MALFORMED:
            return fallback()


def humanize(type_url: str) -> str:
    """'MsgStoreCode' of 'cosmwasm.wasm' -> 'Store code (cosmwasm.wasm)' for messages without words of their own."""
    module, name = msg_kind(type_url)
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name.removeprefix("Msg")).lower()
    return f"{words[:1].upper()}{words[1:] or 'unknown message'} ({module or type_url})"


def vote_option(option: Any) -> str:
    """'VOTE_OPTION_YES' (or its number) -> 'Yes'; anything else as it is."""
    return VOTE_OPTIONS.get(str(option), str(option))


def weight_percent(weight: Any) -> str:
    """A weighted vote's share ('0.6') in percent ('60'); the raw text when it is not a number."""
    try:
        return plain_decimal(Decimal(str(weight)) * 100)
    except InvalidOperation:
        return str(weight)


def msg_id(m: Mapping[str, Any], *names: str) -> Mapping[str, Any]:
    """The first id field present: message versions name it id, lease_id, bid_id or order_id."""
    for name in names:
        if isinstance(m.get(name), Mapping):
            return m[name]
    return {}


def deposit_coin(deposit: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The coin of a deposit: Deposit{amount: Coin, sources} (v1beta4+) or a bare Coin (older messages)."""
    deposit = deposit or {}
    return deposit.get("amount") if isinstance(deposit.get("amount"), Mapping) else deposit


def escrow_target(account_id: Mapping[str, Any]) -> str:
    """'deployment 123' for a deployment's escrow account (xid 'owner/dseq'), else 'escrow <xid>'."""
    xid, scope = str(account_id.get("xid", "")), account_id.get("scope")
    if scope is None or str(scope) in ("deployment", "1"):
        return f"deployment {xid.rsplit('/', 1)[-1]}"
    return f"escrow {xid}"


class CoinWords:
    """Coins in words with a denom book: '1.5 AKT'. `full_denoms` shows unknown denoms whole (confirmations)."""

    def __init__(self, denoms: DenomBook | None = None, *, full_denoms: bool = False) -> None:
        self.denoms = denoms or DenomBook()
        self.full_denoms = full_denoms

    def symbol(self, denom: str) -> str:
        if self.full_denoms and not self.denoms.knows(denom):
            return denom
        return self.denoms.symbol(denom)

    def amount(self, amount: int, denom: str) -> str:
        if self.full_denoms and not self.denoms.knows(denom):
            return f"{amount} {denom}"
        return self.denoms.format(amount, denom)

    def coin(self, c: Mapping[str, Any] | None) -> str:
        if not c:
            return "nothing"
        try:
            amount = int(str(c.get("amount", "0")))
        except ValueError:
            return f"{c.get('amount')} {c.get('denom', '')}"
        return self.amount(amount, str(c.get("denom", "")))

    def coins(self, cs: Sequence[Mapping[str, Any]] | None) -> str:
        return ", ".join(self.coin(c) for c in cs or ()) or "nothing"

    def amounts(self, amounts: Mapping[str, int]) -> str:
        """{denom: amount} (from events) in words, zero amounts left out."""
        return ", ".join(self.amount(a, d) for d, a in sorted(amounts.items()) if a) or "nothing"
