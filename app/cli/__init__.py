"""Headless command line (`python -m app ...`): one module per command group, each with register()."""

from __future__ import annotations

import json
import sys
from typing import Any

# Command-group modules, in help order. Each exposes register(subparsers) and sets `func` on its parsers;
# func(args) returns the process exit code.
GROUPS = ("keys", "tx", "sdl", "tenant", "holder")


class CliError(Exception):
    """A user-facing failure: printed as a message (and as JSON with --json), exit code 1 or 2."""

    def __init__(self, message: str, code: int = 1, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def read_input(path: str | None) -> str:
    """The text of a file argument, or stdin for '-' or no argument."""
    if path in (None, "-"):
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:  # noqa: PTH123
            return fh.read()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"{path} is not UTF-8 text") from exc
