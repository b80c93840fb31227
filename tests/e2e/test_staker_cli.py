"""The headless staking and governance commands against the local network, as a script runs them (--json)."""

from __future__ import annotations

from tests.e2e.holder_kit import PASSWORD, keystore_wallet, run_cli
from tests.localnet_fixtures import NodeClient

AKT = 1_000_000
SIGN = ("--password-stdin", "--yes")


def test_cli_validators_delegate_compound_vote_undelegate(localnet: NodeClient) -> None:
    me = keystore_wallet("staker-cli").address
    localnet.fund(me, {"uakt": 200 * AKT})
    code, out = run_cli(localnet, "validators", "--wallet", "staker-cli")
    assert code == 0 and out["validators"][0]["rank"] == 1 and out["apr"] is not None
    top = out["validators"][0]

    code, out = run_cli(localnet, "delegate", top["moniker"], "max", "--wallet", "staker-cli", *SIGN,
                        stdin=PASSWORD + "\n")
    assert code == 0, out
    (tx,) = out["transactions"]
    assert tx["status"] == "confirmed" and tx["messages"][0]["type_url"] == "/cosmos.staking.v1beta1.MsgDelegate"
    left = localnet.balance(me)
    assert 0 < left < 22_500  # MAX kept the fee reserve (minus this fee)

    localnet.advance(10)
    code, out = run_cli(localnet, "claim", "--compound", "--wallet", "staker-cli", *SIGN, stdin=PASSWORD + "\n")
    assert code == 0, out
    assert [m["type_url"].rsplit(".", 1)[1] for m in out["transactions"][0]["messages"]] == [
        "MsgWithdrawDelegatorReward", "MsgDelegate"]

    code, out = run_cli(localnet, "stake", "--address", me)
    assert code == 0 and int(out["staked_uakt"]) > 199 * AKT and out["delegations"][0]["validator"] == top["operator"]

    code, out = run_cli(localnet, "proposals", "--status", "voting", "--address", me)
    assert code == 0
    voting = [p for p in out["proposals"] if p["status"] == "PROPOSAL_STATUS_VOTING_PERIOD"]
    if voting:  # the genesis proposals end 10-20 minutes of chain time after genesis
        pid = str(voting[0]["id"])
        code, out = run_cli(localnet, "vote", pid, "abstain", "--wallet", "staker-cli", *SIGN, stdin=PASSWORD + "\n")
        assert code == 0 and out["transactions"][0]["status"] == "confirmed", out
        code, out = run_cli(localnet, "proposals", "--status", "voting", "--address", me)
        assert next(p for p in out["proposals"] if str(p["id"]) == pid)["my_vote"] == "Abstain"
    code, out = run_cli(localnet, "vote", "1", "yes", "--wallet", "staker-cli", *SIGN, stdin=PASSWORD + "\n")
    assert code == 1 and out["field"] == "proposal" and "not open for voting" in out["error"]

    code, out = run_cli(localnet, "undelegate", top["operator"], "5", "--wallet", "staker-cli", *SIGN,
                        stdin=PASSWORD + "\n")
    assert code == 0, out
    code, out = run_cli(localnet, "stake", "--address", me)
    assert out["unbonding"][0]["amount"] == str(5 * AKT)
    code, out = run_cli(localnet, "redelegate", top["operator"], top["operator"], "1", "--wallet", "staker-cli", *SIGN,
                        stdin=PASSWORD + "\n")
    assert code == 1 and "different validator" in out["error"]
