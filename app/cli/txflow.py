"""Shared by the chain commands: --network/--node/--wallet options, the account, and confirm-then-sign-and-send.

Human output goes to stdout; with --json the human lines go to stderr and stdout holds one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import config
from app import settings as settings_mod
from app.chain.client import ChainClient
from app.chain.errors import ChainError
from app.cli import CliError, print_json
from app.txplan import PlanError, PreparedTx, fee_reserve_uakt
from app.units import AmountError, format_amount
from app.wallet.address import AddressError, validate_address
from app.wallet.errors import KeystoreError


def add_chain_options(p: argparse.ArgumentParser, *, wallet: bool = True, address: bool = False) -> None:
    p.add_argument("--network", choices=sorted(config.PRESETS), help="mainnet, sandbox or local (default: the app's)")
    p.add_argument("--node", metavar="URL", help="use this REST endpoint instead of the network's list")
    if wallet:
        p.add_argument("--wallet", help="keystore wallet name (default: the app's last one)")
        p.add_argument("--account", default="0", help="account of the wallet: display name or position (default 0)")
    if address:
        p.add_argument("--address", help="read this akash1... address instead of a wallet account (watch-only)")
    p.add_argument("--json", action="store_true", help="print one JSON object (for scripts)")


def add_sign_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-stdin", action="store_true", help="read the wallet password from the first stdin line")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask before signing (scripts)")


def user_errors(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Typed failures become CliError (one message, exit 1), never a traceback."""

    @functools.wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except PlanError as exc:
            raise CliError(str(exc), field=exc.field) from None
        except (ChainError, KeystoreError, AddressError, AmountError) as exc:
            raise CliError(str(exc)) from None

    return wrapper


@dataclass
class Ctx:
    """What a command needs: the network, a client factory, the account, output mode."""

    args: argparse.Namespace
    network: config.Network
    settings: settings_mod.Settings
    address: str
    wallet: str
    account: str | int

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def say(self, text: str = "") -> None:
        print(text, file=sys.stderr if self.json else sys.stdout)

    def client(self) -> ChainClient:
        return ChainClient(self.network)

    @property
    def gas_price(self) -> Decimal:
        return Decimal(self.settings.gas_price)

    @property
    def reserve_uakt(self) -> int:
        return fee_reserve_uakt(self.gas_price)

    @property
    def one_fee_uakt(self) -> int:
        return fee_reserve_uakt(self.gas_price, txs=1)


def _network(args: argparse.Namespace, settings: settings_mod.Settings) -> config.Network:
    key = args.network or settings.network
    if key not in config.PRESETS:
        raise CliError(f"unknown network {key!r}", field="network")
    net = settings.network_config(key)
    if args.node:
        try:
            url = settings_mod.normalize_endpoint(args.node)
        except settings_mod.SettingsError as exc:
            raise CliError(str(exc), field="node") from None
        net = config.Network(net.key, net.name, net.chain_id, (url,), net.usdc_denom, net.explorer_tx, net.local)
    return net


def context(args: argparse.Namespace, *, need_wallet: bool = True, optional: bool = False) -> Ctx:
    """The network and the account: --address (read-only) or a keystore wallet account (no password yet).

    With `optional`, no account at all is fine (address "") when neither --address nor a wallet is known.
    """
    settings = settings_mod.load()
    network = _network(args, settings)
    explicit = getattr(args, "address", None)
    if explicit and not need_wallet:
        try:
            validate_address(explicit)
        except AddressError as exc:
            raise CliError(f"--address: {exc}", field="address") from None
        return Ctx(args, network, settings, explicit, "", 0)
    from app.wallet.keystore import Keystore

    name = getattr(args, "wallet", None) or settings.last_wallet
    if not name and optional:
        return Ctx(args, network, settings, "", "", 0)
    if not name:
        raise CliError("choose a wallet with --wallet NAME (see `python -m app keys list`)"
                       + ("" if need_wallet else " or give --address"), field="wallet")
    which: str | int = int(args.account) if str(args.account).isdigit() else args.account
    try:
        info = Keystore().info(name)
        acc = info.account(which)
    except KeystoreError as exc:
        raise CliError(str(exc), field="wallet") from None
    if need_wallet and info.watch_only:
        raise CliError(f"wallet '{name}' is watch-only: it cannot sign", field="wallet")
    return Ctx(args, network, settings, acc.address, name, which)


def run(coro: Awaitable[Any]) -> Any:
    return asyncio.run(coro)  # type: ignore[arg-type]


def show_plan(ctx: Ctx, plan: PreparedTx, fee_uakt: int | None = None, gas: int | None = None) -> dict[str, Any]:
    """Print what will be signed, in words; the same as a dict for --json."""
    ctx.say(plan.title)
    described = plan.describe()
    for d in described:
        ctx.say(f"  - {d.title}")
        for label, value in d.lines:
            ctx.say(f"      {label}: {value}")
        for w in d.warnings:
            ctx.say(f"      ! {w}")
    if plan.memo:
        ctx.say(f"  Memo: {plan.memo}")
    for n in plan.notes:
        ctx.say(f"  {n}")
    for w in plan.warnings:
        ctx.say(f"  WARNING: {w}")
    if fee_uakt is not None:
        ctx.say(f"  Fee: {format_amount(fee_uakt, config.DENOM_AKT)} (gas {gas:,}) on {ctx.network.name}")
    return {"title": plan.title, "messages": [{"title": d.title, "lines": [list(x) for x in d.lines],
                                                "warnings": list(d.warnings), "type_url": d.type_url}
                                               for d in described],
            "memo": plan.memo, "notes": list(plan.notes), "warnings": list(plan.warnings),
            "fee_uakt": fee_uakt, "gas": gas}


def _confirm(ctx: Ctx) -> bool:
    if ctx.args.yes:
        return True
    prompt = "Sign and send? [y/N] "
    if not ctx.args.password_stdin and sys.stdin.isatty():
        return input(prompt).strip().lower() in ("y", "yes")
    try:
        with open("/dev/tty", "r+") as tty:  # noqa: PTH123 - the terminal, not a file of ours
            tty.write(prompt)
            tty.flush()
            return tty.readline().strip().lower() in ("y", "yes")
    except OSError:
        raise CliError("no terminal to confirm on; pass --yes to sign without asking", field="yes") from None


async def sign_and_send(ctx: Ctx, client: ChainClient, plans: list[PreparedTx]) -> list[dict[str, Any]]:
    """For each plan: unlock (once), estimate the fee, show it, confirm, sign and broadcast, wait for the block."""
    from app.cli.keys import ask_password
    from app.tx.broadcast import BroadcastConfig, Broadcaster
    from app.wallet.keystore import Keystore

    password = ask_password(f"Password for wallet '{ctx.wallet}': ", password_stdin=ctx.args.password_stdin)
    try:
        wallet = await Keystore().unlock_async(ctx.wallet, password)
    except KeystoreError as exc:
        raise CliError(str(exc), field="password") from None
    out = []
    try:
        signer = wallet.signer(ctx.account)
        broadcaster = Broadcaster(client, BroadcastConfig(gas_price_uakt=ctx.gas_price), chain_id=ctx.network.chain_id)
        for plan in plans:
            estimate = await broadcaster.estimate(signer, list(plan.msgs), memo=plan.memo)
            shown = show_plan(ctx, plan, estimate.amount, estimate.gas_limit)
            if not _confirm(ctx):
                ctx.say("Cancelled: nothing was signed.")
                out.append({**shown, "status": "cancelled"})
                break
            result = await broadcaster.send(signer, list(plan.msgs), memo=plan.memo, estimate=estimate)
            ctx.say(f"Confirmed in block {result.height:,}: {result.txhash}")
            out.append({**shown, "status": "confirmed", "txhash": result.txhash, "height": result.height,
                        "gas_used": result.gas_used})
    finally:
        wallet.lock()
    return out


def finish(ctx: Ctx, payload: dict[str, Any]) -> int:
    if ctx.json:
        print_json(payload)
    return 0 if all(t.get("status") != "cancelled" for t in payload.get("transactions", [])) else 1

