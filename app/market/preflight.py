"""Every check before a deployment is signed: SDL chain rules, minimum deposit, ACT for the deposit, AKT for fees.

The result is a typed PreflightReport; nothing is signed here. When ACT is short it carries the exact
MsgMintACT (app.market.funding) that would cover it, and whether the AKT balance pays for that too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from app.chain import bank
from app.chain import deployment as chain_deployment
from app.chain.errors import ChainError
from app.config import DENOM_ACT, DENOM_AKT
from app.market.funding import MintPlan, akt_price, plan_mint
from app.market.grants import DepositGrant, deposit_grants, granted_total
from app.market.signing import TxSender
from app.sdl.chain_rules import check_chain_rules
from app.sdl.cost import CostEstimate, estimate_cost, suggest_deposit_uact
from app.sdl.errors import SdlError
from app.sdl.model import Sdl
from app.tx.broadcast import AccountMissing, BroadcastConfig, fee_for
from app.units import format_amount

FALLBACK_DEPLOY_GAS = 300_000  # when simulation cannot run (e.g. the ACT is not there yet)
FALLBACK_MINT_GAS = 150_000
MICRO = Decimal(1_000_000)


@dataclass(frozen=True)
class Check:
    """One preflight check: a short name, pass/fail, and a sentence."""

    name: str
    ok: bool
    message: str


@dataclass
class PreflightReport:
    """What deploying this SDL takes and whether the account has it. `ok` means: safe to sign now."""

    owner: str
    dseq: int
    deposit_uact: int
    min_deposit_uact: int
    sources: tuple[str, ...]
    balance_uact: int
    balance_uakt: int
    granted_uact: int
    grants: list[DepositGrant]
    fee_uakt: int
    gas_limit: int
    fee_simulated: bool  # False: the fee is a fallback guess because the node could not simulate yet
    cost: CostEstimate
    suggested_deposit_uact: int
    sdl_errors: list[SdlError] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    mint: MintPlan | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def problems(self) -> list[str]:
        return [c.message for c in self.checks if not c.ok]

    @property
    def only_act_missing(self) -> bool:
        """Every failing check is about ACT, and a mint can fix it."""
        failing = [c for c in self.checks if not c.ok]
        return bool(failing) and all(c.name == "act" for c in failing) and self.mint is not None \
            and self.mint.msg is not None and not self.mint.blocked

    @property
    def deposit_lasts_s(self) -> Decimal | None:
        """How long the deposit runs at the SDL's maximum prices (bids are usually lower)."""
        per_block = self.cost.usd_per_block()
        if not per_block:
            return None
        return Decimal(self.deposit_uact) / MICRO / per_block * self.cost.block_time_s

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "owner": self.owner, "dseq": self.dseq, "deposit_uact": self.deposit_uact,
            "min_deposit_uact": self.min_deposit_uact, "sources": list(self.sources),
            "balance_uact": self.balance_uact, "balance_uakt": self.balance_uakt, "granted_uact": self.granted_uact,
            "fee_uakt": self.fee_uakt, "gas_limit": self.gas_limit, "fee_simulated": self.fee_simulated,
            "max_cost_act_per_month": str(self.cost.usd_per_month) if self.cost.usd_per_month is not None else None,
            "suggested_deposit_uact": self.suggested_deposit_uact,
            "deposit_lasts_s": str(int(self.deposit_lasts_s)) if self.deposit_lasts_s is not None else None,
            "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in self.checks],
            "sdl_errors": [e.to_dict() for e in self.sdl_errors],
            "mint": None if self.mint is None else {
                "uakt_to_burn": self.mint.uakt_to_burn, "expected_uact": self.mint.expected_uact,
                "blocked": self.mint.blocked, "text": self.mint.words()},
            "warnings": list(self.warnings),
        }


def choose_sources(deposit: int, balance: int, granted: int, wanted: str = "auto") -> tuple[str, ...]:
    """Deposit sources in the order the chain tries them: a grant that covers it, else balance (grant first
    when a partial grant plus the balance cover it). `wanted` forces "balance" or "grant"."""
    if wanted in ("balance", "grant"):
        return (wanted,)
    if granted >= deposit > 0:
        return ("grant",)
    if granted > 0:
        return ("grant", "balance")
    return ("balance",)


def _available(sources: tuple[str, ...], balance: int, granted: int) -> int:
    return (balance if "balance" in sources else 0) + (granted if "grant" in sources else 0)


async def _fee(sender: TxSender | None, msg_list: list[Any], fallback_gas: int) -> tuple[int, int, bool]:
    """(fee uakt, gas limit, simulated?) for messages; a fallback guess when the node cannot simulate them."""
    if sender is not None:
        try:
            est = await sender.estimate(msg_list)
            return est.amount, est.gas_limit, True
        except AccountMissing:
            raise
        except ChainError:
            pass
    gas_limit, amount, _price = fee_for(fallback_gas, BroadcastConfig())
    return amount, gas_limit, False


def _act(amount: int) -> str:
    return format_amount(amount, DENOM_ACT)


def _akt(amount: int) -> str:
    return format_amount(amount, DENOM_AKT)


async def preflight(chain: Any, owner: str, sdl: Sdl, *, dseq: int, deposit_uact: int | None = None,
                    source: str = "auto", sender: TxSender | None = None, block_time_s: Decimal,
                    build_msg: Any) -> PreflightReport:
    """Run every check. `build_msg(deposit_uact, sources)` returns the MsgCreateDeployment to simulate."""
    price = await akt_price(chain)
    sdl_errors = check_chain_rules(sdl, akt_price_usd=price or Decimal(1))
    params = await chain_deployment.params(chain)
    min_deposit = params.min_deposit(DENOM_ACT)
    balances = {c.denom: c.amount for c in await bank.balances(chain, owner)}
    balance_uact, balance_uakt = balances.get(DENOM_ACT, 0), balances.get(DENOM_AKT, 0)
    grants = await deposit_grants(chain, owner)
    granted = granted_total(grants, DENOM_ACT)
    cost = estimate_cost(sdl, block_time_s=block_time_s, akt_price_usd=price)
    try:
        suggested = suggest_deposit_uact(cost, min_deposit_uact=min_deposit)
    except ValueError:
        suggested = min_deposit
    deposit = int(deposit_uact) if deposit_uact is not None else max(min_deposit, 1)
    sources = choose_sources(deposit, balance_uact, granted, source)
    report = PreflightReport(owner, dseq, deposit, min_deposit, sources, balance_uact, balance_uakt, granted, grants,
                             0, 0, False, cost, suggested, sdl_errors)
    checks = report.checks
    if sdl_errors:
        checks.append(Check("sdl", False, f"the chain would refuse this SDL: {sdl_errors[0].message}"
                                          + (f" (and {len(sdl_errors) - 1} more)" if len(sdl_errors) > 1 else "")))
    else:
        checks.append(Check("sdl", True, "the SDL follows the chain's rules (ACT pricing, limits)"))
    if deposit < min_deposit:
        checks.append(Check("deposit", False, f"the deposit {_act(deposit)} is below the chain's minimum of "
                                              f"{_act(min_deposit)}"))
    else:
        checks.append(Check("deposit", True, f"deposit {_act(deposit)} (chain minimum {_act(min_deposit)})"))
    available = _available(sources, balance_uact, granted)
    shortfall = max(0, deposit - available)
    if shortfall:
        where = "balance" if sources == ("balance",) else "balance and deposit grants" if len(sources) > 1 else \
            "deposit grants"
        checks.append(Check("act", False, f"{_act(available)} in the {where}, {_act(deposit)} needed: "
                                          f"{_act(shortfall)} missing"))
    else:
        via = " (paid by a deposit grant)" if sources[0] == "grant" else ""
        checks.append(Check("act", True, f"{_act(available)} available for the {_act(deposit)} deposit{via}"))
    await _fees_and_mint(chain, report, sender, build_msg, shortfall)
    if report.deposit_lasts_s is not None and report.deposit_lasts_s < 24 * 3600:
        hours = report.deposit_lasts_s / 3600
        report.warnings.append(f"at the SDL's maximum price the deposit lasts about {hours:.1f} hours; bids are "
                               f"usually cheaper. A week at that price needs {_act(suggested)}; add funds later with "
                               "`deposit`.")
    return report


async def _fees_and_mint(chain: Any, report: PreflightReport, sender: TxSender | None, build_msg: Any,
                         shortfall: int) -> None:
    """The AKT check: the deploy fee, plus (when ACT is short) the AKT burned by the mint and its fee."""
    try:
        need_uakt = await _fees_needed(chain, report, sender, build_msg, shortfall)
    except AccountMissing:
        report.checks.append(Check("akt", False, f"the account {report.owner} does not exist on chain yet: receive "
                                                 "some AKT first (fees are paid in AKT)"))
        return
    if report.balance_uakt < need_uakt:
        what = "the fee" if not shortfall else "minting the missing ACT and the fees"
        report.checks.append(Check("akt", False, f"{_akt(report.balance_uakt)} available, {_akt(need_uakt)} needed "
                                                 f"for {what}"))
    else:
        guess = "" if report.fee_simulated or shortfall else " (estimated)"
        report.checks.append(Check("akt", True, f"{_akt(report.balance_uakt)} available for the fee of about "
                                                f"{_akt(report.fee_uakt)}{guess}"))


async def _fees_needed(chain: Any, report: PreflightReport, sender: TxSender | None, build_msg: Any,
                       shortfall: int) -> int:
    # With ACT missing the node cannot simulate the deployment (the deposit would fail): use a fallback guess.
    simulate_with = sender if not shortfall else None
    fee, gas, simulated = await _fee(simulate_with, [build_msg(report.deposit_uact, report.sources)],
                                     FALLBACK_DEPLOY_GAS)
    report.fee_uakt, report.gas_limit, report.fee_simulated = fee, gas, simulated
    need_uakt = fee
    if shortfall:
        report.mint = await plan_mint(chain, report.owner, shortfall)
        if report.mint.msg is not None:
            mint_fee, _gas, _sim = await _fee(sender, [report.mint.msg], FALLBACK_MINT_GAS)
            need_uakt += report.mint.uakt_to_burn + mint_fee
            if report.balance_uakt < need_uakt:
                report.mint = _blocked(report.mint, f"the mint needs {_akt(report.mint.uakt_to_burn)} plus fees and "
                                                    f"the account has {_akt(report.balance_uakt)}")
    return need_uakt


def _blocked(plan: MintPlan, reason: str) -> MintPlan:
    return replace(plan, blocked=reason, msg=None)
