"""`python -m app keys ...`: derive addresses, and manage the encrypted keystore without the GUI.

Passwords come from the terminal (getpass) or, for scripts, from the first line of stdin with
--password-stdin; never from argv or the environment (both are visible to other processes).
"""

from __future__ import annotations

import argparse
import base64
import functools
import getpass
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from app.cli import CliError, print_json, read_input
from app.config import BECH32_PREFIX, VALOPER_PREFIX
from app.wallet.accounts import AccountInfo, WalletInfo
from app.wallet.address import AddressError
from app.wallet.errors import KeystoreError
from app.wallet.hd import derive_private_key, hd_path
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import MnemonicError, generate_mnemonic, validate_mnemonic
from app.wallet.signer import Signer

_DERIVE_FIELDS = ("mnemonic", "account", "index", "bip39_password", "prefix")


def _user_errors(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Keystore, mnemonic and address errors become CliError (a message, exit 1), never a traceback."""

    @functools.wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (KeystoreError, MnemonicError, AddressError) as exc:
            raise CliError(str(exc)) from None

    return wrapper


# ---- secrets from the user ----------------------------------------------------------------------------


def _terminal_available() -> bool:
    if os.name == "nt":
        return True
    try:
        os.close(os.open("/dev/tty", os.O_RDONLY))
    except OSError:
        return False
    return True


def _stdin_line(what: str) -> str:
    line = sys.stdin.readline()
    if not line:
        raise CliError(f"--password-stdin: stdin ended before the {what}", field=what.replace(" ", "_"))
    return line.rstrip("\r\n")


def ask_password(prompt: str, *, password_stdin: bool, confirm: bool = False) -> str:
    """A password from the terminal (hidden), or the next stdin line with --password-stdin.

    Public so that other command groups (tx sign --wallet) ask the same way.
    """
    if password_stdin:
        return _stdin_line("password")
    if not _terminal_available():
        raise CliError(
            "no terminal to ask for the password on; pass it with --password-stdin", field="password"
        )
    password = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat the password: ") != password:
        raise CliError("the two passwords differ; nothing was saved", field="password")
    return password


def _ask_mnemonic(password_stdin: bool) -> str:
    """The phrase: rest of stdin when it is piped (or after the password line), else a hidden prompt."""
    if password_stdin or not sys.stdin.isatty():
        return sys.stdin.read()
    return getpass.getpass("Recovery phrase (input hidden): ")


def _ask_bip39_passphrase(args: argparse.Namespace) -> str:
    if not args.bip39_passphrase:
        return ""
    if args.password_stdin:
        return _stdin_line("bip39 passphrase")
    passphrase = getpass.getpass("BIP39 passphrase (the '25th word'): ")
    if getpass.getpass("Repeat the BIP39 passphrase: ") != passphrase:
        raise CliError("the two passphrases differ; nothing was saved", field="bip39_passphrase")
    return passphrase


# ---- output shapes ------------------------------------------------------------------------------------


def _account_json(a: AccountInfo) -> dict[str, Any]:
    return {
        "name": a.name,
        "account": a.account,
        "index": a.index,
        "hd_path": a.hd_path,
        "address": a.address,
    }


def _wallet_json(w: WalletInfo) -> dict[str, Any]:
    return {"name": w.name, "watch_only": w.watch_only, "accounts": [_account_json(a) for a in w.accounts]}


# ---- keys derive --------------------------------------------------------------------------------------


def _uint31(request: dict[str, Any], field: str) -> int:
    value = request.get(field, 0)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
        raise CliError(f"'{field}' must be a whole number from 0 to 2147483647", field=field)
    return value


def _parse_derive_request(text: str) -> tuple[str, int, int, str, str]:
    try:
        request = json.loads(text)
    except ValueError as exc:
        raise CliError(f"the input is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(request, dict):
        raise CliError("the input must be a JSON object with 'mnemonic', 'account' and 'index'")
    unknown = sorted(set(request) - set(_DERIVE_FIELDS))
    if unknown:
        raise CliError(f"unknown field '{unknown[0]}' (known: {', '.join(_DERIVE_FIELDS)})", field=unknown[0])
    mnemonic = request.get("mnemonic")
    if not isinstance(mnemonic, str):
        raise CliError("'mnemonic' is missing or not text", field="mnemonic")
    try:
        mnemonic = validate_mnemonic(mnemonic)
    except MnemonicError as exc:
        raise CliError(f"'mnemonic': {exc}", field="mnemonic") from None
    passphrase = request.get("bip39_password", "")
    if not isinstance(passphrase, str):
        raise CliError("'bip39_password' must be text", field="bip39_password")
    prefix = request.get("prefix", BECH32_PREFIX)
    if prefix not in (BECH32_PREFIX, VALOPER_PREFIX):
        raise CliError(f"'prefix' must be '{BECH32_PREFIX}' or '{VALOPER_PREFIX}'", field="prefix")
    return mnemonic, _uint31(request, "account"), _uint31(request, "index"), passphrase, prefix


def cmd_derive(args: argparse.Namespace) -> int:
    mnemonic, account, index, passphrase, prefix = _parse_derive_request(read_input(args.file))
    signer = Signer(derive_private_key(mnemonic, account, index, passphrase), prefix=prefix)
    out = {
        "address": signer.address,
        "pubkey_b64": base64.b64encode(signer.public_key).decode("ascii"),
        "pubkey_hex": signer.public_key.hex(),
        "hd_path": hd_path(account, index),
    }
    signer.forget()
    print_json(out)
    return 0


# ---- keystore commands --------------------------------------------------------------------------------


@_user_errors
def cmd_list(args: argparse.Namespace) -> int:
    ks = Keystore()
    out: dict[str, Any] = {"wallets": [_wallet_json(w) for w in ks.list_wallets()]}
    damaged = ks.damaged_files()
    if damaged:
        out["damaged"] = [{"file": str(e.path), "reason": e.reason} for e in damaged]
    print_json(out)
    return 0


@_user_errors
def cmd_show(args: argparse.Namespace) -> int:
    ks = Keystore()
    out = _wallet_json(ks.info(args.name))
    kdf = ks.kdf_params(args.name)
    out["file"] = str(ks.path_for(args.name))
    out["encryption"] = None if kdf is None else f"AES-256-GCM, key from {kdf.describe()}"
    print_json(out)
    return 0


def _accounts_arg(args: argparse.Namespace) -> tuple[tuple[str, int, int], ...]:
    return ((args.label or "Account 1", args.account, args.index),)


@_user_errors
def cmd_create(args: argparse.Namespace) -> int:
    ks = Keystore()
    if ks.exists(args.name):
        raise CliError(f"a wallet named '{args.name}' already exists; choose another name")
    mnemonic = generate_mnemonic(args.words)
    password = ask_password(
        f"New password for wallet '{args.name}': ", password_stdin=args.password_stdin, confirm=True
    )
    passphrase = _ask_bip39_passphrase(args)
    info = ks.create(args.name, mnemonic, password, passphrase=passphrase, accounts=_accounts_arg(args))
    print(
        "Write these words down, in order, and keep them offline. They are shown once; anyone who has them "
        "controls the funds.",
        file=sys.stderr,
    )
    print_json({**_wallet_json(info), "mnemonic": mnemonic})
    return 0


@_user_errors
def cmd_import(args: argparse.Namespace) -> int:
    ks = Keystore()
    if ks.exists(args.name):
        raise CliError(f"a wallet named '{args.name}' already exists; choose another name")
    if args.password_stdin:
        password = _stdin_line("password")
        passphrase = _ask_bip39_passphrase(args)
        mnemonic = _ask_mnemonic(True)
    else:
        mnemonic = _ask_mnemonic(False)
        validate_mnemonic(mnemonic)  # say what is wrong before asking for a password
        password = ask_password(
            f"New password for wallet '{args.name}': ", password_stdin=False, confirm=True
        )
        passphrase = _ask_bip39_passphrase(args)
    info = ks.create(args.name, mnemonic, password, passphrase=passphrase, accounts=_accounts_arg(args))
    print_json(_wallet_json(info))
    return 0


@_user_errors
def cmd_watch(args: argparse.Namespace) -> int:
    info = Keystore().create_watch_only(args.name, args.address, account_name=args.label or "Account 1")
    print_json(_wallet_json(info))
    return 0


@_user_errors
def cmd_add_account(args: argparse.Namespace) -> int:
    ks = Keystore()
    label = args.label or f"Account {len(ks.info(args.name).accounts) + 1}"
    password = ask_password(f"Password for wallet '{args.name}': ", password_stdin=args.password_stdin)
    print_json(_account_json(ks.add_account(args.name, password, label, args.account, args.index)))
    return 0


@_user_errors
def cmd_reveal(args: argparse.Namespace) -> int:
    ks = Keystore()
    ks.info(args.name)  # WalletNotFound before asking for a password
    password = ask_password(f"Password for wallet '{args.name}': ", password_stdin=args.password_stdin)
    print_json({"name": args.name, "mnemonic": ks.reveal_mnemonic(args.name, password)})
    return 0


@_user_errors
def cmd_delete(args: argparse.Namespace) -> int:
    if not args.yes:
        raise CliError("deleting a wallet cannot be undone; add --yes if the recovery phrase is backed up")
    Keystore().delete(args.name)
    print_json({"deleted": args.name})
    return 0


# ---- argparse -----------------------------------------------------------------------------------------


def _nonneg(text: str) -> int:
    if not text.isdigit() or int(text) >= 2**31:
        raise argparse.ArgumentTypeError("must be a whole number from 0 to 2147483647")
    return int(text)


def _path_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--account", type=_nonneg, default=0, help="HD account (m/44'/118'/ACCOUNT'/0/i), default 0"
    )
    p.add_argument("--index", type=_nonneg, default=0, help="address index, default 0")
    p.add_argument("--label", help="account display name")


def _secret_options(p: argparse.ArgumentParser, passphrase: bool = False) -> None:
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (for scripts)",
    )
    if passphrase:
        p.add_argument(
            "--bip39-passphrase",
            action="store_true",
            help="also ask for a BIP39 passphrase (with --password-stdin: the second line of stdin)",
        )


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser("keys", help="addresses and the encrypted keystore")
    sub = keys.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "derive", help='stdin {"mnemonic","account","index","bip39_password"?} -> address, pubkey'
    )
    p.add_argument("file", nargs="?", help="JSON request file (default: stdin)")
    p.set_defaults(func=cmd_derive)

    sub.add_parser("list", help="wallets and their accounts").set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="one wallet: accounts, addresses, file, encryption")
    p.add_argument("name")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("create", help="new wallet with a new recovery phrase (printed once)")
    p.add_argument("name")
    p.add_argument("--words", type=int, choices=(12, 24), default=24)
    _path_options(p)
    _secret_options(p, passphrase=True)
    p.set_defaults(func=cmd_create)

    p = sub.add_parser("import", help="wallet from an existing recovery phrase (stdin, or a hidden prompt)")
    p.add_argument("name")
    _path_options(p)
    _secret_options(p, passphrase=True)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("watch", help="watch-only wallet for an address (no keys, no password)")
    p.add_argument("name")
    p.add_argument("address")
    p.add_argument("--label", help="account display name")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("add-account", help="derive one more account into a wallet")
    p.add_argument("name")
    _path_options(p)
    _secret_options(p)
    p.set_defaults(func=cmd_add_account)

    p = sub.add_parser("reveal", help="print a wallet's recovery phrase (after the password)")
    p.add_argument("name")
    _secret_options(p)
    p.set_defaults(func=cmd_reveal)

    p = sub.add_parser("delete", help="delete a wallet file")
    p.add_argument("name")
    p.add_argument("--yes", action="store_true", help="confirm: the recovery phrase is backed up")
    p.set_defaults(func=cmd_delete)
