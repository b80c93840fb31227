"""The offline signing request of the reference oracle (signtx.mjs): parse, validate, sign, report."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.tx import jsvalue as js
from app.tx.builder import SignedTx, SignerLike, auth_info_bytes, body_bytes, sign_prepared
from app.tx.jsonmsg import JsonMsg, MsgJsonError, encode_json_msg
from app.tx.validate import FieldError, check_address

UINT64_MAX = (1 << 64) - 1
MAX_SAFE = (1 << 53) - 1
LIBRARY = "akash-desk app.tx (SIGN_MODE_DIRECT; bytes as @cosmjs/stargate@0.39.0 SigningStargateClient)"
_MNEMONIC_FORMAT = re.compile(r"[a-z]+( [a-z]+)*")


class RequestError(ValueError):
    """A signing request that is refused; the message names the field."""


@dataclass(frozen=True)
class SignRequest:
    chain_id: str
    account_number: int
    sequence: int
    fee_coins: tuple[tuple[str, str], ...]  # (denom, amount) exactly as given
    gas: int
    granter: str
    payer: str
    memo: str
    timeout_height: int
    msgs: tuple[JsonMsg, ...]
    mnemonic: str | None
    account: int
    index: int
    bip39_password: str
    prefix: str


def _uint(value: Any, name: str) -> int:
    """A non-negative safe integer: a JSON number or a decimal string."""
    if js.is_number(value) and float(value).is_integer() and 0 <= value <= MAX_SAFE:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value) and int(value) <= MAX_SAFE:
        return int(value)
    raise RequestError(f'"{name}" must be a non-negative integer (got {js_repr(value)})')


def _uint64(value: Any, name: str) -> int:
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
        n = int(value)
        if n > UINT64_MAX:
            raise RequestError(f'"{name}" must be at most 18446744073709551615 (got {js_repr(value)})')
        return n
    return _uint(value, name)


def _js_type(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if js.is_number(v):
        return "number"
    return "object"


def js_repr(v: Any) -> str:
    if js.is_number(v):
        return js.number_to_string(v)
    import json

    return json.dumps(v, ensure_ascii=False)


def _fee(fee: Any) -> tuple[tuple[tuple[str, str], ...], int, str, str]:
    if not isinstance(fee, dict) or not isinstance(fee.get("amount"), list) or "gas" not in fee:
        raise RequestError('"fee" must be {"amount": [{"denom", "amount"}], "gas": "..."}')
    coins = []
    for i, c in enumerate(fee["amount"]):
        if (not isinstance(c, dict) or not isinstance(c.get("denom"), str) or not isinstance(c.get("amount"), str)
                or not re.fullmatch(r"[0-9]+", c["amount"])):
            raise RequestError(f'fee.amount[{i}] must be {{"denom": string, "amount": integer string}}: {js_repr(c)}')
        coins.append((c["denom"], c["amount"]))
    gas = _uint(fee["gas"], "fee.gas")
    parties = []
    for name in ("granter", "payer"):
        v = fee.get(name)
        if not js.truthy(v):
            parties.append("")
            continue
        if not isinstance(v, str):
            raise RequestError(f'"fee.{name}" must be an address string')
        try:
            check_address(v, f"fee.{name}")
        except FieldError as exc:
            raise RequestError(str(exc)) from None
        parties.append(v)
    return tuple(coins), gas, parties[0], parties[1]


def _string_or_default(value: Any, name: str, default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str):
        raise RequestError(f'"{name}" must be a string')
    return value


def _hd_index(value: Any, name: str) -> int:
    n = _uint(0 if value is None else value, name)
    if n >= 2**31:
        raise RequestError(f'"{name}" must be below 2147483648 (a hardened BIP32 index)')
    return n


def _prefix(value: Any) -> str:
    prefix = _string_or_default(value, "prefix", "akash").lower()
    if not prefix or len(prefix) > 51 or any(not 33 <= ord(c) <= 126 for c in prefix):
        raise RequestError('"prefix" must be a bech32 prefix such as "akash"')
    return prefix


def _msgs(msgs: Any, cosmos_types: str) -> tuple[JsonMsg, ...]:
    if not isinstance(msgs, list) or not msgs:
        raise RequestError('"msgs" must be a non-empty array')
    out = []
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or not isinstance(m.get("typeUrl"), str):
            raise RequestError(f"msgs[{i}].typeUrl (string) is required")
        value = m.get("value")
        if "value" in m and not isinstance(value, dict):
            raise RequestError(f"msgs[{i}].value must be an object")
        try:
            out.append(encode_json_msg(m["typeUrl"], value or {}, cosmos_types=cosmos_types, where=f"msgs[{i}]"))
        except MsgJsonError as exc:
            raise RequestError(str(exc)) from None
    return tuple(out)


def parse_request(data: Any, *, need_mnemonic: bool = True) -> SignRequest:
    """Validate a request object (from jsvalue.loads) the way the oracle does; RequestError names the field."""
    if not isinstance(data, dict):
        raise RequestError("input must be an object")
    mnemonic = data.get("mnemonic")
    if need_mnemonic and (not isinstance(mnemonic, str) or not mnemonic):
        raise RequestError('"mnemonic" (non-empty string) is required')
    chain_id = data.get("chain_id")
    if not isinstance(chain_id, str) or not chain_id:
        raise RequestError('"chain_id" (non-empty string) is required')
    for name in ("account_number", "sequence"):
        if name not in data:
            raise RequestError(f'"{name}" is required')
    account_number = _uint64(data["account_number"], "account_number")
    sequence = _uint64(data["sequence"], "sequence")
    coins, gas, granter, payer = _fee(data.get("fee"))
    memo = _string_or_default(data.get("memo"), "memo", "")
    timeout = data.get("timeout_height")
    timeout_height = 0
    if timeout is not None:
        text = js.to_string(timeout)
        if not re.fullmatch(r"[0-9]+", text):
            raise RequestError('"timeout_height" must be a non-negative integer')
        timeout_height = int(text)  # cosmjs wraps larger values (last 24 digits, modulo 2^64); so do we
    cosmos_types = data.get("cosmos_types", "cosmjs")
    if cosmos_types not in ("cosmjs", "chain-sdk"):
        raise RequestError(f'cosmos_types must be "cosmjs" or "chain-sdk" (got {js_repr(cosmos_types)})')
    msgs = _msgs(data.get("msgs"), cosmos_types)
    password = data.get("bip39_password")
    if password is not None and not isinstance(password, str):
        raise RequestError(f'"bip39_password": invalid passphrase type: {_js_type(password)}')
    if isinstance(password, str):
        try:
            password.encode("utf-8")
        except UnicodeEncodeError:
            raise RequestError('"bip39_password": expected well-formed Unicode string') from None
    if isinstance(mnemonic, str) and mnemonic and not _MNEMONIC_FORMAT.fullmatch(mnemonic):
        raise RequestError('"mnemonic": invalid mnemonic format (lowercase words separated by single spaces)')
    return SignRequest(
        chain_id=chain_id, account_number=account_number, sequence=sequence, fee_coins=coins, gas=gas,
        granter=granter, payer=payer, memo=memo, timeout_height=timeout_height, msgs=msgs,
        mnemonic=mnemonic if isinstance(mnemonic, str) and mnemonic else None,
        account=_hd_index(data.get("account"), "account"), index=_hd_index(data.get("index"), "index"),
        bip39_password=password or "", prefix=_prefix(data.get("prefix")),
    )


def sign_request(req: SignRequest, signer: SignerLike) -> SignedTx:
    """Sign exactly as the oracle does, writer quirks included (so the bytes are identical)."""
    body = body_bytes([m.to_any() for m in req.msgs], req.memo, req.timeout_height, cosmjs_quirks=True)
    auth = auth_info_bytes(signer.public_key, req.sequence, req.fee_coins, req.gas, req.granter, req.payer,
                           cosmjs_quirks=True)
    return sign_prepared(signer, body, auth, chain_id=req.chain_id, account_number=req.account_number,
                         cosmjs_quirks=True)


def signer_from_mnemonic(req: SignRequest) -> SignerLike:
    """The request's own key (m/44'/118'/account'/0/index); RequestError for a bad phrase."""
    from app.wallet.mnemonic import MnemonicError
    from app.wallet.signer import Signer

    if req.mnemonic is None:
        raise RequestError('"mnemonic" (non-empty string) is required')
    try:
        return Signer.from_mnemonic(req.mnemonic, req.account, req.index, req.bip39_password)
    except MnemonicError as exc:
        raise RequestError(f'"mnemonic": {exc}') from None


def report(req: SignRequest, signed: SignedTx, signer: SignerLike, address_of: Callable[[bytes, str], str]) -> dict[str, Any]:
    """The JSON the oracle prints for a signed request."""
    return {
        "tx_bytes_b64": base64.b64encode(signed.tx_bytes).decode(),
        "body_bytes_hex": signed.body_bytes.hex(),
        "auth_info_bytes_hex": signed.auth_info_bytes.hex(),
        "sign_doc_hex": signed.sign_doc_bytes.hex(),
        "signature_b64": base64.b64encode(signed.signature).decode(),
        "txhash": signed.txhash,
        "signer_address": address_of(signer.public_key, req.prefix),
        "pubkey_b64": base64.b64encode(signer.public_key).decode(),
        "hd_path": f"m/44'/118'/{req.account}'/0/{req.index}",
        "msgs": [
            {"typeUrl": m.type_url, "type_source": m.flavor.source, "value_key_style": m.key_style, "value_hex": m.value.hex()}
            for m in req.msgs
        ],
        "library": LIBRARY,
    }


def sign_json_request(data: Any, signer: SignerLike | None = None) -> dict[str, Any]:
    """Parse, sign (with the request's mnemonic unless a signer is given) and report, like `node signtx.mjs`."""
    from app.wallet.address import address_from_pubkey

    req = parse_request(data, need_mnemonic=signer is None)
    if signer is None:
        signer = signer_from_mnemonic(req)
    signed = sign_request(req, signer)
    return report(req, signed, signer, address_from_pubkey)
