"""The generated types decode and re-encode the official libraries' message bytes exactly; registry lookups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.protobuf import any_pb2

from app.proto import registry
from app.proto.gen.akash.base.deposit.v1.deposit_pb2 import Deposit, Source
from app.proto.gen.cosmos.base.v1beta1.coin_pb2 import Coin
from app.proto.gen.cosmos.tx.v1beta1 import tx_pb2

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "vectors" / "tx").glob("tx-*.out.json"))


def _roundtrips(cls, data: bytes) -> bool:
    msg = cls.FromString(data)
    msg.DiscardUnknownFields()  # a field our .proto lacks would vanish here and break equality
    return msg.SerializeToString() == data


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_official_bytes_roundtrip(sample: Path) -> None:
    out = json.loads(sample.read_text())
    assert _roundtrips(tx_pb2.TxBody, bytes.fromhex(out["body_bytes_hex"]))
    assert _roundtrips(tx_pb2.AuthInfo, bytes.fromhex(out["auth_info_bytes_hex"]))
    assert _roundtrips(tx_pb2.SignDoc, bytes.fromhex(out["sign_doc_hex"]))
    for m in out["msgs"]:
        assert _roundtrips(registry.message_class(m["typeUrl"]), bytes.fromhex(m["value_hex"])), m["typeUrl"]


def test_samples_present() -> None:
    assert len(SAMPLES) == 27


def test_deposit_sources_are_unpacked() -> None:
    # the official encoder writes tag 0x28 + varint per source, not a packed 0x2a block
    d = Deposit(amount=Coin(denom="uact", amount="5"), sources=[Source.balance, Source.grant])
    assert d.SerializeToString().endswith(b"\x28\x01\x28\x02")


def test_registry_lookup_and_any() -> None:
    cls = registry.message_class("/cosmos.bank.v1beta1.MsgSend")
    msg = cls(from_address="akash1a", to_address="akash1b", amount=[Coin(denom="uakt", amount="1")])
    packed = registry.pack_any(msg)
    assert packed.type_url == "/cosmos.bank.v1beta1.MsgSend"
    assert registry.unpack_any(packed) == msg
    for name in registry.ANY_PACKED_TYPES:
        assert registry.message_class("/" + name).DESCRIPTOR.full_name == name
    assert "/akash.market.v1beta5.MsgCreateLease" in registry.msg_type_urls()
    assert "/cosmos.base.abci.v1beta1.MsgData" not in registry.msg_type_urls()


@pytest.mark.parametrize("url", ["/foo.Bar", "", "/", "/cosmos.bank.v1beta1.MsgSendd", "/ cosmos.bank.v1beta1.MsgSend"])
def test_unknown_type_url(url: str) -> None:
    with pytest.raises(registry.UnknownTypeUrl, match="unknown type URL"):
        registry.message_class(url)


def test_unpack_bad_bytes() -> None:
    with pytest.raises(ValueError, match="not a valid"):
        registry.unpack_any(any_pb2.Any(type_url="/cosmos.bank.v1beta1.MsgSend", value=b"\xff\xff"))


def test_documented_import_paths() -> None:
    from app.proto.gen.akash.bme.v1.msgs_pb2 import MsgMintACT
    from app.proto.gen.akash.deployment.v1beta4.groupspec_pb2 import GroupSpec
    from app.proto.gen.akash.escrow.v1.msg_pb2 import MsgAccountDeposit
    from app.proto.gen.akash.market.v1beta5.leasemsg_pb2 import MsgCreateLease
    from app.proto.gen.cosmos.gov.v1.gov_pb2 import Proposal, TallyResult, VoteOption
    from app.proto.gen.cosmos.tx.v1beta1.tx_pb2 import TxRaw

    assert GroupSpec.DESCRIPTOR.full_name == "akash.deployment.v1beta4.GroupSpec"
    assert TxRaw.DESCRIPTOR.fields_by_name["signatures"].number == 3
    assert MsgCreateLease.DESCRIPTOR.fields_by_name["bid_id"].number == 1
    assert MsgAccountDeposit.DESCRIPTOR.fields_by_name["deposit"].number == 3
    assert MsgMintACT.DESCRIPTOR.fields_by_name["coins_to_burn"].number == 3
    assert VoteOption.Value("VOTE_OPTION_YES") == 1 and Proposal and TallyResult
