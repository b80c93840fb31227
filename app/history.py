"""An account's transactions, decoded into sentences: sent and received merged, newest first, paged; CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.chain.tx import Event, TxResult, search_txs
from app.config import DENOM_ACT, DENOM_AKT
from app.denoms import DenomBook
from app.fsutil import atomic_write_text
from app.history_words import MsgContext, humanize, parse_coins, sentence
from app.wallet.address import validate_address

if TYPE_CHECKING:
    from app.chain.client import ChainClient

PAGE_SIZE = 50
CSV_COLUMNS = ("time_utc", "height", "txhash", "status", "description", "akt_change", "act_change", "fee_akt",
               "other_changes", "memo")


@dataclass(frozen=True)
class HistoryEntry:
    """One transaction as the account saw it."""

    txhash: str
    height: int
    time: datetime | None
    ok: bool
    code: int
    error: str  # the chain's log when it failed
    sentences: tuple[str, ...]  # one per message ("Sent 5 AKT to ...")
    change: Mapping[str, int]  # net effect on the account per denom, the fee included (negative: spent)
    fee: Mapping[str, int]  # the fee, when this account paid it
    memo: str
    type_urls: tuple[str, ...]

    @property
    def summary(self) -> str:
        text = "; ".join(self.sentences) or "Transaction"
        return text if self.ok else f"Failed: {text}"


def _events_by_msg(tx: TxResult) -> dict[int, list[Event]]:
    out: dict[int, list[Event]] = {}
    for e in tx.events:
        idx = e.get("msg_index")
        if idx.isdigit():
            out.setdefault(int(idx), []).append(e)
    return out


def net_change(tx: TxResult, me: str) -> dict[str, int]:
    """What the account received minus what it spent in this tx (coin_received / coin_spent events)."""
    out: dict[str, int] = {}
    for e in tx.events:
        sign = 1 if e.type == "coin_received" and e.get("receiver") == me else \
            -1 if e.type == "coin_spent" and e.get("spender") == me else 0
        if sign:
            for denom, amount in parse_coins(e.get("amount")).items():
                out[denom] = out.get(denom, 0) + sign * amount
    return {d: a for d, a in out.items() if a}


def fee_paid(tx: TxResult, me: str) -> dict[str, int]:
    """The tx fee if this account paid it (the `tx` event's fee_payer; else the first signer's message)."""
    payer = next((e.get("fee_payer") for e in tx.events if e.type == "tx" and e.get("fee_payer")), "")
    if not payer:
        payer = tx.fee_payer or next((e.get("sender") for e in tx.events if e.type == "message" and e.get("sender")), "")
    if payer != me:
        return {}
    return {c.denom: c.amount for c in tx.fee if c.amount}


def decode_entry(tx: TxResult, me: str, names: Mapping[str, str] | None = None,
                 denoms: DenomBook | None = None) -> HistoryEntry:
    """A TxResult (from tx search) as the account's history line."""
    book = denoms or DenomBook()
    by_msg = _events_by_msg(tx)
    sentences = []
    involved = False
    for i, m in enumerate(tx.messages):
        ctx = MsgContext(me, names or {}, book, by_msg.get(i, []))
        sentences.append(sentence(m.type_url, m.fields, ctx))
        involved = involved or me in m.json
    change = net_change(tx, me)
    compounded = _compound_sentence(tx, me, names or {}, book, by_msg)
    if compounded:
        sentences = [compounded]
    if not involved:  # someone else's tx paid this account (a refund, a payout): say what arrived
        got = {d: a for d, a in change.items() if a > 0}
        what = humanize(tx.messages[0].type_url) if tx.messages else "a transaction"
        ctx = MsgContext(me, names or {}, book, ())
        sentences = [f"Received {ctx.amounts(got)} (by {what})" if got else f"Involved in {what}"]
    return HistoryEntry(tx.txhash, tx.height, tx.timestamp, tx.ok, tx.code, "" if tx.ok else tx.raw_log,
                        tuple(sentences), change, fee_paid(tx, me), tx.memo,
                        tuple(m.type_url for m in tx.messages))


_CLAIM = "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward"
_DELEGATE = "/cosmos.staking.v1beta1.MsgDelegate"


def _compound_sentence(tx: TxResult, me: str, names: Mapping[str, str], book: DenomBook,
                       by_msg: Mapping[int, list[Event]]) -> str:
    """'Compounded 1.2 AKT of rewards with 3 validators' for a claim + re-stake tx (app.staking.build_compound)."""
    urls = {m.type_url for m in tx.messages}
    if urls != {_CLAIM, _DELEGATE}:
        return ""
    claimed = {m.fields.get("validator_address") for m in tx.messages if m.type_url == _CLAIM}
    staked = [m.fields for m in tx.messages if m.type_url == _DELEGATE]
    if any(f.get("validator_address") not in claimed or f.get("delegator_address") != me for f in staked):
        return ""
    total = sum(int((f.get("amount") or {}).get("amount", 0)) for f in staked)
    who = MsgContext(me, names, book, ()).who(str(staked[0].get("validator_address", ""))) if len(staked) == 1 \
        else f"{len(staked)} validators"
    return f"Compounded {book.format(total, 'uakt')} of rewards with {who}"


class _Stream:
    """One tx-search query read page by page, newest first."""

    def __init__(self, client: ChainClient, query: str, page_size: int) -> None:
        self.client, self.query, self.page_size = client, query, page_size
        self.buffer: list[TxResult] = []
        self.next_page = 1
        self.done = False

    async def head(self) -> TxResult | None:
        if not self.buffer and not self.done:
            page = await search_txs(self.client, self.query, page=self.next_page, limit=self.page_size)
            self.buffer.extend(page.items)
            self.next_page += 1
            self.done = not page.has_more or not page.items
        return self.buffer[0] if self.buffer else None


class HistoryLoader:
    """The account's history, newest first: txs it signed (message.sender) merged with txs that paid it
    (transfer.recipient), each tx once. Call `more(n)` again and again ("load more") until `exhausted`."""

    def __init__(self, client: ChainClient, address: str, *, names: Mapping[str, str] | None = None,
                 denoms: DenomBook | None = None, page_size: int = PAGE_SIZE) -> None:
        validate_address(address)
        self.address = address
        self.names = dict(names or {})
        self.denoms = denoms or DenomBook()
        self._streams = [_Stream(client, f"message.sender='{address}'", page_size),
                         _Stream(client, f"transfer.recipient='{address}'", page_size)]
        self._seen: set[str] = set()
        self.exhausted = False

    async def more(self, count: int = PAGE_SIZE) -> tuple[HistoryEntry, ...]:
        out: list[HistoryEntry] = []
        while len(out) < count:
            heads = [(await s.head(), s) for s in self._streams]
            live = [(tx, s) for tx, s in heads if tx is not None]
            if not live:
                self.exhausted = True
                break
            tx, stream = max(live, key=lambda pair: pair[0].height)
            stream.buffer.pop(0)
            if tx.txhash in self._seen:
                continue
            self._seen.add(tx.txhash)
            out.append(decode_entry(tx, self.address, self.names, self.denoms))
        return tuple(out)


async def load_all(client: ChainClient, address: str, *, names: Mapping[str, str] | None = None,
                   denoms: DenomBook | None = None, cap: int = 10_000) -> tuple[HistoryEntry, ...]:
    """Every history entry up to `cap` (for the CSV export)."""
    loader = HistoryLoader(client, address, names=names, denoms=denoms, page_size=100)
    out: list[HistoryEntry] = []
    while not loader.exhausted and len(out) < cap:
        out.extend(await loader.more(min(500, cap - len(out))))
    return tuple(out)


def _cell(text: str) -> str:
    """Spreadsheet-safe text: a leading = + - @ would run as a formula (CSV injection), so quote it."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(amount: int, denom: str, denoms: DenomBook) -> str:
    return f"{denoms.to_display(amount, denom):f}" if amount else "0"


def _others(amounts: Mapping[str, int], denoms: DenomBook) -> str:
    parts = []
    for denom, amount in sorted(amounts.items()):
        if denom not in (DENOM_AKT, DENOM_ACT):
            parts.append(f"{denoms.symbol(denom)} {'+' if amount > 0 else ''}{denoms.to_display(amount, denom):f}")
    return "; ".join(parts)


def to_csv(entries: tuple[HistoryEntry, ...] | list[HistoryEntry], denoms: DenomBook | None = None) -> str:
    """CSV text, one row per tx. The *_change columns are the net effect on the account in AKT/ACT (the fee
    included, negative = left the account), plain numbers a spreadsheet can add; free text is made formula-safe."""
    book = denoms or DenomBook()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([
            e.time.strftime("%Y-%m-%dT%H:%M:%SZ") if e.time else "", e.height, e.txhash,
            "ok" if e.ok else f"failed (code {e.code})", _cell(e.summary),
            _number(e.change.get(DENOM_AKT, 0), DENOM_AKT, book), _number(e.change.get(DENOM_ACT, 0), DENOM_ACT, book),
            _number(e.fee.get(DENOM_AKT, 0), DENOM_AKT, book), _cell(_others(e.change, book)), _cell(e.memo),
        ])
    return buf.getvalue()


def export_csv(entries: tuple[HistoryEntry, ...] | list[HistoryEntry], path: Path,
               denoms: DenomBook | None = None) -> Path:
    """Write the CSV atomically (a crash never leaves half a file)."""
    atomic_write_text(Path(path), to_csv(entries, denoms))
    return Path(path)
