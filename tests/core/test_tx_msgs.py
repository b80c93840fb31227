"""Typed constructors encode exactly like the official libraries (cross-checked through the oracle-verified
JSON path) and refuse bad arguments with the argument named."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.proto.registry import type_url_of
from app.tx import msgs as m
from app.tx.jsonmsg import encode_json_msg

A = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
B = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
V = "akashvaloper19rl4cm2hmr8afy4kldpxz3fka4jguq0amewuk9"
H32 = bytes(range(32))
B64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
CERT = "-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n"
PUB = "-----BEGIN EC PUBLIC KEY-----\r\nMFkw\r\n-----END EC PUBLIC KEY-----\r\n"
GROUP = {"name": "dcloud", "requirements": {"signed_by": {}}, "resources": [{"resource": {
    "id": 1, "cpu": {"units": {"val": B64(b"500")}}, "memory": {"quantity": {"val": B64(b"536870912")}},
    "storage": [{"name": "default", "quantity": {"val": B64(b"1073741824")}}], "gpu": {"units": {"val": B64(b"0")}},
    "endpoints": [{}]}, "count": 1, "price": {"denom": "uact", "amount": "0.5"}}]}


def _group():
    from app.tx.jsonmsg import message_from_json

    spec = message_from_json("/akash.deployment.v1beta4.MsgCreateDeployment", {"groups": [GROUP]})
    return spec.groups[0]


CASES = [
    (lambda: m.msg_send(A, B, [("uakt", 1000000)]),
     {"fromAddress": A, "toAddress": B, "amount": [{"denom": "uakt", "amount": "1000000"}]}),
    (lambda: m.msg_multi_send([(A, [("uakt", 5)])], [(B, [("uakt", 5)])]),
     {"inputs": [{"address": A, "coins": [{"denom": "uakt", "amount": "5"}]}],
      "outputs": [{"address": B, "coins": [{"denom": "uakt", "amount": "5"}]}]}),
    (lambda: m.msg_delegate(A, V, 123456), {"delegatorAddress": A, "validatorAddress": V, "amount": {"denom": "uakt", "amount": "123456"}}),
    (lambda: m.msg_undelegate(A, V, 7), {"delegatorAddress": A, "validatorAddress": V, "amount": {"denom": "uakt", "amount": "7"}}),
    (lambda: m.msg_redelegate(A, V, V, 9), {"delegatorAddress": A, "validatorSrcAddress": V, "validatorDstAddress": V,
                                            "amount": {"denom": "uakt", "amount": "9"}}),
    (lambda: m.msg_cancel_unbonding(A, V, 9, 123_456), {"delegatorAddress": A, "validatorAddress": V,
                                                               "amount": {"denom": "uakt", "amount": "9"}, "creationHeight": "123456"}),
    (lambda: m.msg_withdraw_reward(A, V), {"delegatorAddress": A, "validatorAddress": V}),
    (lambda: m.msg_withdraw_commission(V), {"validatorAddress": V}),
    (lambda: m.msg_set_withdraw_address(A, B), {"delegatorAddress": A, "withdrawAddress": B}),
    (lambda: m.msg_vote(42, A, "yes"), {"proposalId": "42", "voter": A, "option": "VOTE_OPTION_YES"}),
    (lambda: m.msg_vote_weighted(42, A, [("yes", "0.7"), ("no", Decimal("0.3"))]),
     {"proposalId": "42", "voter": A, "options": [{"option": 1, "weight": "0.7"}, {"option": 3, "weight": "0.3"}]}),
    (lambda: m.msg_gov_deposit(42, A, [("uakt", 10)]), {"proposalId": "42", "depositor": A, "amount": [{"denom": "uakt", "amount": "10"}]}),
    (lambda: m.msg_vote_v1beta1(3, A, "no_with_veto"), {"proposalId": "3", "voter": A, "option": "VOTE_OPTION_NO_WITH_VETO"}),
    (lambda: m.msg_revoke(A, B, "/cosmos.bank.v1beta1.MsgSend"), {"granter": A, "grantee": B, "msgTypeUrl": "/cosmos.bank.v1beta1.MsgSend"}),
    (lambda: m.msg_revoke_allowance(A, B), {"granter": A, "grantee": B}),
    (lambda: m.msg_grant(A, B, m.generic_authorization("/cosmos.bank.v1beta1.MsgSend"), datetime(2030, 1, 1, tzinfo=UTC)),
     {"granter": A, "grantee": B, "grant": {"authorization": {"typeUrl": "/cosmos.authz.v1beta1.GenericAuthorization",
      "value": B64(m.generic_authorization("/cosmos.bank.v1beta1.MsgSend").SerializeToString())},
      "expiration": "2030-01-01T00:00:00Z"}}),
    (lambda: m.msg_create_deployment(A, 1234567, [_group()], H32, 5_000_000),
     {"id": {"owner": A, "dseq": "1234567"}, "groups": [GROUP], "hash": B64(H32),
      "deposit": {"amount": {"denom": "uact", "amount": "5000000"}, "sources": ["balance"]}}),
    (lambda: m.msg_update_deployment(A, 5, H32), {"id": {"owner": A, "dseq": "5"}, "hash": B64(H32)}),
    (lambda: m.msg_close_deployment(A, 5), {"id": {"owner": A, "dseq": "5"}}),
    (lambda: m.msg_close_group(A, 5, 1), {"id": {"owner": A, "dseq": "5", "gseq": 1}}),
    (lambda: m.msg_pause_group(A, 5, 1), {"id": {"owner": A, "dseq": "5", "gseq": 1}}),
    (lambda: m.msg_start_group(A, 5, 1), {"id": {"owner": A, "dseq": "5", "gseq": 1}}),
    (lambda: m.msg_account_deposit(A, A, 5, 2_000_000, "uakt", ("grant", "balance")),
     {"signer": A, "id": {"scope": "deployment", "xid": f"{A}/5"},
      "deposit": {"amount": {"denom": "uakt", "amount": "2000000"}, "sources": ["grant", "balance"]}}),
    (lambda: m.msg_create_lease(A, 5, 1, 1, B), {"bid_id": {"owner": A, "dseq": "5", "gseq": 1, "oseq": 1, "provider": B}}),
    (lambda: m.msg_close_lease(A, 5, 1, 1, B), {"id": {"owner": A, "dseq": "5", "gseq": 1, "oseq": 1, "provider": B},
                                                "reason": "lease_closed_owner"}),
    (lambda: m.msg_withdraw_lease(A, 5, 1, 1, B), {"id": {"owner": A, "dseq": "5", "gseq": 1, "oseq": 1, "provider": B}}),
    (lambda: m.msg_create_bid(A, 5, 1, 1, B, Decimal("125.5"), "uact", 500_000),
     {"id": {"owner": A, "dseq": "5", "gseq": 1, "oseq": 1, "provider": B}, "price": {"denom": "uact", "amount": "125.5"},
      "deposit": {"amount": {"denom": "uakt", "amount": "500000"}, "sources": ["balance"]}}),
    (lambda: m.msg_close_bid(A, 5, 1, 1, B), {"id": {"owner": A, "dseq": "5", "gseq": 1, "oseq": 1, "provider": B}}),
    (lambda: m.msg_create_certificate(A, CERT, PUB), {"owner": A, "cert": B64(CERT.encode()), "pubkey": B64(PUB.encode())}),
    (lambda: m.msg_revoke_certificate(A, 1796092965065000), {"id": {"owner": A, "serial": "1796092965065000"}}),
    (lambda: m.msg_mint_act(A, A, 25_000_000), {"owner": A, "to": A, "coins_to_burn": {"denom": "uakt", "amount": "25000000"}}),
    (lambda: m.msg_burn_act(A, B, 10_000_000), {"owner": A, "to": B, "coins_to_burn": {"denom": "uact", "amount": "10000000"}}),
    (lambda: m.msg_burn_mint(A, B, 7, "uakt", "uact"), {"owner": A, "to": B, "coins_to_burn": {"denom": "uakt", "amount": "7"},
                                                        "denom_to_mint": "uact"}),
    (lambda: m.msg_create_provider(A, "https://p.example.com:8443", [("region", "eu")], "ops@example.com"),
     {"owner": A, "host_uri": "https://p.example.com:8443", "attributes": [{"key": "region", "value": "eu"}],
      "info": {"email": "ops@example.com"}}),
    (lambda: m.msg_delete_provider(A), {"owner": A}),
    (lambda: m.msg_sign_provider_attributes(A, B, [("tier", "1")]), {"owner": A, "auditor": B, "attributes": [{"key": "tier", "value": "1"}]}),
]


@pytest.mark.parametrize("build,value", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_constructor_matches_library_encoding(build, value) -> None:
    msg = build()
    url = type_url_of(msg)
    assert msg.SerializeToString() == encode_json_msg(url, value).value


def test_reclamation_window_is_field_5() -> None:
    msg = m.msg_create_deployment(A, 1, [_group()], H32, 5_000_000, reclamation_min_window=timedelta(hours=24))
    assert msg.reclamation.min_window.seconds == 86400
    assert msg.SerializeToString().endswith(b"\x2a\x06\x0a\x04\x08\x80\xa3\x05")


def test_dec_coin_is_legacy_dec_atomics() -> None:
    assert m.dec_coin("uact", Decimal("0.5")).amount == "500000000000000000"
    assert m.dec_coin("uact", "1000").amount == "1000000000000000000000"
    assert m.dec_coin("uact", "0.000000000000000001").amount == "1"


@pytest.mark.parametrize("call,needle", [
    (lambda: m.msg_send(A, "akash1xyz", [("uakt", 1)]), "to_address"),
    (lambda: m.msg_send(A, B, [("uakt", -1)]), "amount[0]"),
    (lambda: m.msg_send(A, B, [("uakt", 1.5)]), "amount[0]"),
    (lambda: m.msg_delegate(A, A, 1), "validator"),
    (lambda: m.msg_vote(1, A, "maybe"), "option"),
    (lambda: m.msg_vote_weighted(1, A, [("yes", "0.5")]), "weights"),
    (lambda: m.msg_create_deployment(A, 1, [_group()], b"short", 1), "hash"),
    (lambda: m.msg_create_deployment(A, 1, [], H32, 1), "groups"),
    (lambda: m.msg_create_deployment(A, 1, [_group()], H32, 1, sources=("wallet",)), "sources"),
    (lambda: m.msg_close_lease(A, 1, 1, 1, B, reason="bored"), "reason"),
    (lambda: m.dec_coin("uact", "1.0000000000000000001"), "price"),
    (lambda: m.dec_coin("uact", 0.5), "price"),
    (lambda: m.msg_create_certificate(A, "not pem", PUB), "cert_pem"),
    (lambda: m.msg_close_deployment(A, -1), "dseq"),
    (lambda: m.msg_grant(A, B, m.generic_authorization("/x.Y"), datetime(2030, 1, 1)), "expiration"),
])
def test_bad_arguments_are_named(call, needle) -> None:
    with pytest.raises(m.MsgError) as info:
        call()
    assert needle in str(info.value)


def test_lease_messages_accept_a_bid_id() -> None:
    bid = m.bid_id(A, 5, 1, 2, B, 0)
    assert m.msg_create_lease(bid) == m.msg_create_lease(A, 5, 1, 2, B)
    lease = m.lease_id(bid)
    assert m.msg_close_lease(lease).id == lease
    assert m.msg_withdraw_lease(bid).id == lease
    with pytest.raises(m.MsgError, match="provider"):
        m.msg_create_lease(A, 5, 1, 2, "akash1nope")
