"""x/mint: inflation that follows the bonded ratio, block provisions paid to the fee collector (then distribution)."""

from __future__ import annotations

from typing import Any

from app.config import DENOM_AKT
from app.localnet import decmath as dm
from app.localnet.module import Ctx, Module, Route
from app.localnet.rest import Query, dec

META = "mint.meta"
PARAMS = {
    "mint_denom": DENOM_AKT,
    "inflation_rate_change": "0.130000000000000000",
    "inflation_max": "0.200000000000000000",
    "inflation_min": "0.070000000000000000",
    "goal_bonded": "0.670000000000000000",
    "blocks_per_year": "5256000",
}


class MintModule(Module):
    name = "mint"
    order = 25

    def minter(self, kv: Any) -> dict[str, str]:
        return kv.get(META, "minter") or {"inflation": "0.130000000000000000", "annual_provisions": "0"}

    def genesis(self, ctx: Ctx, spec: Any) -> None:
        ctx.kv.set(META, "minter", {"inflation": "0.130000000000000000", "annual_provisions": "0"})

    def begin_block(self, ctx: Ctx) -> None:
        """cosmos-sdk x/mint BeginBlocker: NextInflationRate, NextAnnualProvisions, BlockProvision."""
        bank = ctx.module("bank")
        supply = bank.supply(ctx.kv, DENOM_AKT)
        if supply == 0:
            return
        bonded = ctx.module("staking").bonded_tokens(ctx.kv)
        ratio = dm.quo(bonded, supply)
        m = self.minter(ctx.kv)
        change_per_year = dm.mul(dm.sub(1, dm.quo(ratio, PARAMS["goal_bonded"])), PARAMS["inflation_rate_change"])
        inflation = dm.add(m["inflation"], dm.quo(change_per_year, PARAMS["blocks_per_year"]))
        inflation = min(max(inflation, dm.D(PARAMS["inflation_min"])), dm.D(PARAMS["inflation_max"]))
        annual = dm.mul(inflation, supply)
        provision = dm.trunc(dm.quo(annual, PARAMS["blocks_per_year"]))
        ctx.kv.set(META, "minter", {"inflation": dm.text(inflation), "annual_provisions": dm.text(annual)})
        if provision:
            bank.mint(ctx, "mint", {DENOM_AKT: provision})
            bank.send_from_module(ctx, "mint", ctx.module("auth").module_account_address("fee_collector"),
                                  {DENOM_AKT: provision})
        ctx.emit("mint", ("bonded_ratio", dm.text(ratio)), ("inflation", dm.text(inflation)),
                 ("annual_provisions", dm.text(annual)), ("amount", str(provision)))

    def routes(self) -> list[Route]:
        p = "/cosmos/mint/v1beta1"
        return [
            Route("GET", f"{p}/params", lambda q: {"params": dict(PARAMS)}),
            Route("GET", f"{p}/inflation", self.q_inflation),
            Route("GET", f"{p}/annual_provisions", self.q_annual),
        ]

    def q_inflation(self, q: Query) -> dict:
        return {"inflation": dec(self.minter(self.chain.root)["inflation"])}

    def q_annual(self, q: Query) -> dict:
        return {"annual_provisions": dec(self.minter(self.chain.root)["annual_provisions"])}


MODULE = MintModule
