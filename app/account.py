"""The Wallet tab's service: balances with USD values, and sending AKT/USDC with a memo (safely)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain import bank, oracle
from app.chain.errors import ChainError
from app.config import DENOM_ACT, DENOM_AKT, USDC_MAINNET, USDC_SANDBOX
from app.denoms import DenomBook
from app.memo import MAX_MEMO_CHARS, memo_warnings
from app.tx import msgs
from app.txplan import PlanError, PreparedTx, check_fee_funds
from app.wallet.address import AddressError, validate_address

if TYPE_CHECKING:
    from app.chain.client import ChainClient
    from app.wallet.addressbook import AddressBook

log = logging.getLogger(__name__)
USD_PEGGED = {DENOM_ACT, USDC_MAINNET, USDC_SANDBOX}  # ACT is priced 1:1 to USD by the chain (fact sheet §6)


class SendRefused(PlanError):
    """A send that cannot be made (ACT, a bad address or amount, not enough funds)."""


@dataclass(frozen=True)
class TokenBalance:
    denom: str
    amount: int  # base units
    symbol: str
    exponent: int
    name: str
    usd_value: Decimal | None  # None when no price is known for it
    transferable: bool  # False for ACT (send disabled on chain)

    @property
    def display(self) -> Decimal:
        return Decimal(self.amount).scaleb(-self.exponent)


@dataclass(frozen=True)
class WalletOverview:
    address: str
    balances: tuple[TokenBalance, ...]  # AKT, ACT, USDC first (even at zero), then the others
    akt_price_usd: Decimal | None  # the chain oracle's AKT price (TWAP)
    price_note: str  # why there is no price, or that it is unhealthy; "" when fine
    denoms: DenomBook

    def amount_of(self, denom: str) -> int:
        return next((b.amount for b in self.balances if b.denom == denom), 0)

    @property
    def total_usd(self) -> Decimal:
        return sum((b.usd_value for b in self.balances if b.usd_value is not None), Decimal(0))

    def as_dict(self) -> dict[str, int]:
        return {b.denom: b.amount for b in self.balances}


async def akt_price(client: ChainClient) -> tuple[Decimal | None, str]:
    """(USD per AKT, note) from /akash/oracle/v2/aggregated_price/akt; (None, why) when unavailable."""
    try:
        price = await oracle.aggregated_price(client, "akt")
    except ChainError as exc:
        log.info("no oracle price: %s", exc)
        return None, "the node gives no AKT price (oracle v2 is missing or unreachable)"
    if price.twap <= 0:
        return None, "the chain's AKT price is zero"
    return price.twap, "" if price.healthy else "the chain's AKT price is marked unhealthy (stale or too few sources)"


async def load_overview(client: ChainClient, address: str, usdc_denom: str = USDC_MAINNET) -> WalletOverview:
    """Balances of every denom (display units from denoms_metadata) with USD values from the chain's oracle."""
    validate_address(address)
    coins, metadata, (price, note) = await asyncio.gather(
        bank.balances(client, address), _metadata(client), akt_price(client))
    book = DenomBook.from_metadata(metadata)
    by_denom = {c.denom: c.amount for c in coins}
    order = [DENOM_AKT, DENOM_ACT, usdc_denom] + sorted(d for d in by_denom if d not in (DENOM_AKT, DENOM_ACT, usdc_denom))
    out = []
    for denom in order:
        info = book.info(denom)
        amount = by_denom.get(denom, 0)
        out.append(TokenBalance(denom, amount, info.symbol, info.exponent, info.name,
                                _usd(denom, amount, info.exponent, price), denom != DENOM_ACT))
    return WalletOverview(address, tuple(out), price, note, book)


async def _metadata(client: ChainClient) -> tuple[object, ...]:
    try:
        return (await bank.denoms_metadata(client)).items
    except ChainError as exc:  # display units fall back to the built-in table
        log.info("no denoms metadata: %s", exc)
        return ()


def _usd(denom: str, amount: int, exponent: int, akt_usd: Decimal | None) -> Decimal | None:
    value = Decimal(amount).scaleb(-exponent)
    if denom == DENOM_AKT:
        return None if akt_usd is None else value * akt_usd
    if denom in USD_PEGGED:
        return value
    return None


def refuse_untransferable(denom: str) -> None:
    """ACT cannot be sent (the chain sets send_enabled=false for uact): say so before anything else."""
    if denom == DENOM_ACT:
        raise SendRefused("ACT is not transferable: the chain disables sending it. Spend it on deployments, "
                          "or burn it back into AKT (Mint/Burn ACT) and send AKT", field="denom")


def resolve_recipient(text: str, book: AddressBook | None = None) -> tuple[str, str]:
    """(address, contact name or "") from an address or an address-book name; SendRefused otherwise."""
    value = (text or "").strip()
    if not value:
        raise SendRefused("enter the recipient's address (akash1...) or a contact name", field="recipient")
    if value.lower().startswith("akash1"):
        try:
            validate_address(value)
        except AddressError as exc:
            raise SendRefused(f"recipient: {exc}", field="recipient") from None
        contact = book.find_by_address(value) if book is not None else None
        return value, contact.name if contact else ""
    if book is not None:
        try:
            contact = book.get(value)
        except ValueError:
            contact = None
        if contact is not None:
            return contact.address, contact.name
    raise SendRefused(f"{value!r} is neither an akash1... address nor a contact in the address book",
                      field="recipient")


def build_send(sender: str, recipient: str, amount: int, denom: str, *, balances: Mapping[str, int],
               reserve_uakt: int, memo: str = "", recipient_name: str = "", denoms: DenomBook | None = None,
               ) -> PreparedTx:
    """MsgSend of `amount` base units; refuses ACT, self-sends of nothing, too-long memos, and leaving
    less AKT than the fee reserve. Memo warnings (a seed phrase or a key pasted by mistake) are attached."""
    book = denoms or DenomBook()
    refuse_untransferable(denom)
    try:
        validate_address(sender)
        validate_address(recipient)
    except AddressError as exc:
        raise SendRefused(f"recipient: {exc}", field="recipient") from None
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise SendRefused("the amount must be more than zero", field="amount")
    if len(memo) > MAX_MEMO_CHARS:
        raise SendRefused(f"the memo has {len(memo)} characters; the chain accepts at most {MAX_MEMO_CHARS}",
                          field="memo")
    have = balances.get(denom, 0)
    if amount > have:
        raise SendRefused(f"you have {book.format(have, denom)}, not {book.format(amount, denom)}", field="amount")
    check_fee_funds(balances.get(DENOM_AKT, 0), amount if denom == DENOM_AKT else 0, reserve_uakt)
    warnings = memo_warnings(memo)
    if recipient == sender:
        warnings = (*warnings, "You are sending to your own address: only the fee is spent.")
    names = {recipient: recipient_name} if recipient_name else {}
    title = f"Send {book.format(amount, denom)} to {recipient_name or recipient}"
    spends = {} if recipient == sender else {denom: amount}
    return PreparedTx(title, (msgs.msg_send(sender, recipient, [(denom, amount)]),), memo, spends,
                      (), warnings, names)
