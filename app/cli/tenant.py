"""Tenant commands of `python -m app`: deploy, bids, lease, status, logs, events, deposit, update, close,
deployments, certs. Human output by default, `--json` for scripts; every transaction is shown in words
with its fee and needs a yes (or `--yes`). Passwords come from the terminal or `--password-stdin`.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app import config
from app import settings as settings_mod
from app.cli import CliError, print_json, read_input
from app.units import AmountError, to_base

NETWORKS = ("mainnet", "sandbox", "local")


# ---- setup: network, wallet, signing -------------------------------------------------------------------


def _network(args: argparse.Namespace) -> config.Network:
    key = args.network or settings_mod.load().network
    if key not in NETWORKS:
        raise CliError(f"unknown network {key!r}; use one of {', '.join(NETWORKS)}", field="network")
    preset = settings_mod.load().network_config(key)
    if not args.node:
        return preset
    try:
        url = settings_mod.normalize_endpoint(args.node)
    except settings_mod.SettingsError as exc:
        raise CliError(f"--node: {exc}", field="node") from None
    return config.Network(preset.key, preset.name, preset.chain_id, (url,), preset.usdc_denom, preset.explorer_tx,
                          preset.local)


@dataclass
class TenantRun:
    """What one command works with: network, chain client, market context, and (when needed) the keys."""

    args: argparse.Namespace
    network: config.Network
    chain: Any
    ctx: Any
    wallet: Any = field(default=None, repr=False)  # UnlockedWallet when unlocked
    signer: Any = field(default=None, repr=False)
    password: str = field(default="", repr=False)  # kept only for storing a new certificate key

    def say(self, text: str) -> None:
        """Progress: stderr with --json (stdout stays one JSON document), stdout otherwise."""
        print(text, file=sys.stderr if self.args.json else sys.stdout, flush=True)

    def sender(self) -> Any:
        from app.market.signing import DirectSender
        from app.tx.broadcast import BroadcastConfig, Broadcaster

        gas = Decimal(settings_mod.load().gas_price)
        broadcaster = Broadcaster(self.chain, BroadcastConfig(gas_price_uakt=gas), chain_id=self.network.chain_id)
        return DirectSender(broadcaster, self.signer, confirm=self._confirm)

    def _confirm(self, info: Any) -> bool:
        lines = [f"About to sign on {self.network.name} ({self.network.chain_id}) as {self.signer.address}:"]
        for d in info.descriptions:
            lines.append(f"  {d.title}")
            lines += [f"      {label}: {value}" for label, value in d.lines]
            lines += [f"      ! {w}" for w in d.warnings]
        lines.append(f"  Fee: {Decimal(info.fee_uakt) / 1_000_000:f} AKT (gas {info.gas_limit:,})")
        print("\n".join(lines), file=sys.stderr, flush=True)
        return True if self.args.yes else _ask_yes("Sign and send? [y/N] ")

    async def access(self) -> Any:
        from app.market.access import ProviderAccess

        if getattr(self.args, "mtls", False):
            from app.market.certificates import CertificateService
            from app.wallet.keystore import Keystore

            service = CertificateService(self.ctx, Keystore(), self.args.wallet)
            return ProviderAccess.mtls(await service.usable(self.wallet))
        return ProviderAccess.jwt(self.signer)


def _ask_yes(prompt: str) -> bool:
    try:
        tty = open("/dev/tty", "r+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError:
        raise CliError("no terminal to confirm the transaction on; pass --yes to sign without asking",
                       field="yes") from None
    with tty:
        tty.write(prompt)
        tty.flush()
        return tty.readline().strip().lower() in ("y", "yes")


def _owner(args: argparse.Namespace) -> str:
    from app.wallet.keystore import Keystore

    if args.address:
        return args.address
    if not args.wallet:
        raise CliError("give --wallet NAME (or --address for read-only commands)", field="wallet")
    info = Keystore().info(args.wallet)
    if not 0 <= args.account < len(info.accounts):
        raise CliError(f"wallet '{args.wallet}' has {len(info.accounts)} account(s); --account {args.account} "
                       "does not exist", field="account")
    return info.accounts[args.account].address


def _unlock(run: TenantRun) -> None:
    from app.cli.keys import ask_password
    from app.wallet.keystore import Keystore

    args = run.args
    if not args.wallet:
        raise CliError("this command signs: give --wallet NAME", field="wallet")
    run.password = ask_password(f"Password for wallet '{args.wallet}': ", password_stdin=args.password_stdin)
    run.wallet = Keystore().unlock(args.wallet, run.password)
    run.signer = run.wallet.signer(args.account)


def command(*, keys: bool) -> Callable[[Callable[[TenantRun], Coroutine[Any, Any, int]]], Callable[[argparse.Namespace], int]]:
    """Wrap an async command: set up its run (unlocking when `keys`), turn domain errors into CliError."""

    def wrap(func: Callable[[TenantRun], Coroutine[Any, Any, int]]) -> Callable[[argparse.Namespace], int]:
        @functools.wraps(func)
        def run(args: argparse.Namespace) -> int:
            try:
                return asyncio.run(_run(func, args, keys))
            except KeyboardInterrupt:
                return 130

        return run

    return wrap


async def _run(func: Callable[[TenantRun], Coroutine[Any, Any, int]], args: argparse.Namespace, keys: bool) -> int:
    from app.chain.client import ChainClient
    from app.market.context import MarketContext

    network = _network(args)
    run = None
    try:
        owner = "" if keys else _guard(lambda: _owner(args))
        chain = ChainClient(network)
        run = TenantRun(args, network, chain, None)
        if keys:
            _guard(lambda: _unlock(run))
            owner = run.signer.address
        run.ctx = MarketContext.create(chain, network, owner,
                                           favourites=tuple(settings_mod.load().favourite_providers))
        return await _guarded(func(run))
    finally:
        if run is not None:
            if run.wallet is not None:
                run.wallet.lock()
            await run.chain.aclose()


def _guard(fn: Callable[[], Any]) -> Any:
    from app.wallet.errors import KeystoreError

    try:
        return fn()
    except KeystoreError as exc:
        raise CliError(str(exc), field="wallet") from None


async def _guarded(coro: Coroutine[Any, Any, int]) -> int:
    """Domain errors become CliError: the message says what happened and what to do."""
    from app.chain.errors import ChainError
    from app.market.errors import MarketError
    from app.provider.errors import ProviderError
    from app.sdl.errors import SdlValidationError
    from app.tx.msgs import MsgError
    from app.wallet.errors import KeystoreError

    try:
        return await coro
    except SdlValidationError as exc:
        raise CliError("the SDL has errors:\n" + "\n".join(f"  {e}" for e in exc.errors), field="sdl") from None
    except (MarketError, ChainError, ProviderError, KeystoreError, MsgError) as exc:
        raise CliError(str(exc)) from None


def _dseq(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"a DSEQ is a positive whole number, not {text!r}")
    return int(text)


def _act(text: str) -> int:
    try:
        value = to_base(text, 6)
    except AmountError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (an amount of ACT, e.g. 5 or 0.5)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the amount must be more than 0")
    return value


def _emit(run: TenantRun, data: dict, human: str) -> None:
    if run.args.json:
        print_json(data)
    else:
        print(human)


# ---- deploy, bids, lease ---------------------------------------------------------------------------------


@command(keys=True)
async def cmd_deploy(s: TenantRun) -> int:
    from app.market import render
    from app.market.deploy import create_deployment, plan_deployment
    from app.market.errors import PreflightFailed

    text = read_input(s.args.sdl)
    sender = s.sender()
    plan = await plan_deployment(s.ctx, text, sender=sender, name=s.args.name or "", deposit_uact=s.args.deposit,
                                 source=s.args.source)
    s.say(f"Deployment {plan.dseq} ({plan.name}) on {s.network.name}:")
    s.say(render.preflight(plan.report))
    if not plan.report.ok and not (s.args.mint and plan.report.only_act_missing):
        hint = " Run again with --mint to mint it first." if plan.report.only_act_missing else ""
        raise PreflightFailed(plan.report, plan.report.problems + ([hint.strip()] if hint else []))
    record = await create_deployment(s.ctx, plan, sender, mint=s.args.mint, progress=s.say)
    result: dict[str, Any] = {"dseq": record.dseq, "name": record.name, "version": plan.version_hex,
                              "deposit_uact": record.deposit_uact, "height": record.created_height,
                              "minted": not plan.report.ok, "preflight": plan.report.to_json()}
    if s.args.auto_accept:
        result["lease"] = await _auto_lease(s, record.dseq)
    else:
        s.say(f"Next: python -m app bids {record.dseq} --watch, then python -m app lease {record.dseq} --cheapest")
    _emit(s, result, f"Deployment {record.dseq} created at height {record.created_height}.")
    return 0


def _filters(args: argparse.Namespace) -> Any:
    from app.market.compare import BidFilters

    return BidFilters(audited_only=args.audited, regions=frozenset(args.region or ()),
                      gpu_models=frozenset(args.gpu or ()),
                      max_usd_per_month=Decimal(args.max_month) if args.max_month else None,
                      favourites_only=args.favourites, exclude=frozenset(args.exclude or ()))


async def _wait_for_bids(s: TenantRun, dseq: int, timeout_s: float, *, watch: bool = False,
                         settle_s: float = 8.0) -> tuple[Any, list]:
    """Poll until every open order has bids and no new bid came for `settle_s` (or the timeout); with
    `watch`, print the table each time it changes and go on until the orders close or the timeout."""
    from app.market import render
    from app.market.bids import compare_bids, watch_bids
    from app.market.providers import ProviderDirectory

    directory = s.ctx.extra.setdefault("directory", ProviderDirectory(s.chain))
    loop = asyncio.get_running_loop()
    snap, rows, last_sig, settled_since = None, [], None, None
    async for snap in watch_bids(s.ctx, dseq, timeout_s=timeout_s, every_poll=True):
        if snap.error:
            s.say(f"(the node did not answer: {snap.error}; retrying)")
            continue
        changed = snap.signature() != last_sig
        last_sig = snap.signature()
        if changed:
            rows = await compare_bids(s.ctx, snap, directory, probe=True)
            if watch:
                s.say(f"\n[height {snap.height}] " + render.bid_table(rows, sort=s.args.sort))
        if watch:
            continue
        have = {r.order for r in rows}
        if snap.open_orders and all((o.id.gseq, o.id.oseq) in have for o in snap.open_orders):
            settled_since = settled_since if settled_since is not None and not changed else loop.time()
            if loop.time() - settled_since >= settle_s:
                break
    return snap, rows


async def _auto_lease(s: TenantRun, dseq: int) -> dict:
    from app.market.compare import auto_select

    _snap, rows = await _wait_for_bids(s, dseq, s.args.bid_timeout)
    chosen = auto_select(rows, _filters(s.args))
    if not chosen:
        raise CliError(f"no bid passed the filters within {s.args.bid_timeout:.0f} s; see `python -m app bids {dseq} "
                       "--why`")
    return await _accept(s, dseq, list(chosen.values()))


async def _accept(s: TenantRun, dseq: int, chosen: list) -> dict:
    from app.market import render
    from app.market.lease import accept_bids

    for row in chosen:
        s.say(f"Accepting {row.card.name} ({row.provider}) for group {row.order[0]}: "
              f"{render.money(row.usd_per_month)} ACT/month")
    access = await s.access()
    result = await accept_bids(s.ctx, dseq, chosen, s.sender(), access, directory=s.ctx.extra.get("directory"),
                               progress=s.say)
    s.say(render.deliveries(result.deliveries))
    views = await _status_when_ready(s, dseq, access) if result.ok else []
    if views:
        s.say(render.lease_views(views))
    return {"height": result.tx.height, "txhash": result.tx.txhash,
            "leases": [{"gseq": le.gseq, "oseq": le.oseq, "provider": le.provider, "host_uri": le.host_uri}
                       for le in result.leases],
            "manifest": [{"provider": d.provider, "ok": d.ok, "error": str(d.error) if d.error else None}
                         for d in result.deliveries],
            "uris": [u for v in views for u in v.uris]}


async def _status_when_ready(s: TenantRun, dseq: int, access: Any, wait_s: float = 30.0) -> list:
    """Lease status, polled briefly until the services report ready replicas."""
    from app.market.lease import lease_statuses

    views: list = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while loop.time() < deadline:
        views = await lease_statuses(s.ctx, dseq, access)
        if views and all(v.status is not None and v.status.ready for v in views):
            break
        await asyncio.sleep(2)
    return views


@command(keys=False)
async def cmd_bids(s: TenantRun) -> int:
    from app.market import render
    from app.market.compare import auto_select
    from app.market.providers import ProviderDirectory
    from app.market.whynobids import explain_no_bids

    dseq = s.args.dseq
    if s.args.watch:
        snap, rows = await _wait_for_bids(s, dseq, s.args.timeout, watch=True)
    else:
        from app.market.bids import compare_bids, snapshot

        directory = s.ctx.extra.setdefault("directory", ProviderDirectory(s.chain))
        snap = await snapshot(s.ctx, dseq)
        rows = await compare_bids(s.ctx, snap, directory)
    if snap is None or not snap.orders:
        raise CliError(f"deployment {dseq} of {s.ctx.owner} has no orders on this network (wrong DSEQ or account?)")
    chosen = auto_select(rows, _filters(s.args))
    data: dict[str, Any] = {"dseq": dseq, "height": snap.height, "bids": [r.to_json() for r in rows],
                            "cheapest": {f"{k[0]}/{k[1]}": v.provider for k, v in chosen.items()}}
    human = render.bid_table(rows, sort=s.args.sort, chosen=chosen) if not s.args.watch else ""
    without = [o for o in snap.open_orders if not snap.bids_for((o.id.gseq, o.id.oseq))]
    if s.args.why or (without and snap.order_age_blocks(without[0]) * await s.ctx.clock.block_time_s() > 60):
        directory = s.ctx.extra.setdefault("directory", ProviderDirectory(s.chain))
        explained = await explain_no_bids(s.ctx, dseq, directory, snap=snap)
        data["why_no_bids"] = [{"gseq": e.order[0], "summary": e.summary(),
                                "providers": [{"provider": v.provider, "name": v.name, "why": v.words()}
                                              for v in e.verdicts]} for e in explained]
        human += "\n\n" + render.why_no_bids(explained)
    _emit(s, data, human.strip())
    return 0


@command(keys=True)
async def cmd_lease(s: TenantRun) -> int:
    from app.market.bids import compare_bids, snapshot
    from app.market.compare import auto_select
    from app.market.providers import ProviderDirectory

    directory = s.ctx.extra.setdefault("directory", ProviderDirectory(s.chain))
    snap = await snapshot(s.ctx, s.args.dseq)
    rows = await compare_bids(s.ctx, snap, directory)
    if s.args.provider:
        chosen = [r for r in rows if r.provider == s.args.provider or r.card.name == s.args.provider]
        missing = [o.id.gseq for o in snap.open_orders if not any(r.order == (o.id.gseq, o.id.oseq) for r in chosen)]
        if not chosen or missing:
            raise CliError(f"{s.args.provider} has no open bid on group(s) {missing or '(any)'}; see "
                           f"`python -m app bids {s.args.dseq}`", field="provider")
    else:
        picked = auto_select(rows, _filters(s.args))
        if not picked:
            raise CliError(f"no open bid passes the filters; see `python -m app bids {s.args.dseq} --why`")
        chosen = list(picked.values())
    _emit(s, await _accept(s, s.args.dseq, chosen), "Done.")
    return 0


# ---- status, logs, events -----------------------------------------------------------------------------


@command(keys=True)
async def cmd_status(s: TenantRun) -> int:
    from app.market import render
    from app.market.lease import lease_statuses
    from app.market.overview import deployments_overview
    from app.market.providers import ProviderDirectory

    directory = s.ctx.extra.setdefault("directory", ProviderDirectory(s.chain))
    line = next((d for d in await deployments_overview(s.ctx, directory=directory) if d.dseq == s.args.dseq), None)
    if line is None:
        raise CliError(f"deployment {s.args.dseq} of {s.ctx.owner} is unknown here and on chain")
    views = await lease_statuses(s.ctx, s.args.dseq, await s.access()) if line.state == "active" else []
    record = line.record
    human = [f"Deployment {line.dseq} {line.name}: {line.state_text}",
             f"  escrow: {render.runway(line.runway)}"]
    for le in line.leases:
        human.append(f"  lease {le.gseq}/{le.oseq} {le.provider_name} ({le.provider}): {le.state_text}"
                     + (f" - {le.close_reason}" if le.close_reason else ""))
    if record is not None:
        for le in record.leases:
            if not le.closed_at:
                sent = f"manifest sent {le.manifest_sent_at}" if le.manifest_sent_at else "manifest NOT sent yet"
                human.append(f"  {le.provider}: {sent}")
    human.append(render.lease_views(views) if views else "")
    data = {**line.to_json(), "services": {
        f"{v.lease.lease.id.gseq}/{v.lease.lease.id.oseq}": None if v.status is None else {
            "uris": list(v.uris), "ready": v.status.ready,
            "services": {n: {"ready": x.ready_replicas, "total": x.total, "uris": list(x.uris)}
                         for n, x in v.status.services.items()},
            "forwarded_ports": {n: [p.address for p in ps] for n, ps in v.status.forwarded_ports.items()},
            "ips": {n: [f"{i.ip}:{i.external_port}" for i in ips] for n, ips in v.status.ips.items()}}
        for v in views}, "errors": [str(v.error) for v in views if v.error]}
    _emit(s, data, "\n".join(h for h in human if h))
    return 0


async def _stream(s: TenantRun, kind: str) -> int:
    import json

    from app.market.streams import deployment_stream, save_items

    follow = getattr(s.args, "follow", False)
    items = deployment_stream(s.ctx, s.args.dseq, await s.access(), kind=kind, follow=follow,
                              tail=getattr(s.args, "tail", 100), services=tuple(s.args.service or ()),
                              provider=s.args.provider or "")

    def show(entry: Any) -> None:
        if s.args.json:
            item = entry.item
            print(json.dumps({"gseq": entry.gseq, "provider": entry.provider, "kind": type(item).__name__,
                              "line": entry.line()}), flush=True)
        else:
            print(entry.line(), file=sys.stderr if entry.is_notice else sys.stdout, flush=True)

    try:
        if s.args.save:
            count = await save_items(items, s.args.save, echo=show)
            s.say(f"{count} lines saved to {s.args.save}")
        else:
            async for entry in items:
                show(entry)
    except asyncio.CancelledError:
        pass
    return 0


@command(keys=True)
async def cmd_logs(s: TenantRun) -> int:
    return await _stream(s, "logs")


@command(keys=True)
async def cmd_events(s: TenantRun) -> int:
    return await _stream(s, "events")


@command(keys=True)
async def cmd_resend(s: TenantRun) -> int:
    from app.market import render
    from app.market.lease import send_manifests

    manifest = read_input(s.args.manifest) if s.args.manifest else None
    deliveries = await send_manifests(s.ctx, s.args.dseq, await s.access(), manifest_json=manifest, progress=s.say)
    _emit(s, {"manifest": [{"provider": d.provider, "ok": d.ok, "error": str(d.error) if d.error else None}
                           for d in deliveries]}, render.deliveries(deliveries))
    return 0 if all(d.ok for d in deliveries) else 1


# ---- change: deposit, update, close -------------------------------------------------------------------


@command(keys=True)
async def cmd_deposit(s: TenantRun) -> int:
    from app.market.manage import add_funds

    done = await add_funds(s.ctx, s.args.dseq, s.args.amount, s.sender(), source=s.args.source)
    text = f"Added {Decimal(done.amount_uact) / 1_000_000:f} ACT to deployment {s.args.dseq} (block {done.tx.height})."
    if done.runway is not None:
        text += f"\n  escrow: {done.runway.words()}"
    _emit(s, {"dseq": s.args.dseq, "amount_uact": done.amount_uact, "sources": list(done.sources),
              "height": done.tx.height, "runway_text": done.runway.words() if done.runway else None}, text)
    return 0


@command(keys=True)
async def cmd_update(s: TenantRun) -> int:
    from app.market import render
    from app.market.manage import update_deployment

    done = await update_deployment(s.ctx, s.args.dseq, read_input(s.args.sdl), s.sender(), await s.access(),
                                   progress=s.say)
    text = "\n".join([f"Deployment {s.args.dseq} updated to version {done.version.version_hex[:16]}… "
                      f"(block {done.tx.height}).", *done.notes, render.deliveries(done.deliveries)])
    _emit(s, {"dseq": s.args.dseq, "version": done.version.version_hex, "height": done.tx.height,
              "notes": list(done.notes), "manifest": [{"provider": d.provider, "ok": d.ok,
                                                       "error": str(d.error) if d.error else None}
                                                      for d in done.deliveries]}, text)
    return 0 if done.ok else 1


@command(keys=True)
async def cmd_close(s: TenantRun) -> int:
    from app.market.manage import close_deployment

    result = await close_deployment(s.ctx, s.args.dseq, s.sender())
    _emit(s, {"dseq": s.args.dseq, "height": result.height, "txhash": result.txhash},
          f"Deployment {s.args.dseq} closed (block {result.height}); what was left in escrow went back to you.")
    return 0


@command(keys=False)
async def cmd_deployments(s: TenantRun) -> int:
    from app.market import render
    from app.market.overview import deployments_overview
    from app.market.providers import ProviderDirectory

    lines = await deployments_overview(s.ctx, directory=ProviderDirectory(s.chain), include_closed=s.args.all)
    _emit(s, {"owner": s.ctx.owner, "deployments": [d.to_json() for d in lines],
              "problems": s.ctx.records.problems}, render.deployments(lines))
    return 0


# ---- certificates ---------------------------------------------------------------------------------------


@command(keys=True)
async def cmd_certs(s: TenantRun) -> int:
    from app.market import render
    from app.market.certificates import CertificateService
    from app.wallet.keystore import Keystore

    service = CertificateService(s.ctx, Keystore(), s.args.wallet)
    action = s.args.certs_command
    if action == "list":
        entries = await service.entries(s.wallet)
        rows = [[e.serial, e.status.value, e.on_chain_state or "-", "yes" if e.local else "no",
                 e.not_after.date().isoformat() if e.not_after else "-", e.advice] for e in entries]
        _emit(s, {"certificates": [{"serial": str(e.serial), "status": e.status.value, "on_chain": e.on_chain_state,
                                    "local": e.local is not None, "expires": e.not_after.isoformat()
                                    if e.not_after else None} for e in entries]},
              render.table(["serial", "status", "on chain", "key here", "expires", "advice"], rows)
              if rows else "No certificates.")
        return 0
    if action == "revoke":
        result = await service.revoke(s.sender(), tuple(s.args.serial), password=s.password)
        _emit(s, {"revoked": [str(x) for x in s.args.serial], "height": result.height},
              f"Revoked {', '.join(map(str, s.args.serial))} (block {result.height}).")
        return 0
    published = await (service.regenerate(s.sender(), s.password, s.wallet) if action == "regenerate"
                       else service.create(s.sender(), s.password))
    c = published.pair.certificate
    _emit(s, {"serial": c.serial_str, "expires": c.not_after.isoformat(), "height": published.result.height,
              "revoked": [str(x) for x in published.revoked]},
          f"Certificate {c.serial} published (block {published.result.height}), valid until {c.not_after:%Y-%m-%d}; "
          "its key is stored encrypted in the wallet.")
    return 0


# ---- registration --------------------------------------------------------------------------------------


def _common(p: argparse.ArgumentParser, *, signs: bool = True) -> None:
    p.add_argument("--network", choices=NETWORKS, help="default: the network chosen in the app's settings")
    p.add_argument("--node", help="REST endpoint to use instead of the network's (e.g. http://127.0.0.1:26617)")
    p.add_argument("--wallet", help="keystore wallet (`python -m app keys list`)")
    p.add_argument("--account", type=int, default=0, help="account position in the wallet (default 0)")
    if not signs:
        p.add_argument("--address", help="read-only: look at this address instead of a wallet account")
    else:
        p.add_argument("--password-stdin", action="store_true", help="read the wallet password from the first stdin line")
        p.add_argument("--yes", action="store_true", help="sign without asking (the transaction is still printed)")
    p.add_argument("--json", action="store_true", help="print JSON (progress goes to stderr)")
    p.set_defaults(**({"address": None} if signs else {"yes": False, "password_stdin": False}))
    if not any(a.dest == "mtls" for a in p._actions):
        p.set_defaults(mtls=False)


def _filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--audited", action="store_true", help="only providers audited by someone")
    p.add_argument("--region", action="append", help="only these regions (repeatable)")
    p.add_argument("--gpu", action="append", help="only providers with this GPU model (e.g. a100; repeatable)")
    p.add_argument("--max-month", help="at most this many ACT per month")
    p.add_argument("--favourites", action="store_true", help="only favourite providers (settings)")
    p.add_argument("--exclude", action="append", help="never this provider address (repeatable)")
    p.add_argument("--sort", default="price", help="price, provider, region, time_left, audited, online, history")


def _mtls(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mtls", action="store_true", help="authenticate with the published client certificate "
                                                       "instead of a signed token (JWT)")


def register(sub: argparse._SubParsersAction) -> None:
    """Top-level commands: deploy, bids, lease, status, resend-manifest, logs, events, deposit, update, close,
    deployments, certs."""
    _register_market(sub)
    _register_leases(sub)
    _register_changes(sub)


def _register_market(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deploy", help="create a deployment from an SDL file (preflight, then sign)")
    p.add_argument("sdl", help="SDL file (- for stdin)")
    p.add_argument("--deposit", type=_act, help="ACT to deposit (default: the chain's minimum)")
    p.add_argument("--source", choices=("auto", "balance", "grant"), default="auto", help="where the deposit comes from")
    p.add_argument("--mint", action="store_true", help="mint the missing ACT from AKT first when needed")
    p.add_argument("--name", help="a name for the local record")
    p.add_argument("--auto-accept", action="store_true", help="wait for bids and lease the cheapest per group")
    p.add_argument("--bid-timeout", type=float, default=120.0, help="seconds to wait for bids with --auto-accept")
    _filter_options(p)
    _mtls(p)
    _common(p)
    p.set_defaults(func=cmd_deploy)

    p = sub.add_parser("bids", help="the bids of a deployment, compared (and why there are none)")
    p.add_argument("dseq", type=_dseq)
    p.add_argument("--watch", action="store_true", help="keep polling while the orders are open")
    p.add_argument("--timeout", type=float, default=330.0, help="seconds to watch (default 5.5 min)")
    p.add_argument("--why", action="store_true", help="explain, for each provider, why it did not bid")
    _filter_options(p)
    _common(p, signs=False)
    p.set_defaults(func=cmd_bids)

    p = sub.add_parser("lease", help="accept bids, send the manifest, show the lease status")
    p.add_argument("dseq", type=_dseq)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--provider", help="accept this provider's bids (address or name)")
    who.add_argument("--cheapest", action="store_true", help="accept the cheapest bid per group passing the filters")
    _filter_options(p)
    _mtls(p)
    _common(p)
    p.set_defaults(func=cmd_lease)


def _register_leases(sub: argparse._SubParsersAction) -> None:
    for name, func, text in (("status", cmd_status, "a deployment: escrow, runway, leases, URIs, ports"),
                             ("resend-manifest", cmd_resend, "send the manifest again to every lease's provider")):
        p = sub.add_parser(name, help=text)
        p.add_argument("dseq", type=_dseq)
        if name == "resend-manifest":
            p.add_argument("--manifest", help="send this manifest JSON file instead of the recorded one")
        _mtls(p)
        _common(p)
        p.set_defaults(func=func)

    for name, func in (("logs", cmd_logs), ("events", cmd_events)):
        p = sub.add_parser(name, help=f"{name} of a deployment's leases (reconnects by itself)")
        p.add_argument("dseq", type=_dseq)
        p.add_argument("--follow", "-f", action="store_true", help="keep streaming")
        if name == "logs":
            p.add_argument("--tail", type=int, default=100, help="last lines per pod to start with (-1: all)")
        p.add_argument("--service", action="append", help="only this service (repeatable)")
        p.add_argument("--provider", help="only the lease with this provider")
        p.add_argument("--save", help="also append the lines to this file")
        _mtls(p)
        _common(p)
        p.set_defaults(func=func)


def _register_changes(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deposit", help="add ACT to a deployment's escrow")
    p.add_argument("dseq", type=_dseq)
    p.add_argument("amount", type=_act, help="ACT, e.g. 5")
    p.add_argument("--source", choices=("auto", "balance", "grant"), default="auto")
    _common(p)
    p.set_defaults(func=cmd_deposit)

    p = sub.add_parser("update", help="update a deployment to a new SDL (same resources) and resend the manifest")
    p.add_argument("dseq", type=_dseq)
    p.add_argument("sdl")
    _mtls(p)
    _common(p)
    p.set_defaults(func=cmd_update)

    p = sub.add_parser("close", help="close a deployment (its leases stop; the escrow left comes back)")
    p.add_argument("dseq", type=_dseq)
    _common(p)
    p.set_defaults(func=cmd_close)

    p = sub.add_parser("deployments", help="the account's deployments: status, cost, escrow, runway, providers")
    p.add_argument("--all", action="store_true", help="closed ones too")
    _common(p, signs=False)
    p.set_defaults(func=cmd_deployments)

    p = sub.add_parser("certs", help="mTLS client certificates: list, create (and publish), revoke, regenerate")
    cs = p.add_subparsers(dest="certs_command", required=True)
    for name, text in (("list", "local and on-chain certificates with their status"),
                       ("create", "create one, store its key encrypted, publish it"),
                       ("revoke", "revoke certificates on chain (and forget their keys here)"),
                       ("regenerate", "revoke every valid one and publish a new one, in one transaction")):
        c = cs.add_parser(name, help=text)
        if name == "revoke":
            c.add_argument("serial", nargs="+", type=int)
        _common(c)
        c.set_defaults(func=cmd_certs)

