"""`python -m app sdl manifest|check FILE`: GroupSpecs, manifest and version hash; a person-readable check."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation

from app.cli import CliError, print_json
from app.sdl import MAX_SDL_BYTES, Sdl, SdlError, SdlValidationError, parse_sdl
from app.sdl.chain_rules import DEFAULT_AKT_PRICE_USD, check_chain_rules
from app.sdl.cost import (
    DEFAULT_BLOCK_TIME_S,
    DEFAULT_DEPOSIT_DAYS,
    DEFAULT_MIN_DEPOSIT_UACT,
    estimate_cost,
    format_amount,
    suggest_deposit_uact,
)
from app.sdl.model import NETWORKS, ResourceRequest
from app.units import plain_decimal


def register(sub: argparse._SubParsersAction) -> None:
    sdl = sub.add_parser("sdl", help="parse and check SDL files (deploy.yaml)")
    cmds = sdl.add_subparsers(dest="sdl_command", required=True)

    manifest = cmds.add_parser("manifest", help="print GroupSpecs, the manifest JSON and its version hash")
    _common(manifest)
    manifest.set_defaults(func=cmd_manifest)

    check = cmds.add_parser("check", help="check an SDL for the chain and show what it requests and costs")
    _common(check)
    check.add_argument("--akt-price", type=_decimal, default=None,
                       help="AKT price in USD, for AKT amounts and uakt->uact conversions")
    check.add_argument("--block-time", type=_decimal, default=DEFAULT_BLOCK_TIME_S,
                       help=f"seconds per block (default {DEFAULT_BLOCK_TIME_S})")
    check.add_argument("--days", type=_decimal, default=Decimal(DEFAULT_DEPOSIT_DAYS),
                       help=f"days the suggested deposit should last (default {DEFAULT_DEPOSIT_DAYS})")
    check.add_argument("--min-deposit", type=int, default=DEFAULT_MIN_DEPOSIT_UACT,
                       help=f"chain minimum deposit in uact (default {DEFAULT_MIN_DEPOSIT_UACT})")
    check.set_defaults(func=cmd_check)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="SDL file, or - for stdin")
    parser.add_argument("--network", choices=NETWORKS, default="mainnet")
    parser.add_argument("--allow-reclamation", action="store_true",
                        help="accept a top-level `reclamation: {min_window}` section (chain v2.1.0+)")


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number: {text!r}")
    return value


def _read(path: str) -> bytes:
    """The file's bytes, never more than the SDL size limit plus one (so a huge file is refused fast)."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_SDL_BYTES + 1)
    try:
        with open(path, "rb") as fh:  # noqa: PTH123
            return fh.read(MAX_SDL_BYTES + 1)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from exc


def _parse(args: argparse.Namespace) -> Sdl:
    return parse_sdl(_read(args.file), network=args.network, allow_reclamation=args.allow_reclamation)


def cmd_manifest(args: argparse.Namespace) -> int:
    try:
        sdl = _parse(args)
    except SdlValidationError as exc:
        print_json(exc.to_dict())
        return 1
    print_json({
        "groups_proto_hex": sdl.groups_proto_hex(),
        "manifest_sorted_json": sdl.manifest_sorted_json(),
        "version_hex": sdl.version().hex(),
        "groups": sdl.groups_json(),
    })
    return 0


def _print_errors(name: str, errors: list[SdlError], kind: str = "") -> None:
    for err in errors:
        where = f"{name}:{err.line}:{err.column}" if err.line else name
        print(f"{where}: {kind}{err.message}")


def cmd_check(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    try:
        sdl = _parse(args)
    except SdlValidationError as exc:
        _print_errors(name, exc.errors)
        return 1
    problems = check_chain_rules(sdl, akt_price_usd=args.akt_price or DEFAULT_AKT_PRICE_USD)
    _print_errors(name, sdl.warnings, "warning: ")
    if problems:
        _print_errors(name, problems)
        return 1
    print(_summary(name, sdl, args))
    return 0


def _resources(unit: ResourceRequest) -> str:
    parts = [f"{plain_decimal(unit.cpu_millis / 1000)} CPU", f"{_bytes(unit.memory_bytes)} memory"]
    for volume in unit.storage:
        kind = f", {volume.storage_class}" if volume.storage_class else ""
        kind += ", persistent" if volume.persistent else ""
        parts.append(f"{_bytes(volume.size_bytes)} storage `{volume.name}`{kind}")
    if unit.gpu_units:
        models = ", ".join(unit.gpu_models) or "any"
        parts.append(f"{plain_decimal(unit.gpu_units)} GPU ({models})")
    return ", ".join(parts)


def _bytes(n: Decimal) -> str:
    if n.is_finite():
        for unit, size in (("Ti", 1024**4), ("Gi", 1024**3), ("Mi", 1024**2), ("Ki", 1024)):
            if n >= size:
                return f"{plain_decimal(round(n / size, 2))}{unit}"
    return f"{plain_decimal(n)}B"


def _summary(name: str, sdl: Sdl, args: argparse.Namespace) -> str:
    cost = estimate_cost(sdl, block_time_s=args.block_time, akt_price_usd=args.akt_price)
    groups = sdl.placements
    lines = [f"{name}: valid SDL {sdl.version_string}, {len(groups)} group{'s' * (len(groups) != 1)}, "
             f"version {sdl.version().hex()}"]
    for gseq, group in enumerate(groups, 1):
        lines.append("")
        lines.append(f"group {group.name} (gseq {gseq})")
        needs = [f"{k}={v}" for k, v in group.attributes]
        if group.signed_by_any_of:
            needs.append("audited by any of " + ", ".join(group.signed_by_any_of))
        if group.signed_by_all_of:
            needs.append("audited by all of " + ", ".join(group.signed_by_all_of))
        lines.append(f"  provider must have: {'; '.join(needs) if needs else 'nothing special'}")
        for unit in group.resources:
            lines.append(f"  {' + '.join(unit.services)} x{unit.count}: {_resources(unit)}; "
                         f"{plain_decimal(unit.price_amount)} {unit.price_denom}/block each")
        for g in cost.groups:
            if g.name == group.name:
                usd_h = g.rate.usd(g.rate.per_hour, args.akt_price)
                usd_m = g.rate.usd(g.rate.per_month, args.akt_price)
                lines.append(f"  cost: {format_amount(usd_h, 4)} ACT/hour, {format_amount(usd_m)} ACT/month "
                             f"({plain_decimal(g.rate.per_block)} {g.rate.denom}/block)")
    lines.append("")
    per_month = cost.usd_per_month
    akt = cost.akt(per_month)
    akt_text = f"; {format_amount(akt)} AKT/month at {plain_decimal(args.akt_price)} USD/AKT" if akt is not None else ""
    lines.append(f"total: {format_amount(cost.usd_per_hour, 4)} ACT/hour, {format_amount(cost.usd_per_day)} ACT/day, "
                 f"{format_amount(per_month)} ACT/month (1 ACT = 1 USD; {plain_decimal(args.block_time)} s blocks, "
                 f"30.437-day month){akt_text}")
    try:
        deposit = suggest_deposit_uact(cost, days=args.days, min_deposit_uact=args.min_deposit)
        lines.append(f"suggested deposit: {format_amount(Decimal(deposit) / 1_000_000)} ACT for {plain_decimal(args.days)} "
                     f"days (never below the chain minimum of {format_amount(Decimal(args.min_deposit) / 1_000_000)} "
                     "ACT)")
    except ValueError as exc:
        lines.append(f"suggested deposit: unknown ({exc}; pass --akt-price)")
    if sdl.reclamation_min_window is not None:
        lines.append(f"reclamation window: at least {sdl.reclamation_min_window}")
    return "\n".join(lines)
