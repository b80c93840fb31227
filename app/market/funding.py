"""ACT for a deposit: how much is missing, and the exact MsgMintACT that covers it (min mint, spread, mints_allowed).

BME mints at the oracle price minus the mint spread, at the next epoch; an output below the minimum
mint is cancelled (refunded). The plan burns enough AKT for the larger of the shortfall and the
minimum mint, with a small margin for the price moving before the epoch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from app.chain import bme as chain_bme
from app.chain import oracle
from app.chain.client import ChainClient
from app.chain.errors import ChainError
from app.config import DENOM_ACT
from app.tx import msgs

DEFAULT_MIN_MINT_UACT = 10_000_000  # 10 ACT: the chain default (support#445, console#2972)
PRICE_MARGIN = Decimal("0.02")  # the AKT price may drift until the epoch executes the mint
MICRO = Decimal(1_000_000)


@dataclass(frozen=True)
class MintPlan:
    """What minting would take. `msg` is None when minting is not possible now (`blocked` says why)."""

    shortfall_uact: int  # ACT missing for what was asked
    uakt_to_burn: int
    expected_uact: int  # at today's price, after the spread
    akt_price_usd: Decimal | None
    spread_bps: int
    min_mint_uact: int
    mints_allowed: bool
    blocked: str  # "" when the mint can be sent
    msg: msgs.bme.MsgMintACT | None

    def words(self) -> str:
        if self.blocked:
            return f"Minting ACT is not possible now: {self.blocked}."
        price = f" at {self.akt_price_usd:.4f} USD/AKT" if self.akt_price_usd else ""
        return (f"Mint about {Decimal(self.expected_uact) / MICRO:,.2f} ACT by burning "
                f"{Decimal(self.uakt_to_burn) / MICRO:,.6f} AKT{price} (MsgMintACT, executed at the next BME epoch, "
                f"about a minute).")


def uakt_for_uact(uact: int, price_usd: Decimal, spread_bps: int, *, margin: Decimal = PRICE_MARGIN) -> int:
    """uakt to burn so that the mint gives at least `uact` after the spread, with a price margin."""
    if price_usd <= 0:
        raise ValueError("the AKT price must be positive")
    net = price_usd * (1 - Decimal(spread_bps) / 10_000) * (1 - margin)
    return int(math.ceil(Decimal(uact) / net))


def expected_mint(uakt: int, price_usd: Decimal, spread_bps: int) -> int:
    minted = int(Decimal(uakt) * price_usd)
    return minted - minted * spread_bps // 10_000


def min_mint_of(params: chain_bme.BmeParams) -> int:
    return next((c.amount for c in params.min_mint if c.denom == DENOM_ACT), DEFAULT_MIN_MINT_UACT)


async def akt_price(chain: ChainClient) -> Decimal | None:
    """The oracle's AKT price in USD (the lower of TWAP and median: a conservative figure), None if unknown."""
    try:
        price = await oracle.aggregated_price(chain, "akt")
    except ChainError:
        return None
    candidates = [p for p in (price.twap, price.median_price) if p > 0]
    return min(candidates) if candidates else None


async def plan_mint(chain: ChainClient, owner: str, shortfall_uact: int) -> MintPlan:
    """The MsgMintACT (owner -> owner) that covers `shortfall_uact`, or why minting is blocked."""
    try:
        status = await chain_bme.status(chain)
        params = await chain_bme.params(chain)
    except ChainError as exc:
        return MintPlan(shortfall_uact, 0, 0, None, 0, DEFAULT_MIN_MINT_UACT, False,
                        f"the BME module could not be read ({exc})", None)
    price = await akt_price(chain)
    min_mint = min_mint_of(params)
    spread = params.mint_spread_bps
    blocked = ""
    if not status.mints_allowed:
        blocked = f"the BME does not allow mints right now (status {status.status.value})"
    elif price is None:
        blocked = "the oracle has no AKT price"
    if blocked or price is None:
        return MintPlan(shortfall_uact, 0, 0, price, spread, min_mint, status.mints_allowed, blocked, None)
    target = max(int(shortfall_uact), min_mint)
    uakt = uakt_for_uact(target, price, spread)
    # the minimum applies to the output before the spread: make sure a price dip cannot cancel it
    uakt = max(uakt, int(math.ceil(Decimal(min_mint) / (price * (1 - PRICE_MARGIN)))))
    return MintPlan(shortfall_uact, uakt, expected_mint(uakt, price, spread), price, spread, min_mint, True, "",
                    msgs.msg_mint_act(owner, owner, uakt))
