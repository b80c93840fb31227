"""Burn-mint equilibrium (akash.bme.v1): params, mint status, vault state and the mint/burn ledger."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain.common import Coin, Page, coin_or_zero, coins
from app.chain.jsonread import ChainEnum, Obj
from app.chain.pagination import PageRequest, fetch_page

if TYPE_CHECKING:
    from app.chain.client import ChainClient

PARAMS = "/akash/bme/v1/params"
STATUS = "/akash/bme/v1/status"
VAULT = "/akash/bme/v1/vault"
LEDGER = "/akash/bme/v1/ledger"


class MintStatus(ChainEnum):
    UNSPECIFIED = "mint_status_unspecified"
    HEALTHY = "mint_status_healthy"
    WARNING = "mint_status_warning"
    HALT_CR = "mint_status_halt_cr"
    HALT_ORACLE = "mint_status_halt_oracle"


class LedgerStatus(ChainEnum):
    INVALID = "ledger_record_status_invalid"
    PENDING = "ledger_record_status_pending"
    EXECUTED = "ledger_record_status_executed"
    CANCELED = "ledger_record_status_canceled"


MINT_STATUS_NUMBERS = dict(enumerate(MintStatus))
LEDGER_STATUS_NUMBERS = dict(enumerate(LedgerStatus))


@dataclass(frozen=True)
class BmeParams:
    circuit_breaker_warn_threshold: int  # basis points x 100 (9500 = 0.95)
    circuit_breaker_halt_threshold: int
    min_epoch_blocks: int
    epoch_blocks_backoff_percent: int
    mint_spread_bps: int
    settle_spread_bps: int
    max_endblocker_records: int
    min_mint: tuple[Coin, ...]  # when the chain reports one (not in every version)

    @classmethod
    def parse(cls, o: Obj) -> BmeParams:
        raw_min = o.raw("min_mint")
        min_mint = coins(o, "min_mint") if isinstance(raw_min, list) else (Coin.parse(o.need("min_mint")),) if raw_min else ()
        return cls(
            o.integer("circuit_breaker_warn_threshold"),
            o.integer("circuit_breaker_halt_threshold"),
            o.integer("min_epoch_blocks"),
            o.integer("epoch_blocks_backoff_percent"),
            o.integer("mint_spread_bps"),
            o.integer("settle_spread_bps"),
            o.integer("max_endblocker_records"),
            min_mint,
        )


@dataclass(frozen=True)
class BmeStatus:
    status: MintStatus
    collateral_ratio: Decimal
    warn_threshold: Decimal
    halt_threshold: Decimal
    mints_allowed: bool
    refunds_allowed: bool

    @classmethod
    def parse(cls, o: Obj) -> BmeStatus:
        return cls(
            o.enum("status", MintStatus, MINT_STATUS_NUMBERS),
            o.decimal("collateral_ratio"),
            o.decimal("warn_threshold"),
            o.decimal("halt_threshold"),
            o.flag("mints_allowed"),
            o.flag("refunds_allowed"),
        )


@dataclass(frozen=True)
class VaultState:
    balances: tuple[Coin, ...]
    total_burned: tuple[Coin, ...]
    total_minted: tuple[Coin, ...]
    remint_credits: tuple[Coin, ...]

    @classmethod
    def parse(cls, o: Obj) -> VaultState:
        return cls(coins(o, "balances"), coins(o, "total_burned"), coins(o, "total_minted"), coins(o, "remint_credits"))


@dataclass(frozen=True)
class CoinPrice:
    coin: Coin
    price: Decimal  # oracle price at the burn/mint

    @classmethod
    def parse(cls, o: Obj | None) -> CoinPrice | None:
        if o is None:
            return None
        return cls(coin_or_zero(o, "coin"), o.decimal("price"))


@dataclass(frozen=True)
class LedgerRecord:
    """A mint (uakt -> uact) or burn request: pending until the next epoch, then executed or canceled."""

    denom: str
    to_denom: str
    source: str
    height: int
    sequence: int
    status: LedgerStatus
    owner: str
    to: str
    coins_to_burn: Coin | None  # pending records
    burned: CoinPrice | None  # executed records
    minted: CoinPrice | None

    @classmethod
    def parse(cls, o: Obj) -> LedgerRecord:
        rid = o.child("id") or Obj({}, o.where, o.path + ".id")
        pending, executed = o.child("pending_record"), o.child("executed_record")
        owner = to = ""
        to_burn = burned = minted = None
        if pending is not None:
            owner, to = pending.text("owner"), pending.text("to")
            c = pending.child("coins_to_burn")
            to_burn = Coin.parse(c) if c is not None else None
        if executed is not None:
            owner, to = executed.text("burned_from"), executed.text("minted_to")
            burned, minted = CoinPrice.parse(executed.child("burned")), CoinPrice.parse(executed.child("minted"))
        return cls(
            rid.text("denom"), rid.text("to_denom"), rid.text("source"), rid.integer("height"), rid.integer("sequence"),
            o.enum("status", LedgerStatus, LEDGER_STATUS_NUMBERS), owner, to, to_burn, burned, minted,
        )  # fmt: skip


async def params(client: ChainClient) -> BmeParams:
    return BmeParams.parse(Obj(await client.get(PARAMS), PARAMS).need("params"))


async def status(client: ChainClient) -> BmeStatus:
    return BmeStatus.parse(Obj(await client.get(STATUS), STATUS))


async def vault(client: ChainClient) -> VaultState:
    return VaultState.parse(Obj(await client.get(VAULT), VAULT).need("vault_state"))


async def ledger(
    client: ChainClient,
    *,
    source: str = "",
    denom: str = "",
    to_denom: str = "",
    status_filter: LedgerStatus | None = None,
    page: PageRequest = PageRequest(reverse=True),
) -> Page[LedgerRecord]:
    params = {
        "filters.source": source or None,
        "filters.denom": denom or None,
        "filters.to_denom": to_denom or None,
        "filters.status": status_filter.value if status_filter else None,
    }
    return await fetch_page(client, LEDGER, "records", LedgerRecord.parse, params=params, page=page)
