"""`python -m app mint-act` / `burn-act` against the local network: minimum refused, mint followed to execution."""

from __future__ import annotations

from tests.e2e.holder_kit import PASSWORD, keystore_wallet, run_cli
from tests.localnet_fixtures import NodeClient

AKT = 1_000_000
SIGN = ("--password-stdin", "--yes")


def test_cli_mint_for_an_act_amount_and_burn(localnet: NodeClient) -> None:
    me = keystore_wallet("act-cli").address
    localnet.fund(me, {"uakt": 100 * AKT})
    code, out = run_cli(localnet, "mint-act", "1", "--wallet", "act-cli", *SIGN, stdin=PASSWORD + "\n")
    assert code == 1 and out["field"] == "amount" and "minimum mint" in out["error"]
    assert localnet.account(me)["sequence"] == "0"  # refused before signing

    code, out = run_cli(localnet, "mint-act", "--act", "12", "--wallet", "act-cli", "--wait-timeout", "60", *SIGN,
                        stdin=PASSWORD + "\n")
    assert code == 0, out
    (tx,) = out["transactions"]
    assert tx["status"] == "confirmed" and tx["conversion"]["status"] == "ledger_record_status_executed"
    assert localnet.balance(me, "uact") >= 12 * AKT

    code, out = run_cli(localnet, "burn-act", "2", "--wallet", "act-cli", "--wait-timeout", "60", *SIGN,
                        stdin=PASSWORD + "\n")
    assert code == 0 and out["transactions"][0]["conversion"]["status"] == "ledger_record_status_executed", out
