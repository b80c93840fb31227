"""A minimal SIGN_MODE_DIRECT tx builder the node uses to sign its own genesis history."""

from __future__ import annotations

from google.protobuf.message import Message

from app.proto import registry
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.proto.gen.cosmos.crypto.secp256k1 import keys_pb2
from app.proto.gen.cosmos.tx.signing.v1beta1 import signing_pb2
from app.proto.gen.cosmos.tx.v1beta1 import tx_pb2
from app.wallet.signer import Signer


def sign_tx(
    signer: Signer,
    msgs: list[Message],
    *,
    chain_id: str,
    account_number: int,
    sequence: int,
    fee_uakt: int = 5000,
    gas: int = 200_000,
    memo: str = "",
) -> bytes:
    """TxRaw bytes of msgs signed by one secp256k1 key in SIGN_MODE_DIRECT."""
    body = tx_pb2.TxBody(messages=[registry.pack_any(m) for m in msgs], memo=memo)
    pubkey = registry.pack_any(keys_pb2.PubKey(key=signer.public_key))
    info = tx_pb2.SignerInfo(
        public_key=pubkey,
        mode_info=tx_pb2.ModeInfo(single=tx_pb2.ModeInfo.Single(mode=signing_pb2.SIGN_MODE_DIRECT)),
        sequence=sequence,
    )
    fee = tx_pb2.Fee(amount=[coin_pb2.Coin(denom="uakt", amount=str(fee_uakt))], gas_limit=gas)
    auth_info = tx_pb2.AuthInfo(signer_infos=[info], fee=fee)
    body_bytes = body.SerializeToString(deterministic=True)
    auth_bytes = auth_info.SerializeToString(deterministic=True)
    doc = tx_pb2.SignDoc(body_bytes=body_bytes, auth_info_bytes=auth_bytes, chain_id=chain_id,
                         account_number=account_number)
    signature = signer.sign(doc.SerializeToString(deterministic=True))
    return tx_pb2.TxRaw(body_bytes=body_bytes, auth_info_bytes=auth_bytes,
                        signatures=[signature]).SerializeToString(deterministic=True)
