"""`python -m app tx ...`: offline signing in the oracle's request format, and decoding tx bytes."""

from __future__ import annotations

import argparse
import base64
import binascii
import sys

from app.cli import CliError, print_json, read_input
from app.tx import jsvalue
from app.tx.decode import TxDecodeError, decode_tx
from app.tx.signrequest import RequestError, parse_request, report, sign_request, signer_from_mnemonic


def register(sub: argparse._SubParsersAction) -> None:
    tx = sub.add_parser("tx", help="sign and decode transactions offline")
    cmds = tx.add_subparsers(dest="tx_command", required=True)

    sign = cmds.add_parser("sign", help="sign a request (the oracle's signtx.mjs format) and print the tx")
    sign.add_argument("request", nargs="?", default="-", help="request JSON file, or - for stdin (default)")
    sign.add_argument("--wallet", help="sign with this keystore wallet instead of a mnemonic in the request")
    sign.add_argument("--account", default="0", help="account of --wallet: display name or position (default 0)")
    sign.add_argument("--password-stdin", action="store_true",
                      help="read the wallet password from the first stdin line (the request must then be a file)")
    sign.set_defaults(func=cmd_sign)

    dec = cmds.add_parser("decode", help="decode base64 tx bytes into readable JSON")
    dec.add_argument("tx", nargs="?", default="-", help="base64 TxRaw bytes, or - for stdin (default)")
    dec.set_defaults(func=cmd_decode)

    types = cmds.add_parser("types", help="list the message type URLs `tx sign` accepts")
    types.set_defaults(func=cmd_types)


def _wallet_signer(args: argparse.Namespace):
    from app.cli.keys import ask_password
    from app.wallet.errors import KeystoreError
    from app.wallet.keystore import Keystore

    password = ask_password(f"Password for wallet '{args.wallet}': ", password_stdin=args.password_stdin)
    account: str | int = int(args.account) if args.account.isdigit() else args.account
    try:
        wallet = Keystore().unlock(args.wallet, password)
        return wallet, wallet.signer(account)
    except KeystoreError as exc:
        raise CliError(str(exc), field="wallet") from None


def cmd_sign(args: argparse.Namespace) -> int:
    if args.wallet and args.password_stdin and args.request in (None, "-"):
        raise CliError("with --password-stdin the request must be a file (stdin carries the password)")
    text = read_input(args.request)
    try:
        data = jsvalue.loads(text)
    except ValueError as exc:
        raise CliError(f"the request is not valid JSON: {exc}", field="request") from None
    wallet = None
    try:
        if args.wallet:
            if isinstance(data, dict) and data.get("mnemonic"):
                raise CliError('give either --wallet or a "mnemonic" in the request, not both', field="mnemonic")
            req = parse_request(data, need_mnemonic=False)
            wallet, signer = _wallet_signer(args)
        else:
            req = parse_request(data)
            signer = signer_from_mnemonic(req)
        signed = sign_request(req, signer)
        from app.wallet.address import address_from_pubkey

        out = report(req, signed, signer, address_from_pubkey)
        if args.wallet:
            out["hd_path"] = None  # the keystore account decides the path
            out["wallet"] = args.wallet
    except RequestError as exc:
        raise CliError(str(exc), field=_field_of(str(exc))) from None
    finally:
        if wallet is not None:
            wallet.lock()
    print_json(out)
    return 0


def _field_of(message: str) -> str | None:
    head = message.split(":", 1)[0].split(" ", 1)[0].strip('"')
    return head or None


def cmd_decode(args: argparse.Namespace) -> int:
    text = (sys.stdin.read() if args.tx in (None, "-") else args.tx).strip()
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CliError("the transaction must be base64 (as tx_bytes_b64 / the broadcast body)", field="tx") from None
    try:
        print_json(decode_tx(raw).to_dict())
    except TxDecodeError as exc:
        raise CliError(str(exc), field="tx") from None
    return 0


def cmd_types(args: argparse.Namespace) -> int:
    from app.tx.flavors import flavor_for
    from app.tx.oracle_registry import oracle_type_urls

    print_json([{"typeUrl": u, "library": flavor_for(u).source} for u in sorted(oracle_type_urls())])
    return 0
