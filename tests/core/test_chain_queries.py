"""Every query function asks the real gateway path with the real parameter names, and parses the answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.chain import (
    auth,
    authz,
    bank,
    bme,
    cert,
    deployment,
    distribution,
    escrow,
    gov,
    market,
    mint,
    oracle,
    provider,
    slashing,
    staking,
    tendermint,
    tx,
)
from app.chain.client import ChainClient
from app.chain.common import Coin
from app.chain.policy import RetryPolicy
from tests.core.test_chain_helpers import NODE_INFO, FakeNode, Reply

ADDR = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
VAL = "akashvaloper1qx9knjqah8s0l4rhwmapsd6cuah4948jy0gf0t"
PAGE = {"next_key": None, "total": "0"}


@pytest.fixture
async def env() -> AsyncIterator[tuple[FakeNode, ChainClient]]:
    node = FakeNode()
    await node.start()
    client = ChainClient([node.url], retry=RetryPolicy(rounds=1))
    yield node, client
    await client.aclose()
    await node.stop()


def last_query(node: FakeNode) -> dict[str, list[str]]:
    return node.seen[-1].query


async def test_tendermint(env: tuple[FakeNode, ChainClient]) -> None:
    node, c = env
    node.always("GET", tendermint.NODE_INFO, Reply(body=NODE_INFO))
    block = {
        "block_id": {"hash": "qqo="},
        "block": {"header": {"chain_id": "localnet-1", "height": "42", "time": "2026-05-01T10:00:00.5Z",
                             "proposer_address": "AAA="}, "data": {"txs": ["CgQ=", "CgU="]}},
    }  # fmt: skip
    node.always("GET", tendermint.LATEST_BLOCK, Reply(body=block))
    node.always("GET", "/cosmos/base/tendermint/v1beta1/blocks/41", Reply(body=block))
    info = await tendermint.node_info(c)
    assert (info.chain_id, info.app_version, info.cosmos_sdk_version) == ("localnet-1", "2.1.0", "v0.53.7")
    b = await tendermint.latest_block(c)
    assert (b.height, b.tx_count, b.hash) == (42, 2, "qqo=")
    assert b.time == datetime(2026, 5, 1, 10, 0, 0, 500000, tzinfo=UTC)
    assert (await tendermint.block_at(c, 41)).chain_id == "localnet-1"


async def test_auth_and_bank(env: tuple[FakeNode, ChainClient]) -> None:
    node, c = env
    node.always("GET", f"/cosmos/auth/v1beta1/accounts/{ADDR}", Reply(body={"account": {
        "@type": "/cosmos.auth.v1beta1.BaseAccount", "address": ADDR, "account_number": "3", "sequence": "9"}}))  # fmt: skip
    assert (await auth.account(c, ADDR)).sequence == 9
    node.always("GET", f"/cosmos/bank/v1beta1/balances/{ADDR}", Reply(body={"balances": [{"denom": "uakt", "amount": "5"}], "pagination": PAGE}))
    node.always("GET", f"/cosmos/bank/v1beta1/balances/{ADDR}/by_denom", Reply(body={"balance": {"denom": "uact", "amount": "7"}}))
    node.always("GET", f"/cosmos/bank/v1beta1/spendable_balances/{ADDR}", Reply(body={"balances": [], "pagination": PAGE}))
    node.always("GET", bank.DENOMS_METADATA, Reply(body={"metadatas": [{
        "base": "uact", "display": "act", "name": "Akash Compute Token", "symbol": "ACT",
        "denom_units": [{"denom": "uact", "exponent": 0}, {"denom": "act", "exponent": 6, "aliases": []}]}], "pagination": PAGE}))  # fmt: skip
    node.always("GET", bank.SEND_ENABLED, Reply(body={"send_enabled": [{"denom": "uact", "enabled": False}], "pagination": PAGE}))
    assert await bank.balances(c, ADDR) == (Coin("uakt", 5),)
    assert await bank.balance(c, ADDR, "uact") == Coin("uact", 7)
    assert last_query(node) == {"denom": ["uact"]}
    assert await bank.spendable_balances(c, ADDR) == ()
    meta = (await bank.denoms_metadata(c)).items[0]
    assert meta.symbol == "ACT" and meta.display_exponent == 6
    flags = await bank.send_enabled(c, ("uact",))
    assert flags == (bank.SendEnabled("uact", False),) and last_query(node) == {"denoms": ["uact"]}


async def test_staking_and_distribution(env: tuple[FakeNode, ChainClient]) -> None:
    node, c = env
    val = {"operator_address": VAL, "status": "BOND_STATUS_BONDED", "tokens": "10", "jailed": True,
           "description": {"moniker": "v"}, "commission": {"commission_rates": {"rate": "0.1"}}}  # fmt: skip
    node.always("GET", staking.VALIDATORS, Reply(body={"validators": [val], "pagination": PAGE}))
    node.always("GET", f"/cosmos/staking/v1beta1/validators/{VAL}", Reply(body={"validator": val}))
    node.always("GET", f"/cosmos/staking/v1beta1/delegations/{ADDR}", Reply(body={"delegation_responses": [
        {"delegation": {"delegator_address": ADDR, "validator_address": VAL, "shares": "100.5"},
         "balance": {"denom": "uakt", "amount": "100"}}], "pagination": PAGE}))  # fmt: skip
    node.always("GET", f"/cosmos/staking/v1beta1/delegators/{ADDR}/unbonding_delegations", Reply(body={"unbonding_responses": [
        {"delegator_address": ADDR, "validator_address": VAL, "entries": [
            {"creation_height": "5", "completion_time": "2026-06-01T00:00:00Z", "initial_balance": "9", "balance": "9"}]}],
        "pagination": PAGE}))  # fmt: skip
    node.always("GET", f"/cosmos/staking/v1beta1/delegators/{ADDR}/redelegations", Reply(body={"redelegation_responses": [
        {"redelegation": {"delegator_address": ADDR, "validator_src_address": VAL, "validator_dst_address": VAL + "x",
                          "entries": []},
         "entries": [{"redelegation_entry": {"creation_height": "6", "completion_time": "2026-06-02T00:00:00Z",
                                             "initial_balance": "4", "shares_dst": "4.0"}, "balance": "4"}]}],
        "pagination": PAGE}))  # fmt: skip
    node.always("GET", staking.POOL, Reply(body={"pool": {"bonded_tokens": "1000", "not_bonded_tokens": "5"}}))
    node.always("GET", staking.PARAMS, Reply(body={"params": {"unbonding_time": "1814400s", "max_validators": 100,
                                                               "bond_denom": "uakt", "min_commission_rate": "0.05"}}))  # fmt: skip
    node.always("GET", f"/cosmos/distribution/v1beta1/delegators/{ADDR}/rewards", Reply(body={
        "rewards": [{"validator_address": VAL, "reward": [{"denom": "uakt", "amount": "1.5"}]}],
        "total": [{"denom": "uakt", "amount": "1.5"}]}))  # fmt: skip
    node.always("GET", f"/cosmos/distribution/v1beta1/delegators/{ADDR}/rewards/{VAL}", Reply(body={"rewards": [{"denom": "uakt", "amount": "2.25"}]}))

    page = await staking.validators_page(c, staking.BondStatus.BONDED)
    assert page.items[0].jailed and last_query(node)["status"] == ["BOND_STATUS_BONDED"]
    assert (await staking.validators(c)).items[0].commission.rate == Decimal("0.1")
    assert (await staking.validator(c, VAL)).moniker == "v"
    assert (await staking.delegations(c, ADDR)).items[0].shares == Decimal("100.5")
    ub = (await staking.unbonding_delegations(c, ADDR)).items[0]
    assert ub.entries[0].completion_time == datetime(2026, 6, 1, tzinfo=UTC) and ub.entries[0].balance == 9
    rd = (await staking.redelegations(c, ADDR)).items[0]
    assert rd.entries[0].balance == 4 and rd.entries[0].shares_dst == Decimal(4) and rd.validator_dst_address == VAL + "x"
    assert (await staking.pool(c)).bonded_tokens == 1000
    params = await staking.params(c)
    assert params.unbonding_time is not None and params.unbonding_time.days == 21
    rewards = await distribution.rewards(c, ADDR)
    assert rewards.total[0].amount == Decimal("1.5") and rewards.rewards[0].validator_address == VAL
    assert (await distribution.rewards_from(c, ADDR, VAL))[0].amount == Decimal("2.25")


async def test_gov(env: tuple[FakeNode, ChainClient]) -> None:
    node, c = env
    prop = {"id": "7", "status": "PROPOSAL_STATUS_VOTING_PERIOD", "title": "T", "messages": []}
    node.always("GET", "/cosmos/gov/v1/proposals", Reply(body={"proposals": [prop], "pagination": PAGE}))
    node.always("GET", "/cosmos/gov/v1/proposals/7", Reply(body={"proposal": prop}))
    node.always("GET", "/cosmos/gov/v1/proposals/7/tally", Reply(body={"tally": {"yes_count": "3"}}))
    node.always("GET", "/cosmos/gov/v1/proposals/7/votes", Reply(body={"votes": [
        {"proposal_id": "7", "voter": ADDR, "options": [{"option": "VOTE_OPTION_ABSTAIN", "weight": "1.000000000000000000"}]}],
        "pagination": PAGE}))  # fmt: skip
    node.always("GET", f"/cosmos/gov/v1/proposals/7/votes/{ADDR}", Reply(body={"vote": {
        "proposal_id": "7", "voter": ADDR, "options": [{"option": "VOTE_OPTION_YES", "weight": "1.000000000000000000"}]}}))  # fmt: skip
    node.always("GET", "/cosmos/gov/v1/params/tallying", Reply(body={"params": {
        "min_deposit": [{"denom": "uakt", "amount": "50"}], "voting_period": "604800s", "quorum": "0.2",
        "threshold": "0.5", "veto_threshold": "0.334"}}))  # fmt: skip
    node.always("GET", "/cosmos/gov/v1beta1/proposals/7", Reply(body={"proposal": {
        "proposal_id": "7", "content": {"@type": "/x", "title": "Legacy"}, "status": "PROPOSAL_STATUS_PASSED"}}))  # fmt: skip
    page = await gov.proposals_page(c, gov.ProposalStatus.VOTING_PERIOD)
    assert page.items[0].id == 7 and last_query(node)["proposal_status"] == ["PROPOSAL_STATUS_VOTING_PERIOD"]
    assert (await gov.proposals(c)).items[0].title == "T"
    assert (await gov.proposal(c, 7)).status is gov.ProposalStatus.VOTING_PERIOD
    assert (await gov.tally(c, 7)).yes == 3
    assert (await gov.votes(c, 7)).items[0].main_option is gov.VoteOption.ABSTAIN
    assert (await gov.vote(c, 7, ADDR)).main_option is gov.VoteOption.YES
    assert (await gov.params(c)).quorum == Decimal("0.2")
    assert (await gov.proposal(c, 7, legacy=True)).title == "Legacy"


async def test_deployment_market_escrow(env: tuple[FakeNode, ChainClient]) -> None:
    node, c = env
    dep = {"deployment": {"id": {"owner": ADDR, "dseq": "9"}, "state": "active", "hash": "", "created_at": "3"},
           "groups": [], "escrow_account": None}  # fmt: skip
    node.always("GET", deployment.LIST, Reply(body={"deployments": [dep], "pagination": PAGE}))
    node.always("GET", deployment.INFO, Reply(body=dep))
    node.always("GET", deployment.GROUP_INFO, Reply(body={"group": {"id": {"owner": ADDR, "dseq": "9", "gseq": 1},
                                                                     "state": "paused", "group_spec": {"name": "g"}}}))  # fmt: skip
    node.always("GET", deployment.PARAMS, Reply(body={"params": {"min_deposits": [{"denom": "uact", "amount": "500000"}]}}))
    page = await deployment.deployments_page(c, ADDR, state=deployment.DeploymentState.ACTIVE)
    assert page.items[0].deployment.id.dseq == 9
    assert last_query(node)["filters.owner"] == [ADDR] and last_query(node)["filters.state"] == ["active"]
    assert (await deployment.deployments(c, ADDR)).items[0].escrow_account is None
    await deployment.deployment(c, ADDR, 9)
    assert last_query(node) == {"id.owner": [ADDR], "id.dseq": ["9"]}
    assert (await deployment.group(c, ADDR, 9, 1)).state is deployment.GroupState.PAUSED
    assert (await deployment.params(c)).min_deposit("uact") == 500000

    bid_id = {"owner": ADDR, "dseq": "9", "gseq": 1, "oseq": 1, "provider": "akash1prov", "bseq": 0}
    node.always("GET", market.ORDERS, Reply(body={"orders": [{"id": {"owner": ADDR, "dseq": "9", "gseq": 1, "oseq": 1},
                                                               "state": "open", "spec": {"name": "g"}}], "pagination": PAGE}))  # fmt: skip
    node.always("GET", market.ORDER_INFO, Reply(body={"order": {"id": {"owner": ADDR, "dseq": "9"}, "state": "closed", "spec": {}}}))
    node.always("GET", market.BIDS, Reply(body={"bids": [{"bid": {"id": bid_id, "state": "open"}}], "pagination": PAGE}))
    node.always("GET", market.BID_INFO, Reply(body={"bid": {"id": bid_id, "state": "active"}, "escrow_account": None}))
    node.always("GET", market.LEASES, Reply(body={"leases": [{"lease": {"id": bid_id, "state": "closed",
                                                                         "reason": "lease_closed_owner"}}], "pagination": PAGE}))  # fmt: skip
    node.always("GET", market.LEASE_INFO, Reply(body={"lease": {"id": bid_id, "state": "active"}}))
    node.always("GET", market.PARAMS, Reply(body={"params": {"bid_min_deposit": {"denom": "uakt", "amount": "500000"},
                                                              "order_max_bids": 20, "min_reclamation_window": "3600s"}}))  # fmt: skip
    f = market.MarketFilters(owner=ADDR, dseq=9, state="open", provider="akash1prov")
    orders = await market.orders_page(c, f)
    assert orders.items[0].state is market.OrderState.OPEN and "filters.provider" not in last_query(node)
    assert (await market.order(c, market.OrderID(ADDR, 9, 1, 1))).state is market.OrderState.CLOSED
    assert last_query(node) == {"id.owner": [ADDR], "id.dseq": ["9"], "id.gseq": ["1"], "id.oseq": ["1"]}
    bids = await market.bids_page(c, f)
    assert bids.items[0].bid.id.provider == "akash1prov"
    assert last_query(node)["filters.provider"] == ["akash1prov"] and last_query(node)["filters.dseq"] == ["9"]
    assert len((await market.bids(c, f)).items) == 1
    bid = await market.bid(c, market.BidID(ADDR, 9, 1, 1, "akash1prov", 0))
    assert bid.bid.state is market.BidState.ACTIVE and last_query(node)["id.bseq"] == ["0"]
    leases = await market.leases(c, market.MarketFilters(owner=ADDR))
    assert leases.items[0].lease.reason is market.LeaseClosedReason.OWNER
    assert (await market.leases_page(c, market.MarketFilters())).items[0].lease.state is market.LeaseState.CLOSED
    assert (await market.lease(c, market.BidID(ADDR, 9, 1, 1, "akash1prov", 0))).escrow_payment is None
    mp = await market.params(c)
    assert mp.order_max_bids == 20 and mp.bid_min_deposit == Coin("uakt", 500000)

    acct = {"id": {"scope": "deployment", "xid": f"{ADDR}/9"}, "state": {"state": "open", "funds": []}}
    node.always("GET", escrow.ACCOUNTS, Reply(body={"accounts": [acct], "pagination": PAGE}))
    node.always("GET", escrow.PAYMENTS, Reply(body={"payments": [{"id": {"aid": acct["id"], "xid": "1/1/akash1prov"},
                                                                  "state": {"state": "open"}}], "pagination": PAGE}))  # fmt: skip
    xid = "deployment/" + escrow.deployment_xid(ADDR, 9)
    accts = await escrow.accounts(c, xid=xid, state=escrow.EscrowState.OPEN)
    assert accts.items[0].id.scope is escrow.Scope.DEPLOYMENT and last_query(node) == {"xid": [xid], "state": ["open"]}
    pays = await escrow.payments(c, xid=xid)
    assert pays.items[0].id.xid == "1/1/akash1prov"


async def test_provider_cert_bme_oracle_tx(env: tuple[FakeNode, ChainClient]) -> None:
    node, c = env
    prov = {"owner": "akash1prov", "host_uri": "https://p:8443", "attributes": [{"key": "region", "value": "eu"}]}
    node.always("GET", provider.PROVIDERS, Reply(body={"providers": [prov], "pagination": PAGE}))
    node.always("GET", "/akash/provider/v1beta4/providers/akash1prov", Reply(body={"provider": prov}))
    node.always("GET", "/akash/audit/v1/audit/attributes/akash1prov/list", Reply(body={"providers": [
        {"owner": "akash1prov", "auditor": "akash1aud", "attributes": []}], "pagination": PAGE}))  # fmt: skip
    node.always("GET", "/akash/audit/v1/audit/attributes/akash1aud/akash1prov", Reply(body={"providers": [], "pagination": PAGE}))
    assert (await provider.providers(c)).items[0].attribute("region") == "eu"
    assert (await provider.provider(c, "akash1prov")).host_uri == "https://p:8443"
    assert (await provider.audited_attributes(c, "akash1prov")).items[0].auditor == "akash1aud"
    assert (await provider.audited_by(c, "akash1aud", "akash1prov")).items == ()

    node.always("GET", cert.LIST, Reply(body={"certificates": [{"certificate": {"state": "revoked"}, "serial": "5"}], "pagination": PAGE}))
    certs = await cert.certificates(c, ADDR, state=cert.CertState.REVOKED)
    assert certs.items[0].state is cert.CertState.REVOKED
    assert last_query(node)["filter.owner"] == [ADDR] and last_query(node)["filter.state"] == ["revoked"]

    node.always("GET", bme.PARAMS, Reply(body={"params": {"min_epoch_blocks": "10", "mint_spread_bps": 25,
                                                           "min_mint": {"denom": "uact", "amount": "10000000"}}}))  # fmt: skip
    node.always("GET", bme.STATUS, Reply(body={"status": "mint_status_halt_cr", "mints_allowed": False}))
    node.always("GET", bme.VAULT, Reply(body={"vault_state": {"balances": [{"denom": "uakt", "amount": "1"}]}}))
    node.always("GET", bme.LEDGER, Reply(body={"records": [], "pagination": PAGE}))
    bp = await bme.params(c)
    assert bp.min_epoch_blocks == 10 and bp.min_mint == (Coin("uact", 10_000_000),)
    st = await bme.status(c)
    assert st.status is bme.MintStatus.HALT_CR and not st.mints_allowed
    assert (await bme.vault(c)).balances == (Coin("uakt", 1),)
    await bme.ledger(c, source=ADDR, status_filter=bme.LedgerStatus.PENDING)
    assert last_query(node)["filters.source"] == [ADDR] and last_query(node)["pagination.reverse"] == ["true"]

    node.always("GET", "/akash/oracle/v2/aggregated_price/akt", Reply(body={"aggregated_price": {"denom": "akt", "twap": "2.5"}}))
    node.always("GET", oracle.PRICES, Reply(body={"prices": [{"id": {"source": 1, "denom": "akt", "base_denom": "usd", "height": "5"},
                                                              "state": {"price": "2.4", "timestamp": "2026-01-01T00:00:00Z"}}],
                                                   "pagination": PAGE}))  # fmt: skip
    node.always("GET", oracle.PARAMS, Reply(body={"params": {"min_price_sources": 1, "twap_window": "5s"}}))
    price = await oracle.aggregated_price(c)
    assert price.twap == Decimal("2.5") and price.healthy
    assert (await oracle.prices(c, asset_denom="akt")).items[0].price == Decimal("2.4")
    assert (await oracle.params(c)).min_price_sources == 1

    resp = {"txhash": "AB", "height": "3", "code": 0}
    node.always("GET", "/cosmos/tx/v1beta1/txs/AB", Reply(body={"tx": None, "tx_response": resp}))
    node.always("GET", tx.TXS, Reply(body={"txs": [{"body": {"memo": "m"}}], "tx_responses": [resp], "total": "120"}))
    assert (await tx.get_tx(c, "ab")).height == 3
    found = await tx.search_txs(c, f"message.sender='{ADDR}'", page=2, limit=50)
    assert found.items[0].memo == "m" and found.total == 120 and found.has_more
    assert last_query(node) == {"query": [f"message.sender='{ADDR}'"], "page": ["2"], "limit": ["50"], "order_by": ["ORDER_BY_DESC"]}


async def test_authz_grants(env: tuple[FakeNode, ChainClient]) -> None:
    node, c = env
    deposit = {"@type": authz.DEPOSIT_AUTHORIZATION, "spend_limit": {"denom": "uact", "amount": "0"},
               "spend_limits": [{"denom": "uact", "amount": "10000000"}], "scopes": ["deployment", 2]}
    legacy = {"@type": authz.DEPOSIT_AUTHORIZATION, "spend_limit": {"denom": "uact", "amount": "7"}, "scopes": ["bid"]}
    generic = {"@type": authz.GENERIC_AUTHORIZATION, "msg": "/cosmos.gov.v1.MsgVote"}
    grants = [{"granter": VAL, "grantee": ADDR, "authorization": deposit, "expiration": "2100-01-01T00:00:00Z"},
              {"granter": VAL, "grantee": ADDR, "authorization": legacy, "expiration": None},
              {"granter": VAL, "grantee": ADDR, "authorization": generic},
              {"granter": VAL, "grantee": ADDR, "authorization": {"@type": "/cosmos.bank.v1beta1.SendAuthorization"}}]
    node.always("GET", f"/cosmos/authz/v1beta1/grants/grantee/{ADDR}", Reply(body={"grants": grants, "pagination": PAGE}))
    node.always("GET", f"/cosmos/authz/v1beta1/grants/granter/{VAL}", Reply(body={"grants": grants[:1], "pagination": PAGE}))
    node.always("GET", authz.GRANTS, Reply(body={"grants": [{"authorization": generic}], "pagination": PAGE}))
    got = (await authz.grants_to(c, ADDR)).items
    first, second = got[0].authorization, got[1].authorization
    assert isinstance(first, authz.DepositAuthorization) and isinstance(second, authz.DepositAuthorization)
    assert first.limits == (Coin("uact", 10_000_000),) and first.scopes == ("deployment", "bid")
    assert second.limits == (Coin("uact", 7),) and second.limit_of("uact") == 7 and second.limit_of("uakt") == 0
    assert got[0].expiration == datetime(2100, 1, 1, tzinfo=UTC) and got[1].expiration is None
    assert got[2].authorization == authz.GenericAuthorization("/cosmos.gov.v1.MsgVote")
    assert got[3].authorization == authz.OtherAuthorization("/cosmos.bank.v1beta1.SendAuthorization")
    assert got[1].live(datetime.now(UTC)) and not got[0].live(datetime(2100, 1, 2, tzinfo=UTC))
    assert len((await authz.grants_by(c, VAL)).items) == 1
    one = (await authz.grants(c, VAL, ADDR, "/cosmos.gov.v1.MsgVote")).items[0]
    assert one.granter == "" and isinstance(one.authorization, authz.GenericAuthorization)
    assert last_query(node)["granter"] == [VAL] and last_query(node)["msg_type_url"] == ["/cosmos.gov.v1.MsgVote"]


async def test_slashing_mint_and_distribution_params(env: tuple[FakeNode, ChainClient]) -> None:
    node, c = env
    node.always("GET", slashing.PARAMS, Reply(body={"params": {
        "signed_blocks_window": "30000", "min_signed_per_window": "0.050000000000000000",
        "downtime_jail_duration": "600s"}}))  # fmt: skip
    node.always("GET", slashing.SIGNING_INFOS, Reply(body={"info": [
        {"address": "akashvalcons1x", "missed_blocks_counter": "12", "jailed_until": "1970-01-01T00:00:00Z",
         "tombstoned": True}], "pagination": PAGE}))  # fmt: skip
    node.always("GET", mint.PARAMS, Reply(body={"params": {"mint_denom": "uakt", "inflation_max": "0.2",
                                                            "goal_bonded": "0.67", "blocks_per_year": "5256000"}}))
    node.always("GET", mint.ANNUAL_PROVISIONS, Reply(body={"annual_provisions": "120000000000.5"}))
    node.always("GET", distribution.PARAMS, Reply(body={"params": {"community_tax": "0.02",
                                                                    "withdraw_addr_enabled": True}}))
    sp = await slashing.params(c)
    assert sp.signed_blocks_window == 30_000 and sp.min_signed_per_window == Decimal("0.05")
    assert sp.downtime_jail_duration is not None and sp.downtime_jail_duration.total_seconds() == 600
    info = (await slashing.signing_infos(c)).items[0]
    assert info.address == "akashvalcons1x" and info.missed_blocks_counter == 12 and info.tombstoned
    assert last_query(node)["pagination.limit"] == ["500"]
    mp = await mint.params(c)
    assert mp.blocks_per_year == 5_256_000 and mp.inflation_max == Decimal("0.2") and mp.mint_denom == "uakt"
    assert await mint.annual_provisions(c) == Decimal("120000000000.5")
    dp = await distribution.params(c)
    assert dp.community_tax == Decimal("0.02") and dp.withdraw_addr_enabled
