"""builder.sign_tx (the app's signing API) and decode_tx: same bytes as the libraries, readable round trip."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.proto.gen.cosmos.tx.v1beta1 import tx_pb2
from app.tx import msgs as m
from app.tx.builder import Fee, SignedTx, sign_tx, simulation_tx_bytes
from app.tx.decode import TxDecodeError, decode_tx, msg_to_dict
from app.wallet.signer import Signer, verify_signature

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "tx"
ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
A = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
B = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
V = "akashvaloper19rl4cm2hmr8afy4kldpxz3fka4jguq0amewuk9"


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer.from_mnemonic(ABANDON)


def _expected(name: str) -> dict:
    return json.loads((VECTORS / f"{name}.out.json").read_text())


def test_sign_tx_equals_the_library_for_msg_send(signer: Signer) -> None:
    signed = sign_tx(signer, [m.msg_send(A, B, [("uakt", 1_000_000)])], chain_id="akashnet-2", account_number=12345,
                     sequence=7, fee=Fee(amount=(("uakt", 5000),), gas=200000))
    exp = _expected("tx-bank-send")
    assert isinstance(signed, SignedTx)
    assert base64.b64encode(signed.tx_bytes).decode() == exp["tx_bytes_b64"]
    assert signed.sign_doc_bytes.hex() == exp["sign_doc_hex"]
    assert signed.txhash == exp["txhash"]
    assert verify_signature(signer.public_key, signed.sign_doc_bytes, signed.signature)


def test_sign_tx_multi_message_memo_timeout(signer: Signer) -> None:
    msgs = [m.msg_withdraw_reward(A, V), m.msg_delegate(A, V, 123456)]
    signed = sign_tx(signer, msgs, chain_id="akashnet-2", account_number=0, sequence=0,
                     fee=Fee(amount=(("uakt", 7500),), gas=300000), memo="restake via oracle & <test>",
                     timeout_height=int(json.loads((VECTORS / "tx-multi-restake.json").read_text())["timeout_height"]))
    assert signed.txhash == _expected("tx-multi-restake")["txhash"]


def test_sign_tx_max_uint64_account_number(signer: Signer) -> None:
    signed = sign_tx(signer, [m.msg_send(A, B, [("uakt", 1)])], chain_id="akashnet-2", account_number=2**64 - 1,
                     sequence=2**53 + 1, fee=Fee(amount=(("uakt", 5000),), gas=200000))
    assert signed.txhash == _expected("tx-bank-send-max-uint64")["txhash"]


def test_fee_granter_and_payer_land_in_auth_info(signer: Signer) -> None:
    signed = sign_tx(signer, [m.msg_send(A, B, [("uakt", 1)])], chain_id="c", account_number=1, sequence=1,
                     fee=Fee(amount=(), gas=100, granter=B, payer=A))
    fee = tx_pb2.AuthInfo.FromString(signed.auth_info_bytes).fee
    assert (fee.granter, fee.payer, fee.gas_limit) == (B, A, 100)


def test_sign_tx_rejects_bad_fee(signer: Signer) -> None:
    with pytest.raises(ValueError, match="fee amount"):
        sign_tx(signer, [m.msg_send(A, B, [("uakt", 1)])], chain_id="c", account_number=1, sequence=1,
                fee=Fee(amount=(("uakt", -5),), gas=100))
    with pytest.raises(ValueError, match="at least one message"):
        sign_tx(signer, [], chain_id="c", account_number=1, sequence=1, fee=Fee(amount=(), gas=100))


def test_app_api_writes_valid_varints_where_cosmjs_does_not(signer: Signer) -> None:
    # cosmjs-types mis-encodes 64-bit values in [2^31, 2^32); the app's own API must not
    signed = sign_tx(signer, [m.msg_send(A, B, [("uakt", 1)])], chain_id="c", account_number=3_000_000_000,
                     sequence=2**31, fee=Fee(amount=(), gas=2**32 - 1))
    doc = tx_pb2.SignDoc.FromString(signed.sign_doc_bytes)
    assert doc.account_number == 3_000_000_000
    info = tx_pb2.AuthInfo.FromString(signed.auth_info_bytes)
    assert (info.signer_infos[0].sequence, info.fee.gas_limit) == (2**31, 2**32 - 1)


def test_simulation_bytes(signer: Signer) -> None:
    raw = tx_pb2.TxRaw.FromString(simulation_tx_bytes(signer.public_key, [m.msg_send(A, B, [("uakt", 1)])], sequence=9))
    assert list(raw.signatures) == [b""]
    info = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    assert info.signer_infos[0].sequence == 9
    assert info.signer_infos[0].mode_info.single.mode == 0
    assert info.HasField("fee")


def test_decode_round_trip(signer: Signer) -> None:
    group = m.msg_create_bid(A, 5, 1, 1, B, Decimal("0.5"), "uact", 500_000)
    signed = sign_tx(signer, [m.msg_send(A, B, [("uakt", 42)]), group, m.msg_vote(7, A, "no")], chain_id="akashnet-2",
                     account_number=1, sequence=3, fee=Fee(amount=(("uakt", 5000),), gas=250000, granter=B), memo="héllo 🚀")
    d = decode_tx(signed.tx_bytes)
    assert d.txhash == signed.txhash
    assert d.memo == "héllo 🚀" and d.gas == 250000 and d.granter == B and d.sequence == 3
    assert d.signer_address == A and d.sign_mode == "SIGN_MODE_DIRECT"
    send, bid, vote = d.messages
    assert send == {"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": A, "to_address": B,
                    "amount": [{"denom": "uakt", "amount": "42"}]}
    assert bid["price"] == {"denom": "uact", "amount": "0.5"}  # LegacyDec shown in human form
    assert bid["id"]["dseq"] == "5" and bid["deposit"]["sources"] == ["balance"]
    assert vote["option"] == "VOTE_OPTION_NO" and vote["proposal_id"] == "7"
    assert json.loads(json.dumps(d.to_dict()))["fee"] == [{"denom": "uakt", "amount": "5000"}]


def test_decode_of_every_oracle_sample() -> None:
    for out in VECTORS.glob("tx-*.out.json"):
        exp = json.loads(out.read_text())
        d = decode_tx(base64.b64decode(exp["tx_bytes_b64"]))
        assert d.txhash == exp["txhash"]
        assert d.signer_address == exp["signer_address"]
        assert [x["@type"] for x in d.messages] == [x["typeUrl"] for x in exp["msgs"]]


def test_msg_to_dict_unpacks_any() -> None:
    grant = m.msg_grant(A, B, m.generic_authorization("/cosmos.bank.v1beta1.MsgSend"))
    assert msg_to_dict(grant)["grant"]["authorization"] == {"@type": "/cosmos.authz.v1beta1.GenericAuthorization",
                                                            "msg": "/cosmos.bank.v1beta1.MsgSend"}


@pytest.mark.parametrize("data", [b"", b"\x00\x00", b"\x0a\x02\xff\xff", tx_pb2.TxRaw().SerializeToString() + b"\x0a\x00"])
def test_decode_rejects_non_transactions(data: bytes) -> None:
    with pytest.raises(TxDecodeError):
        decode_tx(data)
