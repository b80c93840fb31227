"""Every captured mainnet REST answer parses into the typed models; wrong shapes fail naming the field."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app.chain import (
    auth,
    bank,
    bme,
    cert,
    deployment,
    distribution,
    gov,
    market,
    oracle,
    provider,
    staking,
    tx,
)
from app.chain.common import Coin, DecCoin
from app.chain.errors import MalformedResponse
from app.chain.jsonread import Obj
from app.chain.pagination import parse_page


def load(vectors: Path, name: str) -> dict:
    return json.loads((vectors / "chain" / name).read_text())


# file -> how the app parses it (the same functions the query helpers use).
PARSERS = {
    "rest-account.json": lambda d: auth.parse_account_response(d, auth.ACCOUNT),
    "rest-audit-providers.json": lambda d: parse_page(d, provider.AUDIT_ALL, "providers", provider.AuditedProvider.parse),
    "rest-bank-balances.json": lambda d: parse_page(d, bank.BALANCES, "balances", Coin.parse),
    "rest-bids.json": lambda d: parse_page(d, market.BIDS, "bids", market.BidInfo.parse),
    "rest-certificates.json": lambda d: parse_page(d, cert.LIST, "certificates", cert.Certificate.parse),
    "rest-delegations.json": lambda d: parse_page(d, staking.DELEGATIONS, "delegation_responses", staking.Delegation.parse),
    "rest-deployment.json": lambda d: deployment.DeploymentInfo.parse(Obj(d, deployment.INFO)),
    "rest-deployments.json": lambda d: parse_page(d, deployment.LIST, "deployments", deployment.DeploymentInfo.parse),
    "rest-lease.json": lambda d: market.LeaseInfo.parse(Obj(d, market.LEASE_INFO)),
    "rest-leases.json": lambda d: parse_page(d, market.LEASES, "leases", market.LeaseInfo.parse),
    "rest-proposals.json": lambda d: parse_page(d, gov.V1 + "/proposals", "proposals", gov.Proposal.parse),
    "rest-provider.json": lambda d: provider.Provider.parse(Obj(d, provider.PROVIDER).need("provider")),
    "rest-rewards.json": lambda d: distribution.DelegatorRewards.parse(Obj(d, distribution.REWARDS)),
    "rest-tally.json": lambda d: gov.TallyResult.parse(Obj(d, "tally").need("tally")),
    "rest-validators.json": lambda d: parse_page(d, staking.VALIDATORS, "validators", staking.Validator.parse),
}


def test_every_captured_answer_has_a_parser(vectors: Path) -> None:
    index = load(vectors, "shape-index.json")
    assert set(index) == set(PARSERS)
    on_disk = {p.name for p in (vectors / "chain").glob("rest-*.json") if not p.name.endswith(".out.json")}
    assert on_disk == set(PARSERS)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_captured_answer_parses(vectors: Path, name: str) -> None:
    assert PARSERS[name](load(vectors, name)) is not None


def test_bids_capture(vectors: Path) -> None:
    page = PARSERS["rest-bids.json"](load(vectors, "rest-bids.json"))
    item = page.items[0]
    assert item.bid.id == market.BidID(
        "akash1008l639687lnkcscsrha36n5zdt3qzz30yzc67", 22804430, 1, 1, "akash13va9yxc8a7wlc882g72uj4g2fscj93hdk0uycp", 0
    )
    assert item.bid.state is market.BidState.OPEN
    assert item.bid.price.amount == Decimal("2.526488")
    assert item.bid.created_at == 25930029
    offer = item.bid.resources_offer[0]
    assert (offer.resources.cpu_millis, offer.resources.memory_bytes, offer.count) == (100, 536870912, 1)
    assert offer.resources.storage[0].quantity == 1073741824
    assert offer.resources.endpoints[0].kind == "RANDOM_PORT"
    assert item.bid.reclamation_window is None
    # The provider's bid deposit, not the tenant's escrow.
    esc = item.escrow_account
    assert esc is not None and esc.id.scope.value == "bid"
    assert esc.funds == (DecCoin("uakt", Decimal("500000")),)
    assert esc.deposits[0].source == "balance" and esc.settled_at == 25930029
    # The capture cut next_key short: kept as an opaque string, never decoded.
    assert page.page.next_key == load(vectors, "rest-bids.json")["pagination"]["next_key"]
    assert page.page.total == 1


def test_truncated_next_key_is_kept_opaque(vectors: Path) -> None:
    raw = load(vectors, "rest-leases.json")["pagination"]["next_key"]
    page = PARSERS["rest-leases.json"](load(vectors, "rest-leases.json"))
    assert page.page.next_key == raw and raw.endswith("...")


def test_lease_capture(vectors: Path) -> None:
    info = PARSERS["rest-lease.json"](load(vectors, "rest-lease.json"))
    lease = info.lease
    assert lease.state is market.LeaseState.ACTIVE
    assert lease.reason is market.LeaseClosedReason.INVALID
    assert lease.price == DecCoin("uact", Decimal("4.826603"))
    assert (lease.created_at, lease.closed_on, lease.reclamation) == (25880690, 0, None)
    pay = info.escrow_payment
    assert pay is not None
    assert pay.id.account.xid == "akash102kdwsssl6jf4frdcz50mua6j0h6d8wdhjh7nq/25880666"
    assert pay.id.xid == "1/1/akash19zzh7whjt4vfwxd5wtj3tjtyatnpntfhldshd8"
    assert pay.withdrawn == Coin("uact", 13780746)
    assert pay.rate.amount == Decimal("4.826603") and pay.balance.amount == 0


def test_deployment_capture(vectors: Path) -> None:
    info = PARSERS["rest-deployment.json"](load(vectors, "rest-deployment.json"))
    assert info.deployment.id == deployment.DeploymentID("akash100dwtg4hqnd240x583spjwnk4kanp559xwtvmg", 16122570)
    assert info.deployment.state is deployment.DeploymentState.ACTIVE
    assert len(info.deployment.hash) == 32
    group = info.groups[0]
    assert group.state is deployment.GroupState.OPEN and group.spec.name == "dcloud"
    assert group.spec.resources[0].price == DecCoin("uact", Decimal("584.63514"))
    assert group.spec.price_per_block() == Decimal("584.63514")
    esc = info.escrow_account
    assert esc is not None
    assert esc.funds_of("uact") == Decimal("292317.57")
    assert esc.transferred == (DecCoin("uakt", Decimal(0)),)
    assert esc.state.value == "open"


@pytest.mark.parametrize("name", ["rest-deployment.json", "rest-deployments.json"])
def test_deployment_summary_agrees_with_the_whole_answer(vectors: Path, name: str) -> None:
    data = load(vectors, name)
    items = data.get("deployments", [data])
    for item in items:
        whole = deployment.DeploymentInfo.parse(Obj(item, name))
        brief = deployment.DeploymentSummary.parse(Obj(item, name))
        assert brief.id == whole.deployment.id and brief.escrow_account == whole.escrow_account
        assert brief.group_totals == {g.id.gseq: g.spec.totals() for g in whole.groups}
        assert all(t.cpu_millis > 0 and t.memory_bytes > 0 for t in brief.group_totals.values())


def test_certificate_capture_decodes_lazily(vectors: Path) -> None:
    page = PARSERS["rest-certificates.json"](load(vectors, "rest-certificates.json"))
    c = page.items[0]
    assert c.serial == "1734494424255000" and c.state is cert.CertState.VALID
    with pytest.raises(MalformedResponse, match="cert"):
        _ = c.cert_pem  # the capture truncated it with "..."
    good = cert.Certificate("1", cert.CertState.VALID, "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==", "")
    assert good.cert_pem.startswith("-----BEGIN CERTIFICATE-----")


def test_account_capture_module_account(vectors: Path) -> None:
    acct = PARSERS["rest-account.json"](load(vectors, "rest-account.json"))
    assert acct.kind == "module" and acct.module_name == "fee_collector"
    assert (acct.account_number, acct.sequence, acct.pub_key) == (220, 0, None)


def test_validators_and_proposals_capture(vectors: Path) -> None:
    v = PARSERS["rest-validators.json"](load(vectors, "rest-validators.json")).items[0]
    assert v.moniker == "cosmosrescue" and v.status is staking.BondStatus.BONDED
    assert v.tokens == 399745659305 and v.commission.rate == Decimal("0.05")
    assert v.unbonding_time == datetime(1970, 1, 1, tzinfo=UTC)
    p = PARSERS["rest-proposals.json"](load(vectors, "rest-proposals.json")).items[0]
    assert p.id == 341 and p.status is gov.ProposalStatus.VOTING_PERIOD
    assert p.messages[0].type_url == "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend"
    assert json.loads(p.messages[0].json)["amount"] == [{"denom": "uakt", "amount": "230557400000"}]
    assert p.voting_end_time == datetime(2026, 9, 25, 15, 22, 26, 35897, tzinfo=UTC)
    assert p.total_deposit == (Coin("uakt", 1000000000),)
    t = PARSERS["rest-tally.json"](load(vectors, "rest-tally.json"))
    assert t.yes == 35102265275414 and t.total == 35102265275414 + 763068307757 + 8545777331


def test_small_captures(vectors: Path) -> None:
    assert PARSERS["rest-bank-balances.json"](load(vectors, "rest-bank-balances.json")).items == (Coin("uakt", 2311523),)
    rewards = PARSERS["rest-rewards.json"](load(vectors, "rest-rewards.json"))
    assert rewards.rewards == () and rewards.total == ()
    prov = PARSERS["rest-provider.json"](load(vectors, "rest-provider.json"))
    assert prov.host_uri == "https://provider.forgeelectronics.uk:8443" and prov.attribute("host") == "akash"
    audited = PARSERS["rest-audit-providers.json"](load(vectors, "rest-audit-providers.json")).items[0]
    assert audited.attributes[0].key == "capabilities/cpu"


# -- shapes not in the captures ---------------------------------------------------------------------------

BASE_ACCOUNT = {
    "account": {
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        "address": "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0",
        "pub_key": {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": "Ak9OKtmcNNYLm6YoPJQxqEGK+GcyEpYfl6d7Y3f80Fti"},
        "account_number": "42",
        "sequence": "7",
    }
}


def test_base_and_vesting_accounts() -> None:
    a = auth.parse_account_response(BASE_ACCOUNT, "x")
    assert (a.kind, a.account_number, a.sequence) == ("base", 42, 7)
    assert a.pub_key is not None and a.pub_key.key_b64.startswith("Ak9O")
    vesting = {
        "account": {
            "@type": "/cosmos.vesting.v1beta1.ContinuousVestingAccount",
            "base_vesting_account": {
                "base_account": {**BASE_ACCOUNT["account"], "pub_key": None},
                "original_vesting": [{"denom": "uakt", "amount": "1000"}],
                "delegated_free": [],
                "delegated_vesting": [],
                "end_time": "1900000000",
            },
            "start_time": "1700000000",
        }
    }
    v = auth.parse_account_response(vesting, "x")
    assert v.kind == "continuous_vesting" and v.sequence == 7 and v.pub_key is None
    assert v.vesting is not None and v.vesting.original_vesting == (Coin("uakt", 1000),)
    assert v.vesting.end_time == datetime.fromtimestamp(1900000000, UTC)


def test_gov_v1beta1_shapes() -> None:
    legacy = {
        "proposal_id": "12",
        "content": {"@type": "/cosmos.gov.v1beta1.TextProposal", "title": "Old", "description": "Text"},
        "status": "PROPOSAL_STATUS_PASSED",
        "final_tally_result": {"yes": "10", "abstain": "1", "no": "2", "no_with_veto": "0"},
        "submit_time": "2021-01-01T00:00:00Z",
        "total_deposit": [],
    }
    p = gov.Proposal.parse(Obj(legacy, "p"))
    assert (p.id, p.title, p.summary, p.status) == (12, "Old", "Text", gov.ProposalStatus.PASSED)
    assert p.final_tally == gov.TallyResult(10, 1, 2, 0)
    assert p.messages[0].type_url == "/cosmos.gov.v1beta1.TextProposal"
    vote = gov.Vote.parse(Obj({"proposal_id": "12", "voter": "akash1x", "option": "VOTE_OPTION_NO"}, "v"))
    assert vote.main_option is gov.VoteOption.NO
    weighted = {"proposal_id": "3", "voter": "akash1y", "options": [{"option": "VOTE_OPTION_YES", "weight": "1.0"}]}
    assert gov.Vote.parse(Obj(weighted, "v")).main_option is gov.VoteOption.YES
    params = gov.GovParams.parse(
        Obj({"deposit_params": {"min_deposit": [{"denom": "uakt", "amount": "5"}], "max_deposit_period": "1209600s"},
             "voting_params": {"voting_period": "604800s"},
             "tally_params": {"quorum": "MC4yMDAwMDAwMDAwMDAwMDAwMDA=", "threshold": "0.5", "veto_threshold": "0.334"}}, "g")
    )  # fmt: skip
    assert params.quorum == Decimal("0.2") and params.voting_period == timedelta(days=7)
    assert params.min_deposit == (Coin("uakt", 5),)


def test_escrow_overdrawn_negative_funds_and_unknown_state() -> None:
    from app.chain.escrow import EscrowAccount, EscrowState

    acct = EscrowAccount.parse(
        Obj({"id": {"scope": "deployment", "xid": "akash1a/5"},
             "state": {"owner": "akash1a", "state": "overdrawn", "settled_at": "99",
                       "funds": [{"denom": "uact", "amount": "-0.100000000000000001"}], "transferred": [], "deposits": []}}, "e")
    )  # fmt: skip
    assert acct.state is EscrowState.OVERDRAWN and acct.funds_of("uact") == Decimal("-0.100000000000000001")
    newer = market.Lease.parse(Obj({"id": {"owner": "a", "dseq": "1", "provider": "p"}, "state": "migrating"}, "l"))
    assert newer.state.value == "migrating" and not newer.state.known
    by_number = market.Lease.parse(Obj({"id": {"owner": "a", "dseq": "1", "provider": "p"}, "state": 4, "reason": 20000}, "l"))
    assert by_number.state is market.LeaseState.RECLAIMING
    assert by_number.reason is market.LeaseClosedReason.INSUFFICIENT_FUNDS


def test_lease_reclamation_and_bme_oracle_shapes() -> None:
    lease = market.Lease.parse(
        Obj({"id": {"owner": "a", "dseq": "1", "provider": "p"}, "state": "reclaiming",
             "reclamation": {"window": "3600s", "started_at": "100", "deadline": "1800000000",
                             "reason": "lease_closed_reason_decommission"}}, "l")
    )  # fmt: skip
    assert lease.reclamation is not None and lease.reclamation.window == timedelta(hours=1)
    assert lease.reclamation.reason is market.LeaseClosedReason.DECOMMISSION
    st = bme.BmeStatus.parse(Obj({"status": "mint_status_healthy", "collateral_ratio": "1.5", "warn_threshold": "0.95",
                                  "halt_threshold": "0.9", "mints_allowed": True, "refunds_allowed": False}, "s"))  # fmt: skip
    assert st.status is bme.MintStatus.HEALTHY and st.mints_allowed and st.collateral_ratio == Decimal("1.5")
    rec = bme.LedgerRecord.parse(
        Obj({"id": {"denom": "uakt", "to_denom": "uact", "source": "akash1s", "height": "10", "sequence": "2"},
             "status": "ledger_record_status_pending",
             "pending_record": {"owner": "akash1s", "to": "akash1s", "coins_to_burn": {"denom": "uakt", "amount": "5000000"},
                                "denom_to_mint": "uact"}}, "b")
    )  # fmt: skip
    assert rec.status is bme.LedgerStatus.PENDING and rec.coins_to_burn == Coin("uakt", 5000000)
    price = oracle.AggregatedPrice.parse_response(
        Obj({"aggregated_price": {"denom": "akt", "twap": "1.23", "median_price": "1.25", "min_price": "1.2",
                                  "max_price": "1.3", "timestamp": "2026-09-01T00:00:00.123456789Z", "num_sources": 3,
                                  "deviation_bps": "80"},
             "price_health": {"denom": "akt", "is_healthy": False, "failure_reason": ["stale"]}}, "o")
    )  # fmt: skip
    assert price.median_price == Decimal("1.25") and not price.healthy
    assert price.health is not None and price.health.failure_reasons == ("stale",)


def test_tx_response_parses_events_and_fee() -> None:
    data = {
        "tx": {"body": {"messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": "akash1a",
                                       "to_address": "akash1b", "amount": [{"denom": "uakt", "amount": "5"}]}],
                        "memo": "hi"},
               "auth_info": {"fee": {"amount": [{"denom": "uakt", "amount": "2500"}], "gas_limit": "100000",
                                     "payer": "", "granter": ""}}},
        "tx_response": {"height": "12", "txhash": "abcd", "codespace": "", "code": 0, "raw_log": "",
                        "gas_wanted": "100000", "gas_used": "61234", "timestamp": "2026-01-01T00:00:00Z",
                        "events": [{"type": "transfer", "attributes": [{"key": "amount", "value": "5uakt", "index": True}]}]},
    }  # fmt: skip
    r = tx.parse_get_tx(data, tx.TX)
    assert (r.txhash, r.height, r.ok, r.gas_used, r.memo) == ("ABCD", 12, True, 61234, "hi")
    assert r.fee == (Coin("uakt", 2500),) and r.events_of("transfer")[0].get("amount") == "5uakt"
    assert r.messages[0].fields["to_address"] == "akash1b"


# -- wrong shapes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ({"balances": "oops"}, "$.balances", "expected a list"),
        ({"balances": [{"denom": "uakt", "amount": "1.5"}]}, "$.balances[0].amount", "expected an integer"),
        ({"balances": [{"denom": 5, "amount": "1"}]}, "$.balances[0].denom", "expected a string"),
        ({"balances": [7]}, "$.balances[0]", "expected an object"),
        ({"balances": [], "pagination": {"total": True}}, "$.pagination.total", "boolean"),
    ],
)
def test_wrong_shape_names_path_and_field(data: dict, field: str, problem: str) -> None:
    with pytest.raises(MalformedResponse) as info:
        parse_page(data, bank.BALANCES, "balances", Coin.parse)
    err = info.value
    assert err.path == bank.BALANCES and err.field == field and problem in err.problem
    assert bank.BALANCES in str(err) and "try another endpoint" in str(err)


def test_missing_required_fields_and_bad_values() -> None:
    with pytest.raises(MalformedResponse, match=r"\$\.account"):
        auth.parse_account_response({}, auth.ACCOUNT)
    with pytest.raises(MalformedResponse, match="address"):
        auth.parse_account_response({"account": {"@type": "/x.Y", "account_number": "1"}}, auth.ACCOUNT)
    with pytest.raises(MalformedResponse, match="decimal"):
        DecCoin.parse(Obj({"denom": "uact", "amount": "1e"}, "p"))
    with pytest.raises(MalformedResponse, match="RFC 3339"):
        Obj({"t": "yesterday"}, "p").time("t")
    with pytest.raises(MalformedResponse, match="duration"):
        Obj({"d": "soon"}, "p").duration("d")
    with pytest.raises(MalformedResponse, match="object"):
        Obj(["not", "an", "object"], "p")
