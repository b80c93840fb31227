"""ACT for a deposit: how much is missing, and the exact MsgMintACT that covers it (min mint, spread, mints_allowed).

The quote is app.bme's (the ACT service): BME mints at the oracle price minus the mint spread at the
next epoch and cancels an output below the minimum mint, so the burn covers the larger of the
shortfall and the minimum, with app.bme's margin for the price moving before the epoch.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app import bme
from app.chain import oracle
from app.chain.client import ChainClient
from app.chain.errors import ChainError
from app.tx import msgs
from app.txplan import PlanError

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


async def akt_price(chain: ChainClient) -> Decimal | None:
    """The oracle's AKT price in USD (TWAP), None when the node has none."""
    try:
        price = await oracle.aggregated_price(chain, "akt")
    except ChainError:
        return None
    return price.twap if price.twap > 0 else None


async def plan_mint(chain: ChainClient, owner: str, shortfall_uact: int) -> MintPlan:
    """The MsgMintACT (owner -> owner) that covers `shortfall_uact`, or why minting is blocked."""
    try:
        state = await bme.load_state(chain)
    except ChainError as exc:
        return MintPlan(shortfall_uact, 0, 0, None, 0, bme.MIN_MINT_UACT, False,
                        f"the BME module could not be read ({exc})", None)
    spread = state.params.mint_spread_bps

    def blocked(reason: str) -> MintPlan:
        return MintPlan(shortfall_uact, 0, 0, state.akt_price, spread, state.min_uact, state.status.mints_allowed,
                        reason, None)

    if not state.status.mints_allowed:
        return blocked(f"the chain halted minting ({state.status.status.value})")
    if state.akt_price is None or not state.price_healthy:
        return blocked("the oracle has no healthy AKT price")
    try:
        quote = bme.mint_for_act(int(shortfall_uact), state.akt_price, spread, min_uact=state.min_uact)
    except PlanError as exc:
        return blocked(str(exc))
    return MintPlan(shortfall_uact, quote.uakt_in, quote.uact_out, state.akt_price, spread, state.min_uact, True, "",
                    msgs.msg_mint_act(owner, owner, quote.uakt_in))
