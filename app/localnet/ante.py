"""Tx decoding and the ante chain of a Cosmos SDK 0.53 node: size gas, fees, pubkeys, sequences, signatures."""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from google.protobuf.message import DecodeError, Message

from app.config import DENOM_AKT, MIN_GAS_PRICE_UAKT
from app.localnet.errors import TxError, sdk_error
from app.proto import registry
from app.proto.gen.cosmos.base.abci.v1beta1 import abci_pb2
from app.proto.gen.cosmos.crypto.secp256k1 import keys_pb2
from app.proto.gen.cosmos.tx.signing.v1beta1 import signing_pb2
from app.proto.gen.cosmos.tx.v1beta1 import tx_pb2
from app.wallet.address import AddressError, address_from_pubkey, validate_address
from app.wallet.signer import verify_signature

if TYPE_CHECKING:
    from app.localnet.module import Ctx, MsgHandler

# x/auth default params (auth.DefaultParams).
MAX_MEMO_CHARACTERS = 256
TX_SIG_LIMIT = 7
TX_SIZE_COST_PER_BYTE = 10
SIG_VERIFY_COST_SECP256K1 = 1000
# Bytes of an amino StdSignature with a secp256k1 key, charged per missing signature in simulate mode.
SIMULATED_SIGNATURE_BYTES = 109
MIN_GAS_PRICE = Decimal(MIN_GAS_PRICE_UAKT)
SECP256K1_PUBKEY_URL = "/cosmos.crypto.secp256k1.PubKey"


@dataclass
class DecodedTx:
    """A TxRaw taken apart, with every message decoded."""

    raw: bytes
    body_bytes: bytes
    auth_info_bytes: bytes
    body: Any
    auth_info: Any
    signatures: list[bytes]
    msgs: list[tuple[str, Message]] = field(default_factory=list)

    @property
    def gas_limit(self) -> int:
        return int(self.auth_info.fee.gas_limit)

    @property
    def fee(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.auth_info.fee.amount:
            out[c.denom] = out.get(c.denom, 0) + int(c.amount or 0)
        return out


def decode_tx(raw: bytes) -> DecodedTx:
    """TxRaw -> body, auth info, messages; anything malformed is code 2 "tx parse error"."""
    try:
        txraw = tx_pb2.TxRaw.FromString(raw)
        body = tx_pb2.TxBody.FromString(txraw.body_bytes)
        auth_info = tx_pb2.AuthInfo.FromString(txraw.auth_info_bytes)
    except DecodeError as exc:
        raise sdk_error(2, str(exc) or "invalid protobuf") from None
    if not raw or not txraw.body_bytes:
        raise sdk_error(2, "empty tx")
    tx = DecodedTx(raw, txraw.body_bytes, txraw.auth_info_bytes, body, auth_info, list(txraw.signatures))
    for any_msg in body.messages:
        try:
            tx.msgs.append((any_msg.type_url, registry.unpack_any(any_msg)))
        except registry.UnknownTypeUrl:
            raise sdk_error(2, f"unable to resolve type URL {any_msg.type_url}") from None
        except ValueError as exc:
            raise sdk_error(2, str(exc)) from None
    for c in auth_info.fee.amount:
        if not c.amount.isdigit():
            raise sdk_error(10, f"invalid fee amount {c.amount!r}")
    return tx


def coins_str(coins: dict[str, int]) -> str:
    """sdk.Coins.String(): "5000uakt,10uact"."""
    return ",".join(f"{a}{d}" for d, a in sorted(coins.items()) if a)


def tx_signers(tx: DecodedTx, router: dict[str, MsgHandler]) -> list[str]:
    signers: list[str] = []
    for url, msg in tx.msgs:
        for s in router[url].signers(msg):
            if s not in signers:
                signers.append(s)
    return signers


def validate_basic(tx: DecodedTx, router: dict[str, MsgHandler]) -> list[str]:
    """Stateless checks (baseapp.validateBasicTxMsgs + tx.ValidateBasic); returns the signers."""
    if not tx.msgs:
        raise sdk_error(18, "must contain at least one message")
    for url, msg in tx.msgs:
        handler = router.get(url)
        if handler is None:
            raise sdk_error(6, f"unrecognized message type: {url}; the local node does not handle it")
        if handler.validate is not None:
            handler.validate(msg)
    if tx.body.extension_options:
        raise TxError("sdk", 31, "unknown extension options")
    try:
        signers = tx_signers(tx, router)
        for s in signers:
            validate_address(s)
    except AddressError as exc:
        raise sdk_error(7, f"invalid signer address: {exc}") from None
    if not tx.signatures:
        raise sdk_error(15)
    if len(tx.signatures) != len(signers):
        raise sdk_error(4, f"wrong number of signers; expected {len(signers)}, got {len(tx.signatures)}")
    if len(tx.auth_info.signer_infos) != len(signers):
        raise sdk_error(4, f"invalid number of signer infos; expected {len(signers)}, got "
                        f"{len(tx.auth_info.signer_infos)}")
    return signers


def run_ante(ctx: Ctx, tx: DecodedTx, mode: str, router: dict[str, MsgHandler]) -> None:
    """The default ante handler chain, in the SDK's order. Raises TxError / OutOfGas."""
    signers = validate_basic(tx, router)
    simulate = mode == "simulate"
    if tx.body.timeout_height and ctx.height > tx.body.timeout_height:
        raise sdk_error(30, f"block height: {ctx.height}, timeout height: {tx.body.timeout_height}")
    if len(tx.body.memo) > MAX_MEMO_CHARACTERS:
        raise sdk_error(12, f"maximum number of characters is {MAX_MEMO_CHARACTERS} but received "
                        f"{len(tx.body.memo)} characters")
    size = len(tx.raw)
    if simulate:
        size += SIMULATED_SIGNATURE_BYTES * sum(1 for s in tx.signatures if not s)
    ctx.consume_gas(TX_SIZE_COST_PER_BYTE * size, "txSize")
    _deduct_fee(ctx, tx, signers, mode)
    auth = ctx.module("auth")
    accounts = []
    for i, signer in enumerate(signers):
        acc = auth.get_account(ctx.kv, signer)
        if acc is None:
            raise sdk_error(9, f"account {signer} does not exist")
        pubkey = _signer_pubkey(tx, i, signer, acc, simulate)
        if pubkey is not None and not acc.get("pub_key"):
            acc["pub_key"] = base64.b64encode(pubkey).decode()
            auth.set_account(ctx.kv, acc)
        accounts.append((acc, pubkey))
    for i, signer in enumerate(signers):
        acc, _ = accounts[i]
        ctx.emit("tx", ("acc_seq", f"{signer}/{acc['sequence']}"))
    for i in range(len(signers)):
        ctx.emit("tx", ("signature", base64.b64encode(tx.signatures[i]).decode()))
    for i, signer in enumerate(signers):
        acc, pubkey = accounts[i]
        ctx.consume_gas(SIG_VERIFY_COST_SECP256K1, "ante verify: secp256k1")
        _verify(ctx, tx, i, acc, pubkey, simulate)
        acc = auth.get_account(ctx.kv, signer)
        acc["sequence"] = int(acc["sequence"]) + 1
        auth.set_account(ctx.kv, acc)


def _deduct_fee(ctx: Ctx, tx: DecodedTx, signers: list[str], mode: str) -> None:
    fee = tx.fee
    if mode == "check":
        required = math.ceil(MIN_GAS_PRICE * tx.gas_limit)
        if required > 0 and fee.get(DENOM_AKT, 0) < required:
            raise sdk_error(13, f"insufficient fees; got: {coins_str(fee)} required: {required}{DENOM_AKT}")
    fee_info = tx.auth_info.fee
    if fee_info.granter:
        raise sdk_error(18, "fee grants are not supported by the local node")
    payer = fee_info.payer or signers[0]
    if ctx.module("auth").get_account(ctx.kv, payer) is None:
        raise sdk_error(9, f"fee payer address: {payer} does not exist")
    if not any(fee.values()) and mode == "simulate":
        _charge_simulated_fee(ctx, payer)
    if any(fee.values()):
        bank = ctx.module("bank")
        try:
            bank.send_to_module(ctx, payer, "fee_collector", fee)
        except TxError as exc:
            raise sdk_error(5, exc.log) from None
    ctx.emit("tx", ("fee", coins_str(fee)), ("fee_payer", payer))


def _charge_simulated_fee(ctx: Ctx, payer: str) -> None:
    """Simulations usually carry no fee; charge what deducting one costs (in a discarded layer) so that
    simulated gas x 1.3 always covers delivery. The SDK skips this, and its own ratio leaves the margin."""
    from app.localnet.kv import CacheState
    from app.localnet.module import Ctx as _Ctx

    bank = ctx.module("bank")
    if bank.balance(ctx.kv, payer, DENOM_AKT) < 1:
        return
    scratch = _Ctx(ctx.chain, CacheState(ctx.kv, ctx.gas), ctx.height, ctx.time_ns, ctx.gas)
    bank.send_to_module(scratch, payer, "fee_collector", {DENOM_AKT: 1})


def _signer_pubkey(tx: DecodedTx, i: int, signer: str, acc: dict, simulate: bool) -> bytes | None:
    info = tx.auth_info.signer_infos[i]
    if info.HasField("public_key"):
        if info.public_key.type_url != SECP256K1_PUBKEY_URL:
            raise sdk_error(8, f"unsupported public key type {info.public_key.type_url}")
        try:
            pk = keys_pb2.PubKey.FromString(info.public_key.value).key
        except DecodeError:
            raise sdk_error(8, "malformed public key") from None
        if len(pk) != 33 or address_from_pubkey(pk) != signer:
            raise sdk_error(8, f"pubKey does not match signer address {signer} with signer index: {i}")
        return pk
    if acc.get("pub_key"):
        return base64.b64decode(acc["pub_key"])
    if simulate:
        return None
    raise sdk_error(8, f"pubkey on account is not set; signer {signer} must include its public key in the tx")


def _verify(ctx: Ctx, tx: DecodedTx, i: int, acc: dict, pubkey: bytes | None, simulate: bool) -> None:
    info = tx.auth_info.signer_infos[i]
    seq = int(acc["sequence"])
    if info.sequence != seq:
        raise sdk_error(32, f"account sequence mismatch, expected {seq}, got {info.sequence}")
    if simulate:
        return
    if not info.mode_info.HasField("single") or info.mode_info.single.mode != signing_pb2.SIGN_MODE_DIRECT:
        raise sdk_error(4, "only SIGN_MODE_DIRECT signatures are supported by the local node")
    account_number = int(acc["account_number"]) if ctx.height > 0 else 0
    sign_doc = tx_pb2.SignDoc(
        body_bytes=tx.body_bytes,
        auth_info_bytes=tx.auth_info_bytes,
        chain_id=ctx.chain.chain_id,
        account_number=account_number,
    ).SerializeToString()
    if pubkey is None or not verify_signature(pubkey, sign_doc, tx.signatures[i]):
        raise sdk_error(
            4,
            f"signature verification failed; please verify account number ({account_number}), "
            f"sequence ({seq}) and chain-id ({ctx.chain.chain_id})",
        )


def pack_response(url: str, response: Message | None) -> tuple[str, bytes]:
    """The Any of a Msg's response ("/cosmos.bank.v1beta1.MsgSendResponse")."""
    resp_url = url + "Response"
    if response is None:
        try:
            response = registry.message_class(resp_url)()
        except registry.UnknownTypeUrl:
            return resp_url, b""
    return resp_url, response.SerializeToString(deterministic=True)


def tx_msg_data(responses: list[tuple[str, bytes]]) -> bytes:
    data = abci_pb2.TxMsgData()
    for url, value in responses:
        data.msg_responses.add(type_url=url, value=value)
    return data.SerializeToString(deterministic=True)
