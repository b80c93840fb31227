"""What a deployment costs: price per block -> hour, day, month (ACT = USD, and AKT), and a deposit suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from app.config import DENOM_ACT, DENOM_AKT
from app.sdl.model import Sdl

DEFAULT_BLOCK_TIME_S = Decimal("6.098")  # Console's figure; the services pass the chain's measured block time
DAYS_PER_MONTH = Decimal("30.437")
DEFAULT_MIN_DEPOSIT_UACT = 500_000  # deployment params min_deposits (0.5 ACT) since v2.0.0
DEFAULT_DEPOSIT_DAYS = 7
MICRO = Decimal(1_000_000)


@dataclass(frozen=True)
class Rate:
    """An amount of one base denom per block, and what it makes per hour, day and 30.437-day month."""

    denom: str
    per_block: Decimal
    block_time_s: Decimal

    @property
    def per_hour(self) -> Decimal:
        return self.per_block * 3600 / self.block_time_s

    @property
    def per_day(self) -> Decimal:
        return self.per_hour * 24

    @property
    def per_month(self) -> Decimal:
        return self.per_day * DAYS_PER_MONTH

    def usd(self, per: Decimal, akt_price_usd: Decimal | None) -> Decimal | None:
        """A base-denom amount of this rate in USD (= ACT); None for AKT without a price."""
        factor = _usd_per_unit(self.denom, akt_price_usd)
        return None if factor is None else per * factor


def _usd_per_unit(denom: str, akt_price_usd: Decimal | None) -> Decimal | None:
    if denom == DENOM_ACT or denom.startswith("ibc/"):
        return 1 / MICRO
    if denom == DENOM_AKT:
        return None if akt_price_usd is None else akt_price_usd / MICRO
    return None


@dataclass(frozen=True)
class GroupCost:
    """One deployment group: its rate (all units x replicas) in its price denom."""

    name: str
    rate: Rate


@dataclass(frozen=True)
class CostEstimate:
    """Per-group rates and totals in USD (= ACT) and, given an AKT price, in AKT."""

    groups: tuple[GroupCost, ...]
    block_time_s: Decimal
    akt_price_usd: Decimal | None

    def usd_per_block(self) -> Decimal | None:
        total = Decimal(0)
        for g in self.groups:
            usd = g.rate.usd(g.rate.per_block, self.akt_price_usd)
            if usd is None:
                return None
            total += usd
        return total

    def _scaled(self, factor: Decimal) -> Decimal | None:
        per_block = self.usd_per_block()
        return None if per_block is None else per_block * factor

    @property
    def usd_per_hour(self) -> Decimal | None:
        return self._scaled(3600 / self.block_time_s)

    @property
    def usd_per_day(self) -> Decimal | None:
        return self._scaled(3600 * 24 / self.block_time_s)

    @property
    def usd_per_month(self) -> Decimal | None:
        return self._scaled(3600 * 24 * DAYS_PER_MONTH / self.block_time_s)

    def akt(self, usd: Decimal | None) -> Decimal | None:
        """A USD amount in AKT at the given price."""
        if usd is None or not self.akt_price_usd:
            return None
        return usd / self.akt_price_usd


def estimate_cost(sdl: Sdl, *, block_time_s: Decimal = DEFAULT_BLOCK_TIME_S,
                  akt_price_usd: Decimal | None = None) -> CostEstimate:
    """The placement prices of an SDL as rates. A group priced in two denoms gets one entry per denom."""
    if block_time_s <= 0:
        raise ValueError("block time must be positive")
    groups = []
    for placement in sdl.placements:
        for denom, per_block in placement.price_per_block.items():
            groups.append(GroupCost(placement.name, Rate(denom, per_block, block_time_s)))
    return CostEstimate(tuple(groups), block_time_s, akt_price_usd)


def suggest_deposit_uact(cost: CostEstimate, *, days: Decimal | int = DEFAULT_DEPOSIT_DAYS,
                         min_deposit_uact: int = DEFAULT_MIN_DEPOSIT_UACT) -> int:
    """uact to deposit so the deployment runs `days` days at the placement prices, never below the
    chain minimum (pass the live `min_deposits` uact value). Needs an AKT price for uakt-priced SDLs."""
    per_day = cost.usd_per_day
    if per_day is None:
        raise ValueError("an AKT price is needed to turn uakt prices into an ACT deposit")
    needed = (per_day * Decimal(days) * MICRO).to_integral_value(rounding=ROUND_CEILING)
    return max(int(needed), int(min_deposit_uact))


def format_amount(value: Decimal | None, places: int = 2) -> str:
    """A money amount for people ("431.25"); small amounts keep significant digits ("0.0059")."""
    if value is None:
        return "?"
    if value != 0 and abs(value) < Decimal(1).scaleb(-places):
        return f"{value:.2g}" if abs(value) >= Decimal("1e-9") else f"{value:.2e}"
    return f"{value:,.{places}f}"
