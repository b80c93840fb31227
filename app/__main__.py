"""Headless CLI: `python -m app <group> <command> ...` (keys, tx, sdl, tenant and holder flows). Never imports Qt."""

from __future__ import annotations

import argparse
import importlib
import sys

from app.cli import GROUPS, CliError, print_json


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Akash Desk headless commands")
    sub = parser.add_subparsers(dest="group", required=True)
    for name in GROUPS:
        try:
            module = importlib.import_module(f"app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"app.cli.{name}":
                continue  # that command group is not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        err = {"error": str(exc)}
        if exc.field:
            err["field"] = exc.field
        print_json(err)
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
