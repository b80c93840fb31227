"""Create a deployment from SDL: dseq, GroupSpecs, hash, deposit (balance or grant), after the preflight.

plan_deployment() parses the SDL and runs the preflight (nothing signed). create_deployment() mints
the missing ACT when asked (and the report says a mint fixes it), writes the local record BEFORE the
transaction (so a crash never loses the SDL of a deployment that exists on chain), signs through the
TxSender, and marks the record active with the height it was created at.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.chain import bank
from app.chain import bme as chain_bme
from app.chain.errors import ChainError, TxRejected
from app.config import DENOM_ACT
from app.market.context import MarketContext
from app.market.errors import Cancelled, MarketError, PreflightFailed
from app.market.funding import MintPlan
from app.market.preflight import PreflightReport, preflight
from app.market.records import ACTIVE, CLOSED, DeploymentRecord, ManifestVersion, now_iso
from app.market.signing import TxSender
from app.sdl.model import Sdl, parse_sdl
from app.tx import msgs
from app.tx.describe import DescribeContext

log = logging.getLogger(__name__)
Progress = Callable[[str], None]
MINT_TIMEOUT_S = 240.0


class MintFailed(MarketError):
    """The ACT mint did not complete (cancelled by the BME, or not executed in time)."""

    hint = "Check the AKT price and the minimum mint, then try again (nothing was deployed)."


@dataclass
class DeploymentPlan:
    """A parsed SDL, its dseq and the preflight report: everything to show before signing."""

    sdl: Sdl
    name: str
    dseq: int
    report: PreflightReport

    @property
    def msg(self) -> msgs.dmsg.MsgCreateDeployment:
        return build_create_msg(self.report.owner, self.dseq, self.sdl, self.report.deposit_uact, self.report.sources)

    @property
    def version_hex(self) -> str:
        return self.sdl.version().hex()


def build_create_msg(owner: str, dseq: int, sdl: Sdl, deposit_uact: int,
                     sources: tuple[str, ...]) -> msgs.dmsg.MsgCreateDeployment:
    return msgs.msg_create_deployment(owner, dseq, sdl.groups(), sdl.version(), deposit_uact, DENOM_ACT, sources,
                                      reclamation_min_window=sdl.reclamation_min_window)


def default_name(sdl: Sdl) -> str:
    """"web (nginx:1.27)" for a one-service SDL, "web + db" otherwise."""
    services = list(sdl.services.values())
    if len(services) == 1:
        return f"{services[0].name} ({services[0].image})"
    return " + ".join(s.name for s in services[:4]) + (" + …" if len(services) > 4 else "")


async def next_dseq(ctx: MarketContext) -> int:
    """The current height (as the CLI does), bumped past any dseq this owner already used here."""
    tip = await ctx.clock.tip()
    used = [r.dseq for r in ctx.records.of_owner(ctx.owner)]
    return max([tip.height, *(d + 1 for d in used)])


async def plan_deployment(ctx: MarketContext, sdl_text: str | bytes, *, sender: TxSender | None = None,
                          name: str = "", deposit_uact: int | None = None, source: str = "auto",
                          dseq: int | None = None) -> DeploymentPlan:
    """Parse (SdlValidationError with located errors) and preflight. Nothing is signed."""
    sdl = parse_sdl(sdl_text, network=ctx.sdl_network, allow_reclamation=True)
    dseq = int(dseq) if dseq is not None else await next_dseq(ctx)
    block_time = await ctx.clock.block_time_s()
    report = await preflight(ctx.chain, ctx.owner, sdl, dseq=dseq, deposit_uact=deposit_uact, source=source,
                             sender=sender, block_time_s=block_time,
                             build_msg=lambda dep, src: build_create_msg(ctx.owner, dseq, sdl, dep, src))
    return DeploymentPlan(sdl, name or default_name(sdl), dseq, report)


async def mint_act(ctx: MarketContext, sender: TxSender, plan: MintPlan, *, progress: Progress | None = None,
                   timeout_s: float = MINT_TIMEOUT_S, poll_s: float = 2.0) -> int:
    """Send the MsgMintACT and wait until the BME executed it; returns the new uact balance."""
    if plan.msg is None:
        raise MintFailed(plan.words())
    say = progress or (lambda _text: None)
    say(plan.words())
    result = await sender.send([plan.msg])
    say(f"Mint requested in block {result.height:,}; waiting for the BME epoch to execute it…")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = await _mint_status(ctx, result.height)
        if status is chain_bme.LedgerStatus.EXECUTED:
            balance = (await bank.balance(ctx.chain, ctx.owner, DENOM_ACT)).amount
            say(f"ACT minted: the balance is now {balance / 1_000_000:,.6f} ACT.")
            return balance
        if status is chain_bme.LedgerStatus.CANCELED:
            raise MintFailed("The BME cancelled the mint (the output was below the minimum mint, or minting halted); "
                             "the AKT was refunded.")
        await asyncio.sleep(poll_s)
    raise MintFailed(f"The mint requested in block {result.height} was not executed within {timeout_s:.0f} s.")


async def _mint_status(ctx: MarketContext, height: int) -> chain_bme.LedgerStatus | None:
    try:
        page = await chain_bme.ledger(ctx.chain, source=ctx.owner)
    except ChainError as exc:
        log.info("mint status not readable yet: %s", exc)
        return None
    for rec in page.items:
        if rec.height == height and rec.to_denom == DENOM_ACT:
            return rec.status
    return None


async def create_deployment(ctx: MarketContext, plan: DeploymentPlan, sender: TxSender, *, mint: bool = False,
                            progress: Progress | None = None) -> DeploymentRecord:
    """Sign MsgCreateDeployment (minting the missing ACT first when `mint` and the preflight allows it).

    Raises PreflightFailed (nothing signed), Cancelled, TxRejected (the record is dropped: nothing exists
    on chain), or NodeUnavailable / TxTimeout (the record stays "creating" until the chain says).
    """
    say = progress or (lambda _text: None)
    if not plan.report.ok and mint and plan.report.only_act_missing and plan.report.mint is not None:
        await mint_act(ctx, sender, plan.report.mint, progress=say)
        plan = await plan_deployment(ctx, plan.sdl.text, sender=sender, name=plan.name,
                                     deposit_uact=plan.report.deposit_uact, dseq=plan.dseq)
    if not plan.report.ok:
        raise PreflightFailed(plan.report, plan.report.problems)
    version = ManifestVersion(plan.sdl.text, plan.sdl.manifest_sorted_json(), plan.version_hex)
    record = DeploymentRecord(plan.dseq, ctx.owner, ctx.network.key, ctx.network.chain_id, plan.name,
                              versions=[version], deposit_uact=plan.report.deposit_uact)
    ctx.records.put(record)
    block_time = await ctx.clock.block_time_s()
    try:
        result = await sender.send([plan.msg], context=DescribeContext(block_time_s=block_time))
    except (Cancelled, TxRejected):
        ctx.records.remove(ctx.owner, plan.dseq)  # nothing exists on chain: no record to keep
        raise
    say(f"Deployment {plan.dseq} created in block {result.height:,}.")

    def activate(r: DeploymentRecord) -> None:
        r.state, r.created_height, r.created_at = ACTIVE, result.height, now_iso()

    return ctx.records.mutate(ctx.owner, plan.dseq, activate) or replace(record, state=ACTIVE)


def mark_closed(ctx: MarketContext, dseq: int, reason: str) -> None:
    def close(r: DeploymentRecord) -> None:
        if r.state != CLOSED:
            r.state, r.closed_at, r.close_reason = CLOSED, now_iso(), reason
        for lease in r.leases:
            if not lease.closed_at:
                lease.closed_at, lease.close_reason = r.closed_at, lease.close_reason or reason

    ctx.records.mutate(ctx.owner, dseq, close)
