"""`python -m app earnings` (watch-only by address, CSV) and `withdraw-earnings` with the provider's keystore wallet."""

from __future__ import annotations

import pytest

from app.chain.client import ChainClient
from tests.e2e.holder_kit import PASSWORD, chain_fixture, keystore_wallet, run_cli  # noqa: F401 - the chain fixture
from tests.kits.leases import PRICE_UACT, seed_leases
from tests.localnet_fixtures import NodeClient


@pytest.fixture
async def provider_with_leases(chain: ChainClient, localnet: NodeClient) -> str:
    provider = keystore_wallet("provider-cli")
    await seed_leases(chain, localnet.fund, 2, provider=provider)
    return provider.address


def test_cli_earnings_and_withdraw(provider_with_leases: str, localnet: NodeClient, tmp_path) -> None:
    address = provider_with_leases
    localnet.advance(20)
    csv_path = tmp_path / "earnings.csv"
    code, out = run_cli(localnet, "earnings", "--address", address, "--csv", str(csv_path))
    assert code == 0 and out["leases"] == 2 and out["running"] == 2
    assert int(float(out["total"]["uact"])) >= int(PRICE_UACT) * 2 * 20 and out["at_risk"] == {}
    assert csv_path.read_text(encoding="utf-8").count(",active,") == 2

    before = localnet.balance(address, "uact")
    code, out = run_cli(localnet, "withdraw-earnings", "--wallet", "provider-cli", "--password-stdin", "--yes",
                        stdin=PASSWORD + "\n")
    assert code == 0, out
    (tx,) = out["transactions"]
    assert tx["status"] == "confirmed" and len(tx["messages"]) == 2
    assert localnet.balance(address, "uact") - before >= int(PRICE_UACT) * 2 * 20
