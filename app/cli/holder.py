"""`python -m app balance|send|history|delegate|undelegate|redelegate|claim|vote|mint-act|burn-act|earnings|...`.

Every command that signs prints what will be signed (in words, with the fee) and asks first (--yes skips).
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

from app import account, gov, history, staking, staking_stats
from app.chain.gov import ProposalStatus
from app.cli.txflow import (
    Ctx,
    add_chain_options,
    add_sign_options,
    context,
    finish,
    run,
    sign_and_send,
    user_errors,
)
from app.config import DENOM_ACT, DENOM_AKT
from app.denoms import DenomBook
from app.units import format_amount


def _amount(text: str, denom: str, book: DenomBook | None = None) -> int | None:
    """Display units ('1.5') -> base units; None for max/all."""
    if text.strip().lower() in ("max", "all"):
        return None
    return (book or DenomBook()).parse(text, denom)


def _dec(value: Decimal, places: int = 6) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


# ---- wallet -------------------------------------------------------------------------------------------


@user_errors
def cmd_balance(args: argparse.Namespace) -> int:
    ctx = context(args, need_wallet=False)

    async def go() -> account.WalletOverview:
        async with ctx.client() as c:
            return await account.load_overview(c, ctx.address, ctx.network.usdc_denom)

    ov = run(go())
    ctx.say(f"{ctx.address} on {ctx.network.name}")
    for b in ov.balances:
        usd = f"  (${b.usd_value:,.2f})" if b.usd_value is not None else ""
        note = "" if b.transferable else "  not transferable"
        ctx.say(f"  {ov.denoms.format(b.amount, b.denom):>28}{usd}{note}")
    ctx.say(f"  AKT price: ${ov.akt_price_usd:.4f}" if ov.akt_price_usd else f"  AKT price: {ov.price_note}")
    return finish(ctx, {"address": ctx.address, "network": ctx.network.key,
                        "balances": [{"denom": b.denom, "symbol": b.symbol, "amount": str(b.amount),
                                      "display": f"{b.display.normalize():f}", "usd": _dec(b.usd_value, 2) if b.usd_value is not None
                                      else None, "transferable": b.transferable} for b in ov.balances],
                        "akt_price_usd": f"{ov.akt_price_usd:f}" if ov.akt_price_usd else None,
                        "price_note": ov.price_note})


def _denom(symbol: str, ctx: Ctx) -> str:
    key = symbol.strip().lower()
    if key == "akt":
        return DENOM_AKT
    if key == "act":
        return DENOM_ACT
    if key == "usdc":
        return ctx.network.usdc_denom
    return symbol.strip()


@user_errors
def cmd_send(args: argparse.Namespace) -> int:
    ctx = context(args)
    from app.wallet.addressbook import AddressBook

    denom = _denom(args.denom, ctx)
    account.refuse_untransferable(denom)
    recipient, name = account.resolve_recipient(args.to, AddressBook())

    async def go() -> list[dict[str, Any]]:
        async with ctx.client() as c:
            ov = await account.load_overview(c, ctx.address, ctx.network.usdc_denom)
            amount = _amount(args.amount, denom, ov.denoms)
            if amount is None:
                from app.txplan import max_spendable

                amount = max_spendable(ov.amount_of(denom), denom, ctx.reserve_uakt)
            plan = account.build_send(ctx.address, recipient, amount, denom, balances=ov.as_dict(),
                                      reserve_uakt=ctx.reserve_uakt, memo=args.memo, recipient_name=name,
                                      denoms=ov.denoms)
            return await sign_and_send(ctx, c, [plan])

    return finish(ctx, {"transactions": run(go())})


@user_errors
def cmd_history(args: argparse.Namespace) -> int:
    ctx = context(args, need_wallet=False)

    async def go() -> tuple[history.HistoryEntry, ...]:
        async with ctx.client() as c:
            names = staking.monikers(await staking.load_validators(c))
            if args.csv:
                return await history.load_all(c, ctx.address, names=names)
            return await history.HistoryLoader(c, ctx.address, names=names).more(args.limit)

    entries = run(go())
    if args.csv:
        path = history.export_csv(entries, Path(args.csv))
        ctx.say(f"{len(entries)} transactions written to {path}")
    else:
        book = DenomBook()
        for e in entries:
            when = e.time.strftime("%Y-%m-%d %H:%M") if e.time else "?"
            fee = f"  fee {book.format(e.fee.get(DENOM_AKT, 0), DENOM_AKT)}" if e.fee else ""
            ctx.say(f"{when}  #{e.height:<9} {e.summary}{fee}")
    return finish(ctx, {"address": ctx.address, "entries": [
        {"txhash": e.txhash, "height": e.height, "time": e.time.isoformat() if e.time else None, "ok": e.ok,
         "summary": e.summary, "sentences": list(e.sentences), "change": {d: str(a) for d, a in e.change.items()},
         "fee": {d: str(a) for d, a in e.fee.items()}, "memo": e.memo} for e in entries]})


# ---- staking ------------------------------------------------------------------------------------------


async def _staking(ctx: Ctx, c: Any) -> tuple[tuple[staking.ValidatorRow, ...], staking.StakingPosition, int]:
    from app.chain import bank

    rows = await staking.load_validators(c)
    position = await staking.load_position(c, ctx.address, rows)
    liquid = (await bank.balance(c, ctx.address, DENOM_AKT)).amount
    return rows, position, liquid


@user_errors
def cmd_validators(args: argparse.Namespace) -> int:
    ctx = context(args, need_wallet=False, optional=True)

    async def go() -> tuple[tuple[staking.ValidatorRow, ...], Any]:
        async with ctx.client() as c:
            return await staking.load_validators(c), (await staking_stats.estimate_apr(c))

    rows, (apr, why) = run(go())
    for r in rows:
        up = f"{r.uptime:.2%}" if r.uptime is not None else "unknown"
        net = f"{apr.net_of(r.commission):.2%}" if apr and r.earns_rewards else "-"
        ctx.say(f"{(r.rank or '-')!s:>3} {r.moniker[:28]:<28} {r.status:<8} commission {r.commission:.2%}  "
                f"power {r.power_share:.2%}  uptime {up}  APR {net}")
    ctx.say(f"APR: {apr.method}" if apr else f"APR: {why}")
    return finish(ctx, {"apr": f"{apr.apr:f}" if apr else None, "apr_method": apr.method if apr else why,
                        "validators": [{"operator": r.operator, "moniker": r.moniker, "status": r.status,
                                        "rank": r.rank, "commission": f"{r.commission:f}", "tokens": str(r.tokens),
                                        "uptime": f"{r.uptime:f}" if r.uptime is not None else None}
                                       for r in rows]})


@user_errors
def cmd_stake(args: argparse.Namespace) -> int:
    ctx = context(args, need_wallet=False)

    async def go() -> tuple[Any, ...]:
        async with ctx.client() as c:
            return await _staking(ctx, c)

    _rows, pos, liquid = run(go())
    ctx.say(f"Liquid {format_amount(liquid, DENOM_AKT)}; staked {format_amount(pos.total_staked, DENOM_AKT)}; "
            f"rewards {format_amount(int(pos.total_rewards), DENOM_AKT)}")
    for d in pos.delegations:
        ctx.say(f"  {d.moniker[:28]:<28} {format_amount(d.amount, DENOM_AKT):>18}  rewards "
                f"{format_amount(int(d.reward), DENOM_AKT)}  ({d.status})")
    for u in pos.unbonding:
        ctx.say(f"  unbonding {format_amount(u.amount, DENOM_AKT)} from {u.moniker}, free at {u.completion_time}")
    for r in pos.redelegations:
        ctx.say(f"  redelegated {format_amount(r.amount, DENOM_AKT)} {r.src_moniker} -> {r.dst_moniker}, "
                f"settles at {r.completion_time}")
    return finish(ctx, {"liquid_uakt": str(liquid), "staked_uakt": str(pos.total_staked),
                        "rewards_uakt": f"{pos.total_rewards:f}",
                        "delegations": [{"validator": d.validator, "moniker": d.moniker, "amount": str(d.amount),
                                         "reward": f"{d.reward:f}"} for d in pos.delegations],
                        "unbonding": [{"validator": u.validator, "amount": str(u.amount),
                                       "completion_time": u.completion_time.isoformat() if u.completion_time else None}
                                      for u in pos.unbonding]})


def _stake_cmd(args: argparse.Namespace, build: Any) -> int:
    ctx = context(args)

    async def go() -> list[dict[str, Any]]:
        async with ctx.client() as c:
            rows, pos, liquid = await _staking(ctx, c)
            plan = build(ctx, rows, pos, liquid)
            return await sign_and_send(ctx, c, [plan])

    return finish(ctx, {"transactions": run(go())})


@user_errors
def cmd_delegate(args: argparse.Namespace) -> int:
    def build(ctx: Ctx, rows: Any, pos: Any, liquid: int) -> Any:
        v = staking.validator_by(rows, args.validator)
        amount = _amount(args.amount, DENOM_AKT)
        if amount is None:
            amount = staking.max_delegatable(liquid, ctx.reserve_uakt)
        return staking.build_delegate(ctx.address, v, amount, liquid_uakt=liquid, reserve_uakt=ctx.reserve_uakt)

    return _stake_cmd(args, build)


@user_errors
def cmd_undelegate(args: argparse.Namespace) -> int:
    def build(ctx: Ctx, rows: Any, pos: staking.StakingPosition, liquid: int) -> Any:
        v = staking.validator_by(rows, args.validator)
        amount = _amount(args.amount, DENOM_AKT)
        return staking.build_undelegate(ctx.address, v, pos.staked_with(v.operator) if amount is None else amount,
                                        pos, liquid_uakt=liquid, fee_uakt=ctx.one_fee_uakt)

    return _stake_cmd(args, build)


@user_errors
def cmd_redelegate(args: argparse.Namespace) -> int:
    def build(ctx: Ctx, rows: Any, pos: staking.StakingPosition, liquid: int) -> Any:
        src, dst = staking.validator_by(rows, args.src), staking.validator_by(rows, args.dst)
        amount = _amount(args.amount, DENOM_AKT)
        return staking.build_redelegate(ctx.address, src, dst, pos.staked_with(src.operator) if amount is None
                                        else amount, pos, liquid_uakt=liquid, fee_uakt=ctx.one_fee_uakt)

    return _stake_cmd(args, build)


@user_errors
def cmd_claim(args: argparse.Namespace) -> int:
    def build(ctx: Ctx, rows: Any, pos: staking.StakingPosition, liquid: int) -> Any:
        maker = staking.build_compound if args.compound else staking.build_claim_all
        return maker(ctx.address, pos, liquid_uakt=liquid, fee_uakt=ctx.one_fee_uakt)

    return _stake_cmd(args, build)


# ---- governance ---------------------------------------------------------------------------------------

_STATUS = {"deposit": ProposalStatus.DEPOSIT_PERIOD, "voting": ProposalStatus.VOTING_PERIOD,
           "passed": ProposalStatus.PASSED, "rejected": ProposalStatus.REJECTED, "failed": ProposalStatus.FAILED}


@user_errors
def cmd_proposals(args: argparse.Namespace) -> int:
    ctx = context(args, need_wallet=False, optional=True)

    async def go() -> tuple[gov.ProposalView, ...]:
        async with ctx.client() as c:
            return await gov.load_proposals(c, _STATUS.get(args.status) if args.status else None, voter=ctx.address)

    views = run(go())
    for p in views:
        t = p.tally
        left = f", {str(p.time_left).split('.')[0]} left" if p.time_left is not None else ""
        mine = f", you voted {p.my_vote_text}" if p.my_vote_text else ""
        ctx.say(f"#{p.id} [{p.status_text}{left}] {p.title}")
        ctx.say(f"     yes {t.share(t.yes):.1%} no {t.share(t.no):.1%} veto {t.share(t.no_with_veto):.1%} "
                f"abstain {t.share(t.abstain):.1%}; turnout {t.turnout:.1%} (quorum {t.quorum:.1%}){mine}")
    return finish(ctx, {"proposals": [{"id": p.id, "title": p.title, "status": p.status.value,
                                       "voting_end": p.voting_end.isoformat() if p.voting_end else None,
                                       "turnout": f"{p.tally.turnout:f}", "quorum_reached": p.tally.quorum_reached,
                                       "would_pass": p.tally.would_pass, "my_vote": p.my_vote_text or None}
                                      for p in views]})


@user_errors
def cmd_vote(args: argparse.Namespace) -> int:
    ctx = context(args)

    async def go() -> list[dict[str, Any]]:
        from app.chain import bank

        async with ctx.client() as c:
            proposal = await gov.load_proposal(c, args.proposal, voter=ctx.address)
            power = await gov.voting_power(c, ctx.address)
            liquid = (await bank.balance(c, ctx.address, DENOM_AKT)).amount
            plan = gov.build_vote(ctx.address, proposal, args.option, power_uakt=power, liquid_uakt=liquid,
                                  fee_uakt=ctx.one_fee_uakt)
            ctx.say(gov.WHO_CAN_VOTE)
            return await sign_and_send(ctx, c, [plan])

    return finish(ctx, {"transactions": run(go())})


# ---- registration -------------------------------------------------------------------------------------


def _cmd(sub: argparse._SubParsersAction, name: str, help_text: str, func: Any, *, signs: bool,
         address: bool = False) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, description=help_text)
    add_chain_options(p, address=address)
    if signs:
        add_sign_options(p)
    p.set_defaults(func=func)
    return p


def register(sub: argparse._SubParsersAction) -> None:
    p = _cmd(sub, "balance", "balances (AKT, ACT, USDC, ...) with USD values", cmd_balance, signs=False, address=True)
    p = _cmd(sub, "send", "send AKT or USDC (ACT is not transferable)", cmd_send, signs=True)
    p.add_argument("to", help="akash1... address or an address-book name")
    p.add_argument("amount", help="amount in AKT/USDC (e.g. 1.5), or max (keeps the fee reserve)")
    p.add_argument("--denom", default="akt", help="akt (default), usdc, or a base denom")
    p.add_argument("--memo", default="", help="public note stored with the transaction")
    p = _cmd(sub, "history", "the account's transactions in words", cmd_history, signs=False, address=True)
    p.add_argument("--limit", type=int, default=30, help="how many (default 30)")
    p.add_argument("--csv", metavar="PATH", help="write every transaction to this CSV file")
    _cmd(sub, "validators", "validators with commission, power, uptime and APR", cmd_validators, signs=False)
    _cmd(sub, "stake", "the account's delegations, rewards, unbonding", cmd_stake, signs=False, address=True)
    p = _cmd(sub, "delegate", "stake AKT with a validator", cmd_delegate, signs=True)
    p.add_argument("validator", help="akashvaloper1... address or moniker")
    p.add_argument("amount", help="AKT, or max (keeps the fee reserve)")
    p = _cmd(sub, "undelegate", "unstake AKT (locked for the unbonding time)", cmd_undelegate, signs=True)
    p.add_argument("validator")
    p.add_argument("amount", help="AKT, or all")
    p = _cmd(sub, "redelegate", "move stake between validators", cmd_redelegate, signs=True)
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("amount", help="AKT, or all")
    p = _cmd(sub, "claim", "claim all staking rewards (--compound re-stakes them)", cmd_claim, signs=True)
    p.add_argument("--compound", action="store_true", help="claim and re-stake in one transaction")
    p = _cmd(sub, "proposals", "governance proposals with tally and quorum", cmd_proposals, signs=False, address=True)
    p.add_argument("--status", choices=sorted(_STATUS), help="only proposals in this state")
    p = _cmd(sub, "vote", "vote on a proposal", cmd_vote, signs=True)
    p.add_argument("proposal", type=int)
    p.add_argument("option", help="yes, no, abstain or no_with_veto")
    from app.cli import holder_market

    holder_market.register_into(sub, _cmd)
