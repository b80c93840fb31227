"""The endpoints whose answers are certified against the official library's types, and the state they need."""

from __future__ import annotations

from app.localnet.modules.auth import module_address
from app.proto.gen.akash.bme.v1 import msgs_pb2 as bme
from app.proto.gen.akash.cert.v1 import msg_pb2 as cert_msg
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.proto.gen.cosmos.staking.v1beta1 import tx_pb2 as st
from app.wallet.signer import Signer
from tests.localnet.helpers import DEMO_MNEMONIC, client_certificate, signed
from tests.localnet.shape_cases_market import market_endpoints, prepare_market
from tests.localnet_fixtures import NodeClient

D = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"


def endpoints(c: NodeClient, txhash: str) -> list[tuple[str, str, str]]:
    """(name, path, chain-sdk type) of every answer to certify."""
    vals = c.get("/cosmos/staking/v1beta1/validators")["validators"]
    v0 = c.get(f"/cosmos/staking/v1beta1/delegations/{D}")["delegation_responses"][0]["delegation"]["validator_address"]
    fee = module_address("fee_collector")
    s, g1, g0, b = "cosmos.staking.v1beta1.", "cosmos.gov.v1.", "cosmos.gov.v1beta1.", "cosmos.bank.v1beta1."
    di, tm = "cosmos.distribution.v1beta1.", "cosmos.base.tendermint.v1beta1."
    return [
        ("auth-account", f"/cosmos/auth/v1beta1/accounts/{D}", "cosmos.auth.v1beta1.QueryAccountResponse"),
        ("auth-module-account", f"/cosmos/auth/v1beta1/accounts/{fee}", "cosmos.auth.v1beta1.QueryAccountResponse"),
        ("auth-params", "/cosmos/auth/v1beta1/params", "cosmos.auth.v1beta1.QueryParamsResponse"),
        ("bank-balances", f"/cosmos/bank/v1beta1/balances/{D}", b + "QueryAllBalancesResponse"),
        ("bank-balance", f"/cosmos/bank/v1beta1/balances/{D}/by_denom?denom=uact", b + "QueryBalanceResponse"),
        ("bank-spendable", f"/cosmos/bank/v1beta1/spendable_balances/{D}", b + "QuerySpendableBalancesResponse"),
        ("bank-supply", "/cosmos/bank/v1beta1/supply", b + "QueryTotalSupplyResponse"),
        ("bank-supply-of", "/cosmos/bank/v1beta1/supply/by_denom?denom=uakt", b + "QuerySupplyOfResponse"),
        ("bank-metadata", "/cosmos/bank/v1beta1/denoms_metadata", b + "QueryDenomsMetadataResponse"),
        ("bank-metadata-one", "/cosmos/bank/v1beta1/denoms_metadata/uact", b + "QueryDenomMetadataResponse"),
        ("bank-send-enabled", "/cosmos/bank/v1beta1/send_enabled", b + "QuerySendEnabledResponse"),
        ("bank-params", "/cosmos/bank/v1beta1/params", b + "QueryParamsResponse"),
        ("staking-validators", "/cosmos/staking/v1beta1/validators", s + "QueryValidatorsResponse"),
        ("staking-validator", f"/cosmos/staking/v1beta1/validators/{vals[0]['operator_address']}",
         s + "QueryValidatorResponse"),
        ("staking-delegations", f"/cosmos/staking/v1beta1/delegations/{D}", s + "QueryDelegatorDelegationsResponse"),
        ("staking-delegation", f"/cosmos/staking/v1beta1/validators/{v0}/delegations/{D}",
         s + "QueryDelegationResponse"),
        ("staking-validator-delegations", f"/cosmos/staking/v1beta1/validators/{v0}/delegations",
         s + "QueryValidatorDelegationsResponse"),
        ("staking-unbonding", f"/cosmos/staking/v1beta1/delegators/{D}/unbonding_delegations",
         s + "QueryDelegatorUnbondingDelegationsResponse"),
        ("staking-redelegations", f"/cosmos/staking/v1beta1/delegators/{D}/redelegations",
         s + "QueryRedelegationsResponse"),
        ("staking-delegator-validators", f"/cosmos/staking/v1beta1/delegators/{D}/validators",
         s + "QueryDelegatorValidatorsResponse"),
        ("staking-pool", "/cosmos/staking/v1beta1/pool", s + "QueryPoolResponse"),
        ("staking-params", "/cosmos/staking/v1beta1/params", s + "QueryParamsResponse"),
        ("distribution-rewards", f"/cosmos/distribution/v1beta1/delegators/{D}/rewards",
         di + "QueryDelegationTotalRewardsResponse"),
        ("distribution-reward", f"/cosmos/distribution/v1beta1/delegators/{D}/rewards/{v0}",
         di + "QueryDelegationRewardsResponse"),
        ("distribution-pool", "/cosmos/distribution/v1beta1/community_pool", di + "QueryCommunityPoolResponse"),
        ("distribution-params", "/cosmos/distribution/v1beta1/params", di + "QueryParamsResponse"),
        ("distribution-commission", f"/cosmos/distribution/v1beta1/validators/{v0}/commission",
         di + "QueryValidatorCommissionResponse"),
        ("distribution-outstanding", f"/cosmos/distribution/v1beta1/validators/{v0}/outstanding_rewards",
         di + "QueryValidatorOutstandingRewardsResponse"),
        ("distribution-withdraw-address", f"/cosmos/distribution/v1beta1/delegators/{D}/withdraw_address",
         di + "QueryDelegatorWithdrawAddressResponse"),
        ("distribution-validator", f"/cosmos/distribution/v1beta1/validators/{v0}",
         di + "QueryValidatorDistributionInfoResponse"),
        ("mint-inflation", "/cosmos/mint/v1beta1/inflation", "cosmos.mint.v1beta1.QueryInflationResponse"),
        ("mint-params", "/cosmos/mint/v1beta1/params", "cosmos.mint.v1beta1.QueryParamsResponse"),
        ("gov-proposals", "/cosmos/gov/v1/proposals", g1 + "QueryProposalsResponse"),
        ("gov-proposal", "/cosmos/gov/v1/proposals/4", g1 + "QueryProposalResponse"),
        ("gov-tally", "/cosmos/gov/v1/proposals/4/tally", g1 + "QueryTallyResultResponse"),
        ("gov-votes", "/cosmos/gov/v1/proposals/4/votes", g1 + "QueryVotesResponse"),
        ("gov-vote", f"/cosmos/gov/v1/proposals/4/votes/{D}", g1 + "QueryVoteResponse"),
        ("gov-deposits", "/cosmos/gov/v1/proposals/6/deposits", g1 + "QueryDepositsResponse"),
        ("gov-params", "/cosmos/gov/v1/params/tallying", g1 + "QueryParamsResponse"),
        ("govv1beta1-proposals", "/cosmos/gov/v1beta1/proposals", g0 + "QueryProposalsResponse"),
        ("govv1beta1-tally", "/cosmos/gov/v1beta1/proposals/4/tally", g0 + "QueryTallyResultResponse"),
        ("govv1beta1-votes", "/cosmos/gov/v1beta1/proposals/4/votes", g0 + "QueryVotesResponse"),
        ("govv1beta1-params", "/cosmos/gov/v1beta1/params/voting", g0 + "QueryParamsResponse"),
        ("bme-params", "/akash/bme/v1/params", "akash.bme.v1.QueryParamsResponse"),
        ("bme-status", "/akash/bme/v1/status", "akash.bme.v1.QueryStatusResponse"),
        ("bme-vault", "/akash/bme/v1/vault", "akash.bme.v1.QueryVaultStateResponse"),
        ("bme-ledger", f"/akash/bme/v1/ledger?filters.source={D}", "akash.bme.v1.QueryLedgerRecordsResponse"),
        ("oracle-aggregated-price", "/akash/oracle/v2/aggregated_price/akt",
         "akash.oracle.v1.QueryAggregatedPriceResponse"),
        ("cert-list", f"/akash/cert/v1/certificates/list?filter.owner={D}", "akash.cert.v1.QueryCertificatesResponse"),
        ("node-info", "/cosmos/base/tendermint/v1beta1/node_info", tm + "GetNodeInfoResponse"),
        ("block-latest", "/cosmos/base/tendermint/v1beta1/blocks/latest", tm + "GetLatestBlockResponse"),
        ("block-by-height", "/cosmos/base/tendermint/v1beta1/blocks/2", tm + "GetBlockByHeightResponse"),
        ("tx-by-hash", f"/cosmos/tx/v1beta1/txs/{txhash}", "cosmos.tx.v1beta1.GetTxResponse"),
        ("tx-search", f"/cosmos/tx/v1beta1/txs?query=message.sender='{D}'&limit=3",
         "cosmos.tx.v1beta1.GetTxsEventResponse"),
    ] + market_endpoints(c, c.market)  # type: ignore[attr-defined]


def prepare(c: NodeClient) -> str:
    """Give the demo account a certificate, a mint record and an executed delegate tx; return its hash."""
    demo = Signer.from_mnemonic(DEMO_MNEMONIC)
    cert_pem, pub_pem = client_certificate(D)
    res = c.deliver(signed(c, demo, [cert_msg.MsgCreateCertificate(owner=D, cert=cert_pem, pubkey=pub_pem)]))
    assert res["code"] == 0, res
    mint = bme.MsgMintACT(owner=D, to=D, coins_to_burn=coin_pb2.Coin(denom="uakt", amount="20000000"))
    assert c.deliver(signed(c, demo, [mint]))["code"] == 0
    c.advance(12)
    assert c.deliver(signed(c, demo, [mint]))["code"] == 0  # one executed, one pending
    v0 = c.get(f"/cosmos/staking/v1beta1/delegations/{D}")["delegation_responses"][0]["delegation"]["validator_address"]
    res = c.deliver(signed(c, demo, [st.MsgDelegate(delegator_address=D, validator_address=v0,
                                                    amount=coin_pb2.Coin(denom="uakt", amount="1000000"))]))
    assert res["code"] == 0, res
    c.market = prepare_market(c)  # type: ignore[attr-defined]  # deployment, bids, lease, grant
    return res["txhash"]
