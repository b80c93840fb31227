"""Mint ACT from AKT and burn it back (BME): quotes at the oracle price, checks before signing, the ledger followed.

Mint: ACT out = floor(AKT in x AKT price / ACT price) minus the mint spread (mint_spread_bps); the chain queues
the request and executes it at the next epoch (every min_epoch_blocks), or cancels (and refunds) it when the
output is under the minimum mint of 10 ACT. ACT is priced at 1 USD (fact sheet §3.5, §6). Burn works the other
way with the settle spread. Prices move between signing and the epoch, so quotes are estimates and the
minimum is checked with a safety margin.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from app.chain import bme as chain_bme
from app.chain import oracle
from app.chain.bme import BmeParams, BmeStatus, LedgerRecord, LedgerStatus
from app.chain.common import Coin
from app.chain.errors import ChainError
from app.chain.pagination import PageRequest
from app.config import DENOM_ACT, DENOM_AKT
from app.tx import msgs
from app.txplan import PlanError, PreparedTx, check_fee_funds
from app.units import format_amount

if TYPE_CHECKING:
    from app.chain.client import ChainClient

MIN_MINT_UACT = 10_000_000  # 10 ACT: smaller mints are cancelled by the chain
ACT_PRICE_USD = Decimal(1)
DEFAULT_MARGIN = Decimal("0.01")  # 1 %: room for the AKT price to fall before the epoch executes the mint
BPS = Decimal(10_000)


@dataclass(frozen=True)
class MintQuote:
    uakt_in: int
    akt_price: Decimal  # USD per AKT used for the quote
    gross_uact: int
    spread_uact: int
    uact_out: int  # what arrives if the price does not move
    min_uact: int  # the chain's minimum mint
    min_uakt: int  # the smallest burn that still clears the minimum with the margin

    @property
    def below_minimum(self) -> bool:
        return self.uact_out < self.min_uact

    @property
    def near_minimum(self) -> bool:
        """Clears the minimum now, but a price drop within the margin before the epoch would cancel it."""
        return not self.below_minimum and self.uakt_in < self.min_uakt


@dataclass(frozen=True)
class BurnQuote:
    uact_in: int
    akt_price: Decimal
    gross_uakt: int
    spread_uakt: int
    uakt_out: int


def _mint_output(uakt: int, price: Decimal, spread_bps: int) -> tuple[int, int]:
    gross = int((Decimal(uakt) * price / ACT_PRICE_USD).to_integral_value(rounding=ROUND_FLOOR))
    spread = int((Decimal(gross) * spread_bps / BPS).to_integral_value(rounding=ROUND_FLOOR))
    return gross, spread


def _net(uakt: int, price: Decimal, spread_bps: int) -> int:
    gross, spread = _mint_output(uakt, price, spread_bps)
    return gross - spread


def uakt_for_uact(uact: int, price: Decimal, spread_bps: int, margin: Decimal = Decimal(0)) -> int:
    """The smallest AKT burn (uakt) whose mint yields at least `uact` even if the price falls by `margin`."""
    if price <= 0:
        raise PlanError("the chain's AKT price is zero; minting is impossible now", field="price")
    worst = price * (1 - margin)
    keep = 1 - Decimal(spread_bps) / BPS
    uakt = int((Decimal(uact) * ACT_PRICE_USD / (worst * keep)).to_integral_value(rounding=ROUND_CEILING))
    # The floors of the gross and of the spread move the answer by a few units either way: settle it exactly.
    while _net(uakt, worst, spread_bps) < uact:
        uakt += 1
    while uakt > 1 and _net(uakt - 1, worst, spread_bps) >= uact:
        uakt -= 1
    return uakt


def quote_mint(uakt: int, price: Decimal, spread_bps: int, *, min_uact: int = MIN_MINT_UACT,
               margin: Decimal = DEFAULT_MARGIN) -> MintQuote:
    gross, spread = _mint_output(uakt, price, spread_bps)
    return MintQuote(uakt, price, gross, spread, gross - spread, min_uact,
                     uakt_for_uact(min_uact, price, spread_bps, margin))


def mint_for_act(uact_needed: int, price: Decimal, spread_bps: int, *, min_uact: int = MIN_MINT_UACT,
                 margin: Decimal = DEFAULT_MARGIN) -> MintQuote:
    """How much AKT to burn to get at least `uact_needed` ACT (the deploy preflight), never below the minimum."""
    uakt = max(uakt_for_uact(uact_needed, price, spread_bps, margin), uakt_for_uact(min_uact, price, spread_bps, margin))
    return quote_mint(uakt, price, spread_bps, min_uact=min_uact, margin=margin)


def quote_burn(uact: int, price: Decimal, settle_spread_bps: int) -> BurnQuote:
    if price <= 0:
        raise PlanError("the chain's AKT price is zero; burning is impossible now", field="price")
    gross = int((Decimal(uact) * ACT_PRICE_USD / price).to_integral_value(rounding=ROUND_FLOOR))
    spread = int((Decimal(gross) * settle_spread_bps / BPS).to_integral_value(rounding=ROUND_FLOOR))
    return BurnQuote(uact, price, gross, spread, gross - spread)


@dataclass(frozen=True)
class BmeState:
    status: BmeStatus
    params: BmeParams
    akt_price: Decimal | None
    price_healthy: bool

    @property
    def min_uact(self) -> int:
        return next((c.amount for c in self.params.min_mint if c.denom == DENOM_ACT), MIN_MINT_UACT)


async def load_state(client: ChainClient) -> BmeState:
    status, params = await asyncio.gather(chain_bme.status(client), chain_bme.params(client))
    try:
        price = await oracle.aggregated_price(client, "akt")
    except ChainError:
        return BmeState(status, params, None, False)
    return BmeState(status, params, price.twap, price.healthy)


def _need_price(state: BmeState) -> Decimal:
    if state.akt_price is None or state.akt_price <= 0:
        raise PlanError("the chain has no AKT price now, so it cannot convert; try again later", field="price")
    if not state.price_healthy:
        raise PlanError("the chain's AKT price is unhealthy (stale or too few sources); the chain halts "
                        "conversions until it recovers", field="price")
    return state.akt_price


def build_mint(owner: str, uakt: int, state: BmeState, *, liquid_uakt: int, reserve_uakt: int,
               to: str = "") -> tuple[PreparedTx, MintQuote]:
    """MsgMintACT, refused before signing when minting is halted or the output is under the minimum."""
    if not state.status.mints_allowed:
        raise PlanError(f"minting ACT is halted by the chain now ({state.status.status.value}, collateral ratio "
                        f"{state.status.collateral_ratio:.4f}); try later", field="status")
    price = _need_price(state)
    if uakt <= 0:
        raise PlanError("the amount of AKT to burn must be more than zero", field="amount")
    check_fee_funds(liquid_uakt, uakt, reserve_uakt)
    quote = quote_mint(uakt, price, state.params.mint_spread_bps, min_uact=state.min_uact)
    if quote.below_minimum:
        raise PlanError(f"{format_amount(uakt, DENOM_AKT)} yields about {format_amount(quote.uact_out, DENOM_ACT)}, "
                        f"under the chain's minimum mint of {format_amount(quote.min_uact, DENOM_ACT)}: the chain "
                        f"would cancel it. Burn at least {format_amount(quote.min_uakt, DENOM_AKT)}", field="amount")
    warnings = ()
    if quote.near_minimum:
        warnings = (f"This is close to the {format_amount(quote.min_uact, DENOM_ACT)} minimum: if the AKT price falls "
                    f"before the next epoch the chain cancels the mint (the AKT comes back, the fee does not). "
                    f"{format_amount(quote.min_uakt, DENOM_AKT)} or more is safe.",)
    notes = (f"Expected: about {format_amount(quote.uact_out, DENOM_ACT)} at ${price:.4f} per AKT, after a "
             f"{state.params.mint_spread_bps / 100:g}% spread ({format_amount(quote.spread_uact, DENOM_ACT)}).",
             f"The chain executes it at the next epoch (every {state.params.min_epoch_blocks} blocks).")
    msg = msgs.msg_mint_act(owner, to or owner, uakt)
    return PreparedTx(f"Mint about {format_amount(quote.uact_out, DENOM_ACT)} from {format_amount(uakt, DENOM_AKT)}",
                      (msg,), spends={DENOM_AKT: uakt}, notes=notes, warnings=warnings), quote


def build_burn(owner: str, uact: int, state: BmeState, *, act_balance: int, liquid_uakt: int, fee_uakt: int,
               to: str = "") -> tuple[PreparedTx, BurnQuote]:
    """MsgBurnACT: ACT back into AKT at the oracle price."""
    if not state.status.refunds_allowed:
        raise PlanError("burning ACT is halted by the chain now (oracle unavailable); try later", field="status")
    price = _need_price(state)
    if uact <= 0:
        raise PlanError("the amount of ACT to burn must be more than zero", field="amount")
    if uact > act_balance:
        raise PlanError(f"you have {format_amount(act_balance, DENOM_ACT)}, not {format_amount(uact, DENOM_ACT)}",
                        field="amount")
    check_fee_funds(liquid_uakt, 0, fee_uakt)
    quote = quote_burn(uact, price, state.params.settle_spread_bps)
    if quote.uakt_out <= 0:
        raise PlanError("this burns too little ACT to yield any AKT", field="amount")
    notes = (f"Expected: about {format_amount(quote.uakt_out, DENOM_AKT)} at ${price:.4f} per AKT.",
             "The chain executes it at the end of a block, at the oracle price of that moment.")
    msg = msgs.msg_burn_act(owner, to or owner, uact)
    return PreparedTx(f"Burn {format_amount(uact, DENOM_ACT)} for about {format_amount(quote.uakt_out, DENOM_AKT)}",
                      (msg,), spends={DENOM_ACT: uact}, notes=notes), quote


@dataclass(frozen=True)
class ConversionResult:
    status: LedgerStatus  # PENDING when the wait ended first
    record: LedgerRecord | None
    message: str

    @property
    def done(self) -> bool:
        return self.status in (LedgerStatus.EXECUTED, LedgerStatus.CANCELED)


def _message(rec: LedgerRecord | None, burned: Coin) -> tuple[LedgerStatus, str]:
    spent = format_amount(burned.amount, burned.denom)
    if rec is None:
        return LedgerStatus.PENDING, f"the request for {spent} is not in the chain's ledger yet"
    if rec.status == LedgerStatus.EXECUTED:
        to = rec.to or "the account"
        if rec.minted and rec.minted.coin.amount:
            got = format_amount(rec.minted.coin.amount, rec.minted.coin.denom)
            return rec.status, f"Done: {spent} burned, {got} minted (before the spread) for {to}."
        return rec.status, f"Done: {spent} burned; the vault paid the AKT to {to}."
    if rec.status == LedgerStatus.CANCELED:
        return rec.status, (f"Cancelled by the chain (the output was under its minimum, or the price moved): the "
                            f"{spent} came back to the account; only the fee was spent.")
    return LedgerStatus.PENDING, f"Waiting for the next epoch to convert {spent}."


async def find_record(client: ChainClient, owner: str, height: int, burned: Coin, to_denom: str) -> LedgerRecord | None:
    """The ledger record a mint/burn tx included at `height` created (source = owner)."""
    page = await chain_bme.ledger(client, source=owner, denom=burned.denom, to_denom=to_denom,
                                  page=PageRequest(limit=200, reverse=True))
    mine = [r for r in page.items if r.height == height and r.owner in ("", owner)]
    return min(mine, key=lambda r: r.sequence) if mine else None


async def follow(client: ChainClient, owner: str, height: int, burned: Coin, *, timeout_s: float = 120.0,
                 poll_s: float = 2.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> ConversionResult:
    """Wait until the conversion requested at `height` is executed or cancelled (or `timeout_s` passes)."""
    to_denom = DENOM_ACT if burned.denom == DENOM_AKT else DENOM_AKT
    deadline = time.monotonic() + timeout_s
    while True:
        rec = await find_record(client, owner, height, burned, to_denom)
        status, text = _message(rec, burned)
        if status != LedgerStatus.PENDING or time.monotonic() >= deadline:
            return ConversionResult(status, rec, text)
        await sleep(poll_s)
