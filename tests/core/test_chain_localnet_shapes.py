"""The local node's answers that the official library certified (tests/vectors/localnet/shapes) parse with our models.

Together with the mainnet captures this covers the modules the captures lack (bme, oracle, gov v1beta1,
blocks, txs, unbonding, ...), with shapes checked by the official types rather than by us.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.chain import auth, authz, bank, bme, cert, distribution, gov, mint, oracle, staking, tendermint, tx
from app.chain.common import Coin, dec_coins
from app.chain.jsonread import Obj
from app.chain.pagination import parse_page


def _need(key: str, parse: Callable[[Obj], Any]) -> Callable[[Any, str], Any]:
    return lambda d, p: parse(Obj(d, p).need(key))


def _page(key: str, parse: Callable[[Obj], Any]) -> Callable[[Any, str], Any]:
    return lambda d, p: parse_page(d, p, key, parse)


def _root(parse: Callable[[Obj], Any]) -> Callable[[Any, str], Any]:
    return lambda d, p: parse(Obj(d, p))


PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "auth-account": auth.parse_account_response,
    "auth-module-account": auth.parse_account_response,
    "authz-grantee": _page("grants", authz.Grant.parse),
    "authz-granter": _page("grants", authz.Grant.parse),
    "authz-grants": _page("grants", authz.Grant.parse),
    "bank-balances": _page("balances", Coin.parse),
    "bank-spendable": _page("balances", Coin.parse),
    "bank-balance": _need("balance", Coin.parse),
    "bank-metadata": _page("metadatas", bank.DenomMetadata.parse),
    "bank-metadata-one": _need("metadata", bank.DenomMetadata.parse),
    "bank-send-enabled": _page("send_enabled", bank.SendEnabled.parse),
    "staking-validators": _page("validators", staking.Validator.parse),
    "staking-validator": _need("validator", staking.Validator.parse),
    "staking-delegations": _page("delegation_responses", staking.Delegation.parse),
    "staking-delegation": _need("delegation_response", staking.Delegation.parse),
    "staking-unbonding": _page("unbonding_responses", staking.UnbondingDelegation.parse),
    "staking-redelegations": _page("redelegation_responses", staking.Redelegation.parse),
    "staking-pool": _need("pool", staking.Pool.parse),
    "staking-params": _need("params", staking.StakingParams.parse),
    "distribution-rewards": _root(distribution.DelegatorRewards.parse),
    "distribution-reward": lambda d, p: dec_coins(Obj(d, p), "rewards"),
    "distribution-params": _need("params", distribution.DistributionParams.parse),
    "mint-params": _need("params", mint.MintParams.parse),
    "gov-proposals": _page("proposals", gov.Proposal.parse),
    "gov-proposal": _need("proposal", gov.Proposal.parse),
    "gov-tally": _need("tally", gov.TallyResult.parse),
    "gov-votes": _page("votes", gov.Vote.parse),
    "gov-vote": _need("vote", gov.Vote.parse),
    "gov-params": _root(gov.GovParams.parse),
    "govv1beta1-proposals": _page("proposals", gov.Proposal.parse),
    "govv1beta1-tally": _need("tally", gov.TallyResult.parse),
    "govv1beta1-votes": _page("votes", gov.Vote.parse),
    "govv1beta1-params": _root(gov.GovParams.parse),
    "bme-params": _need("params", bme.BmeParams.parse),
    "bme-status": _root(bme.BmeStatus.parse),
    "bme-vault": _need("vault_state", bme.VaultState.parse),
    "bme-ledger": _page("records", bme.LedgerRecord.parse),
    "oracle-aggregated-price": _root(oracle.AggregatedPrice.parse_response),
    "cert-list": _page("certificates", cert.Certificate.parse),
    "node-info": _root(tendermint.NodeInfo.parse),
    "block-latest": _root(tendermint.Block.parse),
    "block-by-height": _root(tendermint.Block.parse),
    "tx-by-hash": tx.parse_get_tx,
    "tx-search": tx.parse_search,
}


@pytest.fixture
def shapes(vectors: Path) -> tuple[Path, dict[str, Any]]:
    root = vectors / "localnet" / "shapes"
    return root, json.loads((root / "index.json").read_text())


def parsed(shapes: tuple[Path, dict[str, Any]], name: str) -> Any:
    root, index = shapes
    entry = index[name]
    return PARSERS[name](json.loads((root / f"{name}.json").read_text()), entry["path"].split("?")[0])


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_certified_local_answer_parses(shapes: tuple[Path, dict[str, Any]], name: str) -> None:
    assert name in shapes[1], f"{name} is no longer among the certified local-node answers"
    assert parsed(shapes, name) is not None


def test_certified_values_make_sense(shapes: tuple[Path, dict[str, Any]]) -> None:
    assert parsed(shapes, "node-info").chain_id == "localnet-1"
    assert parsed(shapes, "auth-module-account").kind == "module"
    assert parsed(shapes, "block-by-height").height == 2
    validators = parsed(shapes, "staking-validators").items
    assert len(validators) >= 8 and any(v.jailed for v in validators)
    assert {e.completion_time is not None for u in parsed(shapes, "staking-unbonding").items for e in u.entries} <= {True}
    proposals = parsed(shapes, "gov-proposals").items
    legacy = parsed(shapes, "govv1beta1-proposals").items
    assert [p.id for p in proposals] == [p.id for p in legacy] and any(p.title for p in legacy)
    assert all(p.messages for p in legacy)  # v1beta1 content becomes the one message
    assert parsed(shapes, "gov-params").quorum > 0
    assert parsed(shapes, "govv1beta1-params").voting_period is not None
    ledger = parsed(shapes, "bme-ledger").items
    assert ledger and ledger[0].status.known and ledger[0].to_denom == "uact"
    assert parsed(shapes, "oracle-aggregated-price").median_price > Decimal(0)
    found = parsed(shapes, "tx-search")
    assert found.items and all(t.txhash for t in found.items)
    (grant,) = parsed(shapes, "authz-grantee").items
    assert isinstance(grant.authorization, authz.DepositAuthorization) and grant.authorization.scopes == ("deployment",)
    assert grant.authorization.limit_of("uact") > 0 and grant.granter and grant.expiration is not None
    assert parsed(shapes, "mint-params").blocks_per_year > 0
    assert Decimal(0) < parsed(shapes, "distribution-params").community_tax < 1
    one = parsed(shapes, "tx-by-hash")
    assert one.height > 0 and one.messages and one.fee
