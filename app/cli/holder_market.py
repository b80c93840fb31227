"""`python -m app mint-act|burn-act|earnings|withdraw-earnings`: ACT conversions and provider earnings."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app import bme, earnings
from app.chain.common import Coin
from app.cli import CliError
from app.cli.txflow import Ctx, context, finish, run, sign_and_send, user_errors
from app.config import DENOM_ACT, DENOM_AKT
from app.denoms import DenomBook


def _amount(text: str, denom: str) -> int | None:
    """Display units ('1.5') -> base units; None for max/all."""
    return None if text.strip().lower() in ("max", "all") else DenomBook().parse(text, denom)


# ---- ACT ----------------------------------------------------------------------------------------------


async def _follow(ctx: Ctx, c: Any, sent: list[dict[str, Any]], burned: Coin) -> None:
    """Wait for the ledger record of a confirmed mint/burn and report the outcome."""
    for tx in sent:
        if tx.get("status") != "confirmed":
            continue
        ctx.say("Waiting for the chain to execute it at the next epoch...")
        result = await bme.follow(c, ctx.address, tx["height"], burned, timeout_s=ctx.args.wait_timeout)
        ctx.say(result.message)
        tx["conversion"] = {"status": result.status.value, "message": result.message,
                            "minted": ({"denom": result.record.minted.coin.denom,
                                        "amount": str(result.record.minted.coin.amount)}
                                       if result.record and result.record.minted else None)}


@user_errors
def cmd_mint_act(args: argparse.Namespace) -> int:
    ctx = context(args)
    if (args.amount is None) == (args.act is None):
        raise CliError("give the AKT to burn (AMOUNT) or the ACT wanted (--act N), not both", field="amount")

    async def go() -> list[dict[str, Any]]:
        from app.chain import bank

        async with ctx.client() as c:
            state = await bme.load_state(c)
            liquid = (await bank.balance(c, ctx.address, DENOM_AKT)).amount
            if args.act is not None:
                if state.akt_price is None:
                    raise CliError("the chain has no AKT price now; try later", field="price")
                quote = bme.mint_for_act(DenomBook().parse(args.act, DENOM_ACT), state.akt_price,
                                         state.params.mint_spread_bps, min_uact=state.min_uact)
                uakt = quote.uakt_in
            else:
                uakt = _amount(args.amount, DENOM_AKT)
                if uakt is None:
                    uakt = max(0, liquid - ctx.reserve_uakt)
            plan, _quote = bme.build_mint(ctx.address, uakt, state, liquid_uakt=liquid, reserve_uakt=ctx.reserve_uakt)
            sent = await sign_and_send(ctx, c, [plan])
            if not args.no_wait:
                await _follow(ctx, c, sent, Coin(DENOM_AKT, uakt))
            return sent

    return finish(ctx, {"transactions": run(go())})


@user_errors
def cmd_burn_act(args: argparse.Namespace) -> int:
    ctx = context(args)

    async def go() -> list[dict[str, Any]]:
        from app.chain import bank

        async with ctx.client() as c:
            state = await bme.load_state(c)
            act = (await bank.balance(c, ctx.address, DENOM_ACT)).amount
            liquid = (await bank.balance(c, ctx.address, DENOM_AKT)).amount
            uact = _amount(args.amount, DENOM_ACT)
            uact = act if uact is None else uact
            plan, _quote = bme.build_burn(ctx.address, uact, state, act_balance=act, liquid_uakt=liquid,
                                          fee_uakt=ctx.one_fee_uakt)
            sent = await sign_and_send(ctx, c, [plan])
            if not args.no_wait:
                await _follow(ctx, c, sent, Coin(DENOM_ACT, uact))
            return sent

    return finish(ctx, {"transactions": run(go())})


# ---- provider earnings --------------------------------------------------------------------------------


def _amounts(values: dict[str, Decimal], book: DenomBook) -> str:
    return ", ".join(book.format(int(v), d) for d, v in sorted(values.items())) or "0"


@user_errors
def cmd_earnings(args: argparse.Namespace) -> int:
    ctx = context(args, need_wallet=False)

    async def go() -> earnings.ProviderEarnings:
        async with ctx.client() as c:
            return await earnings.load(c, ctx.address)

    e = run(go())
    book = DenomBook()
    if args.csv:
        ctx.say(f"Written to {earnings.export_csv(e, Path(args.csv), book)}")
    ctx.say(f"Provider {e.provider}: {len(e.running)} running leases, {len(e.leases)} in all")
    ctx.say(f"  earned: 24h {_amounts(e.window('24h'), book)}; 7d {_amounts(e.window('7d'), book)}; "
            f"30d {_amounts(e.window('30d'), book)}; total {_amounts(e.total, book)}")
    ctx.say(f"  withdrawn {_amounts(e.withdrawn, book)}; withdrawable now {_amounts(e.collectable, book)}; "
            f"owed by overdrawn tenants {_amounts(e.at_risk, book)}")
    ctx.say(f"  running leases pay {_amounts(e.monthly_rate, book)} per month "
            f"(block time {e.clock.seconds_per_block:.3f} s)")
    r = e.resources
    ctx.say(f"  leased: {r.cpu_millis / 1000:g} CPU, {r.memory_bytes / 2**30:.1f} GiB memory, "
            f"{r.storage_bytes / 2**30:.1f} GiB storage, {r.gpu_units} GPU")
    for lease in e.leases[: args.limit]:
        ctx.say(f"  {lease.id.owner[:14]}… dseq {lease.id.dseq} {lease.state.value:<18} "
                f"{book.format(int(lease.per_month), lease.denom)}/month  total {book.format(int(lease.total), lease.denom)}")

    def amounts(values: dict[str, Decimal]) -> dict[str, str]:
        return {d: f"{v:f}" for d, v in values.items()}

    return finish(ctx, {"provider": e.provider, "height": e.clock.height, "leases": len(e.leases),
                        "running": len(e.running), "total": amounts(e.total), "withdrawn": amounts(e.withdrawn),
                        "withdrawable": amounts(e.collectable), "at_risk": amounts(e.at_risk),
                        "last_24h": amounts(e.window("24h")), "last_7d": amounts(e.window("7d")),
                        "last_30d": amounts(e.window("30d")), "per_month": amounts(e.monthly_rate),
                        "daily": [{"day": d.day, **amounts(dict(d.amounts))} for d in e.daily]})


@user_errors
def cmd_withdraw_earnings(args: argparse.Namespace) -> int:
    ctx = context(args)

    async def go() -> list[dict[str, Any]]:
        from app.chain import bank

        async with ctx.client() as c:
            e = await earnings.load(c, ctx.address)
            liquid = (await bank.balance(c, ctx.address, DENOM_AKT)).amount
            plans = earnings.build_withdraw_all(ctx.address, e, liquid_uakt=liquid, fee_uakt=ctx.one_fee_uakt)
            return await sign_and_send(ctx, c, plans)

    return finish(ctx, {"transactions": run(go())})


def register_into(sub: argparse._SubParsersAction, cmd: Callable[..., argparse.ArgumentParser]) -> None:
    for name, func, what in (("mint-act", cmd_mint_act, "mint ACT by burning AKT"),
                             ("burn-act", cmd_burn_act, "burn ACT back into AKT")):
        p = cmd(sub, name, what, func, signs=True)
        p.add_argument("amount", nargs="?" if name == "mint-act" else None,
                       help="AKT to burn, or max" if name == "mint-act" else "ACT to burn, or all")
        if name == "mint-act":
            p.add_argument("--act", help="mint at least this much ACT (the AKT needed is worked out)")
        p.add_argument("--no-wait", action="store_true", help="do not wait for the epoch that executes it")
        p.add_argument("--wait-timeout", type=float, default=180.0, help="seconds to wait (default 180)")
    p = cmd(sub, "earnings", "a provider's lease earnings (own or --address)", cmd_earnings, signs=False,
            address=True)
    p.add_argument("--csv", metavar="PATH", help="write per-lease and per-day earnings to this CSV file")
    p.add_argument("--limit", type=int, default=20, help="leases listed (default 20)")
    cmd(sub, "withdraw-earnings", "withdraw the earnings of every lease (provider)", cmd_withdraw_earnings,
        signs=True)
