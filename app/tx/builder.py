"""SIGN_MODE_DIRECT transactions: TxBody, AuthInfo, SignDoc, signature and TxRaw, byte-identical to cosmjs."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from google.protobuf import any_pb2
from google.protobuf.message import Message

from app.proto.gen.cosmos.base.v1beta1.coin_pb2 import Coin
from app.proto.gen.cosmos.crypto.secp256k1.keys_pb2 import PubKey
from app.proto.gen.cosmos.tx.signing.v1beta1.signing_pb2 import SignMode
from app.proto.gen.cosmos.tx.v1beta1 import tx_pb2
from app.proto.registry import pack_any
from app.tx.splice import Splicer, cosmjs_int64_bits, serialize_spliced

SECP256K1_PUBKEY_URL = "/cosmos.crypto.secp256k1.PubKey"
UINT64_MAX = (1 << 64) - 1


class SignerLike(Protocol):
    public_key: bytes

    def sign(self, message: bytes) -> bytes: ...


@dataclass(frozen=True)
class Fee:
    """Transaction fee: coins as (denom, amount in base units), gas limit, optional fee granter / payer."""

    amount: tuple[tuple[str, int], ...]
    gas: int
    granter: str = ""
    payer: str = ""


@dataclass(frozen=True)
class SignedTx:
    tx_bytes: bytes
    body_bytes: bytes
    auth_info_bytes: bytes
    sign_doc_bytes: bytes
    signature: bytes
    txhash: str  # uppercase hex sha256 of tx_bytes


def _as_any(msg: Message | any_pb2.Any) -> any_pb2.Any:
    return msg if isinstance(msg, any_pb2.Any) else pack_any(msg)


def _check_uint64(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= UINT64_MAX:
        raise ValueError(f"{name} must be a whole number from 0 to {UINT64_MAX}")


def body_bytes(msgs: Sequence[Message | any_pb2.Any], memo: str = "", timeout_height: int = 0, *,
               cosmjs_quirks: bool = False) -> bytes:
    """TxBody{messages, memo, timeout_height}. cosmjs_quirks reproduces the cosmjs-types writer exactly,
    including its malformed varints for values in [2^31, 2^32) (only the oracle-compatible CLI wants that)."""
    if not msgs:
        raise ValueError("a transaction needs at least one message")
    if cosmjs_quirks:  # cosmjs takes any BigInt and keeps the last 24 digits modulo 2^64
        if isinstance(timeout_height, bool) or not isinstance(timeout_height, int) or timeout_height < 0:
            raise ValueError("timeout_height must be a whole number")
        height_bits = cosmjs_int64_bits(timeout_height)
    else:
        _check_uint64("timeout_height", timeout_height)
        height_bits = timeout_height
    if not isinstance(memo, str):
        raise ValueError("the memo must be text")
    anys = [_as_any(m) for m in msgs]

    def build(sp: Splicer) -> tx_pb2.TxBody:
        if timeout_height and not height_bits:
            height = sp.explicit_zero()  # non-zero BigInt that wraps to 0: cosmjs writes an explicit 0
        else:
            height = sp.cosmjs_u64(height_bits)
        return tx_pb2.TxBody(messages=anys, memo=sp.text(memo), timeout_height=height)

    return serialize_spliced(build, cosmjs_varint_bug=cosmjs_quirks)


def _pubkey_any(public_key: bytes) -> any_pb2.Any:
    if len(public_key) != 33:
        raise ValueError("a secp256k1 public key has 33 bytes (compressed)")
    return any_pb2.Any(type_url=SECP256K1_PUBKEY_URL, value=PubKey(key=public_key).SerializeToString())


def auth_info_bytes(public_key: bytes, sequence: int, coins: Sequence[tuple[str, str]], gas: int,
                    granter: str = "", payer: str = "", mode: int = SignMode.SIGN_MODE_DIRECT, *,
                    cosmjs_quirks: bool = False) -> bytes:
    """AuthInfo with one secp256k1 signer and the fee (coin amounts as decimal strings), as cosmjs writes it."""
    _check_uint64("sequence", sequence)
    _check_uint64("gas", gas)
    pubkey = _pubkey_any(public_key)

    def build(sp: Splicer) -> tx_pb2.AuthInfo:
        return tx_pb2.AuthInfo(
            signer_infos=[tx_pb2.SignerInfo(
                public_key=pubkey,
                mode_info=tx_pb2.ModeInfo(single=tx_pb2.ModeInfo.Single(mode=mode)),
                sequence=sp.cosmjs_u64(sequence),
            )],
            fee=tx_pb2.Fee(amount=[Coin(denom=sp.text(d), amount=sp.text(a)) for d, a in coins],
                           gas_limit=sp.cosmjs_u64(gas), granter=sp.text(granter), payer=sp.text(payer)),
        )

    return serialize_spliced(build, cosmjs_varint_bug=cosmjs_quirks)


def sign_doc_bytes(body: bytes, auth_info: bytes, chain_id: str, account_number: int, *,
                   cosmjs_quirks: bool = False) -> bytes:
    _check_uint64("account_number", account_number)
    if not chain_id:
        raise ValueError("the chain id is empty")
    return serialize_spliced(lambda sp: tx_pb2.SignDoc(
        body_bytes=body, auth_info_bytes=auth_info, chain_id=sp.text(chain_id),
        account_number=sp.cosmjs_u64(account_number)), cosmjs_varint_bug=cosmjs_quirks)


def sign_prepared(signer: SignerLike, body: bytes, auth_info: bytes, *, chain_id: str, account_number: int,
                  cosmjs_quirks: bool = False) -> SignedTx:
    """Sign already-encoded body and auth info bytes (the SignDoc is built here)."""
    doc = sign_doc_bytes(body, auth_info, chain_id, account_number, cosmjs_quirks=cosmjs_quirks)
    signature = signer.sign(doc)
    if len(signature) != 64:
        raise ValueError("the signer returned a signature that is not 64 bytes")
    raw = tx_pb2.TxRaw(body_bytes=body, auth_info_bytes=auth_info, signatures=[signature]).SerializeToString()
    return SignedTx(raw, body, auth_info, doc, signature, hashlib.sha256(raw).hexdigest().upper())


def fee_coins(fee: Fee) -> list[tuple[str, str]]:
    coins = []
    for denom, amount in fee.amount:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValueError(f"fee amount for {denom!r} must be a whole number of base units, not {amount!r}")
        coins.append((denom, str(amount)))
    return coins


def sign_tx(signer: SignerLike, msgs: Sequence[Message | any_pb2.Any], *, chain_id: str, account_number: int,
            sequence: int, fee: Fee, memo: str = "", timeout_height: int = 0) -> SignedTx:
    """Build and sign a SIGN_MODE_DIRECT transaction (msgs packed into Any with type URL "/" + full name)."""
    body = body_bytes(msgs, memo, timeout_height)
    auth = auth_info_bytes(signer.public_key, sequence, fee_coins(fee), fee.gas, fee.granter, fee.payer)
    return sign_prepared(signer, body, auth, chain_id=chain_id, account_number=account_number)


def simulation_tx_bytes(public_key: bytes, msgs: Sequence[Message | any_pb2.Any], *, sequence: int,
                        memo: str = "", timeout_height: int = 0) -> bytes:
    """The tx for /cosmos/tx/v1beta1/simulate as cosmjs builds it: empty fee, SIGN_MODE_UNSPECIFIED,
    one empty signature."""
    body = body_bytes(msgs, memo, timeout_height)
    auth = auth_info_bytes(public_key, sequence, [], 0, mode=SignMode.SIGN_MODE_UNSPECIFIED)
    return tx_pb2.TxRaw(body_bytes=body, auth_info_bytes=auth, signatures=[b""]).SerializeToString()
