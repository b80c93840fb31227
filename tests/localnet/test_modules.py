"""Module behaviour over HTTP: staking, distribution, gov, bme, cert, and the local-only routes."""

from __future__ import annotations

from typing import Any

import pytest

from app.localnet.runner import LocalNode
from app.proto.gen.akash.bme.v1 import msgs_pb2 as bme
from app.proto.gen.akash.cert.v1 import cert_pb2
from app.proto.gen.akash.cert.v1 import msg_pb2 as cert_msg
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.proto.gen.cosmos.distribution.v1beta1 import tx_pb2 as distr
from app.proto.gen.cosmos.gov.v1 import tx_pb2 as gov
from app.proto.gen.cosmos.staking.v1beta1 import tx_pb2 as st
from app.wallet.signer import Signer
from tests.localnet.helpers import client_certificate, signed
from tests.localnet_fixtures import NodeClient


def akt(amount: int) -> coin_pb2.Coin:
    return coin_pb2.Coin(denom="uakt", amount=str(amount))


def bonded(c: NodeClient) -> list[dict[str, Any]]:
    return c.get("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED")["validators"]


def test_genesis_validators(localnet: NodeClient) -> None:
    vals = localnet.get("/cosmos/staking/v1beta1/validators")["validators"]
    statuses = sorted(v["status"] for v in vals)
    assert len(vals) >= 8 and statuses.count("BOND_STATUS_BONDED") == 8
    assert any(v["jailed"] for v in vals) and "BOND_STATUS_UNBONDED" in statuses
    assert len({v["tokens"] for v in vals}) == len(vals) and all(v["description"]["moniker"] for v in vals)


def test_delegate_undelegate_redelegate_and_rewards(localnet: NodeClient, fresh_signer: Signer) -> None:
    a, b = (v["operator_address"] for v in bonded(localnet)[:2])
    me = fresh_signer.address
    msg = st.MsgDelegate(delegator_address=me, validator_address=a, amount=akt(300_000_000))
    assert localnet.deliver(signed(localnet, fresh_signer, [msg], gas=300_000, fee=7500))["code"] == 0
    d = localnet.get(f"/cosmos/staking/v1beta1/validators/{a}/delegations/{me}")["delegation_response"]
    assert d["balance"] == {"denom": "uakt", "amount": "300000000"}
    localnet.advance(3)
    rewards = localnet.get(f"/cosmos/distribution/v1beta1/delegators/{me}/rewards")
    assert rewards["rewards"][0]["validator_address"] == a and float(rewards["total"][0]["amount"]) > 0
    before = localnet.balance(me)
    res = localnet.deliver(signed(localnet, fresh_signer, [distr.MsgWithdrawDelegatorReward(
        delegator_address=me, validator_address=a)], gas=300_000, fee=7500))
    assert res["code"] == 0 and localnet.balance(me) > before - 7500
    res = localnet.deliver(signed(localnet, fresh_signer, [st.MsgUndelegate(
        delegator_address=me, validator_address=a, amount=akt(100_000_000))], gas=300_000, fee=7500))
    assert res["code"] == 0
    ubd = localnet.get(f"/cosmos/staking/v1beta1/delegators/{me}/unbonding_delegations")["unbonding_responses"]
    assert ubd[0]["entries"][0]["balance"] == "100000000"
    res = localnet.deliver(signed(localnet, fresh_signer, [st.MsgBeginRedelegate(
        delegator_address=me, validator_src_address=a, validator_dst_address=b, amount=akt(50_000_000))],
        gas=400_000, fee=10000))
    assert res["code"] == 0, res["raw_log"]
    reds = localnet.get(f"/cosmos/staking/v1beta1/delegators/{me}/redelegations")["redelegation_responses"]
    assert reds[0]["redelegation"]["validator_dst_address"] == b
    again = localnet.deliver(signed(localnet, fresh_signer, [st.MsgBeginRedelegate(
        delegator_address=me, validator_src_address=b, validator_dst_address=a, amount=akt(1_000_000))],
        gas=400_000, fee=10000))
    assert (again["code"], again["codespace"]) == (32, "staking")  # transitive redelegation
    before = localnet.balance(me)
    localnet.advance(181)  # the unbonding time is 180 s of 1 s blocks
    assert localnet.get(f"/cosmos/staking/v1beta1/delegators/{me}/unbonding_delegations")["unbonding_responses"] == []
    assert localnet.balance(me) >= before + 100_000_000


def test_gov_tally_and_end_of_voting() -> None:
    with LocalNode(block_time=1.0) as node:
        c = NodeClient(node)
        statuses = {p["id"]: p["status"] for p in c.get("/cosmos/gov/v1/proposals")["proposals"]}
        assert set(statuses.values()) >= {"PROPOSAL_STATUS_PASSED", "PROPOSAL_STATUS_REJECTED",
                                          "PROPOSAL_STATUS_VOTING_PERIOD", "PROPOSAL_STATUS_DEPOSIT_PERIOD"}
        voting = c.get("/cosmos/gov/v1/proposals?proposal_status=PROPOSAL_STATUS_VOTING_PERIOD")["proposals"]
        assert [p["id"] for p in voting] == ["4", "5"]
        assert int(c.get("/cosmos/gov/v1/proposals/4/tally")["tally"]["yes_count"]) > 0
        old = c.get("/cosmos/gov/v1beta1/proposals/3")["proposal"]
        assert old["content"]["@type"] == "/cosmos.gov.v1beta1.TextProposal"
        voter = Signer(bytes(range(3, 35)))
        c.fund(voter.address)
        vote = gov.MsgVote(proposal_id=5, voter=voter.address, option=1)
        assert c.deliver(signed(c, voter, [vote]))["code"] == 0
        assert c.get(f"/cosmos/gov/v1/proposals/5/votes/{voter.address}")["vote"]["options"] == [
            {"option": "VOTE_OPTION_YES", "weight": "1.000000000000000000"}]
        closed = c.deliver(signed(c, voter, [gov.MsgVote(proposal_id=1, voter=voter.address, option=1)]))
        assert (closed["code"], closed["codespace"]) == (3, "gov") and closed["raw_log"].endswith("1: inactive proposal")
        c.advance(1300)
        assert c.get("/cosmos/gov/v1/proposals/4")["proposal"]["status"] == "PROPOSAL_STATUS_PASSED"
        p5 = c.get("/cosmos/gov/v1/proposals/5")["proposal"]
        assert p5["status"] == "PROPOSAL_STATUS_REJECTED" and int(p5["final_tally_result"]["no_count"]) > 0
        assert c.get("/cosmos/gov/v1/proposals/5/votes")["votes"] == []


def test_bme_mint_executes_at_epoch_and_small_mints_are_cancelled(localnet: NodeClient, fresh_signer: Signer) -> None:
    me = fresh_signer.address
    localnet.fund(me, {"uakt": 100_000_000})
    act_before = localnet.balance(me, "uact")
    small = bme.MsgMintACT(owner=me, to=me, coins_to_burn=akt(1_000_000))  # ~1.2 ACT < 10 ACT
    big = bme.MsgMintACT(owner=me, to=me, coins_to_burn=akt(20_000_000))
    assert localnet.deliver(signed(localnet, fresh_signer, [small], gas=300_000, fee=7500))["code"] == 0
    res = localnet.deliver(signed(localnet, fresh_signer, [big], gas=300_000, fee=7500))
    assert res["code"] == 0
    pending = localnet.get(f"/akash/bme/v1/ledger?filters.source={me}&filters.status=ledger_record_status_pending")
    if int(res["height"]) % 10:  # queued until the next epoch (every 10 blocks)
        assert [r["id"]["height"] for r in pending["records"]][-1] == res["height"]
    localnet.advance(11)
    ledger = localnet.get(f"/akash/bme/v1/ledger?filters.source={me}")["records"]
    assert sorted(r["status"] for r in ledger) == ["ledger_record_status_canceled", "ledger_record_status_executed"]
    minted = localnet.balance(me, "uact") - act_before
    assert 20_000_000 < minted < 30_000_000  # 20 AKT at 1.175-1.325 USD, minus the 25 bps spread
    status = localnet.get("/akash/bme/v1/status")
    assert status["mints_allowed"] is True and status["status"] == "mint_status_healthy"


def test_certificates_create_list_revoke(localnet: NodeClient, fresh_signer: Signer) -> None:
    me = fresh_signer.address
    cert_pem, pub_pem = client_certificate(me)
    res = localnet.deliver(signed(localnet, fresh_signer, [cert_msg.MsgCreateCertificate(
        owner=me, cert=cert_pem, pubkey=pub_pem)], gas=300_000, fee=7500))
    assert res["code"] == 0, res["raw_log"]
    listed = localnet.get(f"/akash/cert/v1/certificates/list?filter.owner={me}")["certificates"]
    serial = listed[0]["serial"]
    assert listed[0]["certificate"]["state"] == "valid"
    wrong_cn = client_certificate(me, cn="akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5")
    bad = localnet.deliver(signed(localnet, fresh_signer, [cert_msg.MsgCreateCertificate(
        owner=me, cert=wrong_cn[0], pubkey=wrong_cn[1])], gas=300_000, fee=7500))
    assert (bad["code"], bad["codespace"]) == (6, "cert")
    revoke = cert_msg.MsgRevokeCertificate(id=cert_pb2.ID(owner=me, serial=serial))
    assert localnet.deliver(signed(localnet, fresh_signer, [revoke], gas=300_000, fee=7500))["code"] == 0
    assert localnet.get(f"/akash/cert/v1/certificates/list?filter.owner={me}&filter.state=revoked"
                        f"&filter.serial={serial}")["certificates"][0]["serial"] == serial
    assert localnet.get(f"/akash/cert/v1/certificates/list?filter.owner={me}&filter.state=valid")["certificates"] == []


def test_advance_moves_height_and_time_by_block_time(localnet: NodeClient) -> None:
    h0 = localnet.height()
    t0 = localnet.get("/localnet/status")
    status, body = localnet.request("POST", "/localnet/advance", {"blocks": 30})
    assert status == 200 and int(body["height"]) >= h0 + 30
    status, body = localnet.request("POST", "/localnet/advance", {"blocks": 0})
    assert status == 400 and body["code"] == 3
    assert t0["local"] is True


@pytest.mark.parametrize("path,status,code", [
    ("/cosmos/nothing/here", 501, 12),
    ("/cosmos/auth/v1beta1/accounts/akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqz0ztrg", 400, 3),
    ("/cosmos/auth/v1beta1/accounts/akash1g7nk9v8fzgjpqjmm7x9c8v6wzhpxy0j9xa0j9w", 400, 3),
    ("/cosmos/staking/v1beta1/validators/akashvaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqr9x3yl", 400, 3),
    ("/cosmos/gov/v1/proposals/999", 404, 5),
    ("/cosmos/staking/v1beta1/validators?pagination.key=AA==&pagination.offset=2", 400, 3),
    ("/cosmos/bank/v1beta1/balances/akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5?pagination.limit=x", 400, 3),
])
def test_error_bodies(localnet: NodeClient, path: str, status: int, code: int) -> None:
    got_status, body = localnet.request("GET", path)
    assert got_status == status and body["code"] == code and body["details"] == [] and body["message"]


def test_account_not_found_is_404(localnet: NodeClient) -> None:
    addr = Signer(bytes(range(9, 41))).address
    status, body = localnet.request("GET", f"/cosmos/auth/v1beta1/accounts/{addr}")
    assert (status, body) == (404, {"code": 5, "message": f"account {addr} not found", "details": []})


def test_pagination(localnet: NodeClient) -> None:
    all_vals = [v["operator_address"] for v in localnet.get("/cosmos/staking/v1beta1/validators")["validators"]]
    first = localnet.get("/cosmos/staking/v1beta1/validators?pagination.limit=3&pagination.count_total=true")
    assert [v["operator_address"] for v in first["validators"]] == all_vals[:3]
    assert first["pagination"]["total"] == str(len(all_vals)) and first["pagination"]["next_key"]
    key = first["pagination"]["next_key"].replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    second = localnet.get(f"/cosmos/staking/v1beta1/validators?pagination.limit=3&pagination.key={key}")
    assert [v["operator_address"] for v in second["validators"]] == all_vals[3:6]
    assert second["pagination"]["total"] == "0"
    offset = localnet.get("/cosmos/staking/v1beta1/validators?pagination.limit=2&pagination.offset=8")
    assert [v["operator_address"] for v in offset["validators"]] == all_vals[8:10]
    rev = localnet.get("/cosmos/staking/v1beta1/validators?pagination.reverse=true&pagination.limit=2")
    assert [v["operator_address"] for v in rev["validators"]] == all_vals[::-1][:2]
    last = localnet.get(f"/cosmos/staking/v1beta1/validators?pagination.offset={len(all_vals) - 1}"
                        "&pagination.limit=5")
    assert last["pagination"]["next_key"] is None
