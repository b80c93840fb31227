"""Marketplace answers to certify (deployment, market, escrow, provider, audit, authz) and the state they need."""

from __future__ import annotations

import time
from typing import Any

from google.protobuf import timestamp_pb2

from app.localnet.genesis import local_key
from app.localnet.providers.catalog import auditor_key, by_name
from app.proto import registry
from app.proto.gen.akash.base.deposit.v1 import deposit_pb2
from app.proto.gen.akash.deployment.v1beta4 import deploymentmsg_pb2 as dmsg
from app.proto.gen.akash.escrow.v1 import authz_pb2 as eauthz
from app.proto.gen.akash.market.v1 import bid_pb2
from app.proto.gen.akash.market.v1beta5 import leasemsg_pb2
from app.proto.gen.cosmos.authz.v1beta1 import authz_pb2, tx_pb2
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.sdl import parse_sdl
from app.wallet.signer import Signer
from tests.localnet.helpers import DEMO_MNEMONIC, signed
from tests.localnet.marketkit import nginx_sdl
from tests.localnet_fixtures import NodeClient

D = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"


def prepare_market(c: NodeClient) -> dict[str, Any]:
    """A deployment with bids and a lease, and a deposit grant; returns the ids the paths need."""
    demo = Signer.from_mnemonic(DEMO_MNEMONIC)
    dseq = c.height() + 1_000_000
    sdl = parse_sdl(nginx_sdl())
    create = dmsg.MsgCreateDeployment(
        id={"owner": D, "dseq": dseq}, groups=sdl.groups(), hash=sdl.version(),
        deposit=deposit_pb2.Deposit(amount=coin_pb2.Coin(denom="uact", amount="5000000"), sources=[1]))
    res = c.deliver(signed(c, demo, [create], fee=20_000, gas=800_000))
    assert res["code"] == 0, res
    bids: list[Any] = []
    for _ in range(20):  # the providers bid one to three blocks after the order appears
        bids = c.get(f"/akash/market/v1beta5/bids/list?filters.owner={D}&filters.dseq={dseq}")["bids"]
        if len(bids) >= 2:
            break
        c.advance(1)
        time.sleep(0.2)
    assert len(bids) >= 2, "the simulated providers did not bid"
    i = bids[0]["bid"]["id"]
    lease = leasemsg_pb2.MsgCreateLease(bid_id=bid_pb2.BidID(owner=D, dseq=dseq, gseq=1, oseq=1,
                                                             provider=i["provider"], bseq=0))
    assert c.deliver(signed(c, demo, [lease], fee=20_000, gas=800_000))["code"] == 0
    grantee = local_key("friend").address
    auth = eauthz.DepositAuthorization(spend_limit=coin_pb2.Coin(denom="uact", amount="10000000"),
                                       scopes=[eauthz.DepositAuthorization.deployment])
    grant = tx_pb2.MsgGrant(granter=D, grantee=grantee, grant=authz_pb2.Grant(
        authorization=registry.pack_any(auth), expiration=timestamp_pb2.Timestamp(seconds=4_102_444_800)))
    assert c.deliver(signed(c, demo, [grant]))["code"] == 0
    return {"dseq": dseq, "provider": i["provider"], "grantee": grantee}


def market_endpoints(c: NodeClient, ids: dict[str, Any]) -> list[tuple[str, str, str]]:
    dseq, provider, grantee = ids["dseq"], ids["provider"], ids["grantee"]
    orion, auditor = by_name("orion").address, auditor_key().address
    did = f"id.owner={D}&id.dseq={dseq}"
    bid = f"{did}&id.gseq=1&id.oseq=1&id.provider={provider}&id.bseq=0"
    dp, mk, ea = "akash.deployment.v1beta4.", "akash.market.v1beta5.", "cosmos.authz.v1beta1."
    return [
        ("deployment-list", f"/akash/deployment/v1beta4/deployments/list?filters.owner={D}",
         dp + "QueryDeploymentsResponse"),
        ("deployment-info", f"/akash/deployment/v1beta4/deployments/info?{did}", dp + "QueryDeploymentResponse"),
        ("deployment-group", f"/akash/deployment/v1beta4/groups/info?{did}&id.gseq=1", dp + "QueryGroupResponse"),
        ("deployment-params", "/akash/deployment/v1beta4/params", dp + "QueryParamsResponse"),
        ("market-orders", f"/akash/market/v1beta5/orders/list?filters.owner={D}", mk + "QueryOrdersResponse"),
        ("market-order", f"/akash/market/v1beta5/orders/info?{did}&id.gseq=1&id.oseq=1", mk + "QueryOrderResponse"),
        ("market-bids", f"/akash/market/v1beta5/bids/list?filters.owner={D}&filters.dseq={dseq}",
         mk + "QueryBidsResponse"),
        ("market-bid", f"/akash/market/v1beta5/bids/info?{bid}", mk + "QueryBidResponse"),
        ("market-leases", f"/akash/market/v1beta5/leases/list?filters.owner={D}&filters.state=active",
         mk + "QueryLeasesResponse"),
        ("market-lease", f"/akash/market/v1beta5/leases/info?{bid}", mk + "QueryLeaseResponse"),
        ("market-params", "/akash/market/v1beta5/params", mk + "QueryParamsResponse"),
        ("provider-list", "/akash/provider/v1beta4/providers", "akash.provider.v1beta4.QueryProvidersResponse"),
        ("provider-one", f"/akash/provider/v1beta4/providers/{orion}", "akash.provider.v1beta4.QueryProviderResponse"),
        ("audit-all", "/akash/audit/v1/audit/attributes/list", "akash.audit.v1.QueryProvidersResponse"),
        ("audit-owner", f"/akash/audit/v1/audit/attributes/{orion}/list", "akash.audit.v1.QueryProvidersResponse"),
        ("audit-pair", f"/akash/audit/v1/audit/attributes/{auditor}/{orion}", "akash.audit.v1.QueryProvidersResponse"),
        ("audit-auditor", f"/akash/provider/v1/auditor/{auditor}/list", "akash.audit.v1.QueryProvidersResponse"),
        ("escrow-accounts", f"/akash/escrow/v1/types/accounts?xid=deployment/{D}/{dseq}",
         "akash.escrow.v1.QueryAccountsResponse"),
        ("escrow-bid-accounts", f"/akash/escrow/v1/types/accounts?state=open&xid=bid/{D}/{dseq}",
         "akash.escrow.v1.QueryAccountsResponse"),
        ("escrow-payments", f"/akash/escrow/v1/types/payments?xid=deployment/{D}/{dseq}",
         "akash.escrow.v1.QueryPaymentsResponse"),
        ("authz-grants", f"/cosmos/authz/v1beta1/grants?granter={D}&grantee={grantee}", ea + "QueryGrantsResponse"),
        ("authz-granter", f"/cosmos/authz/v1beta1/grants/granter/{D}", ea + "QueryGranterGrantsResponse"),
        ("authz-grantee", f"/cosmos/authz/v1beta1/grants/grantee/{grantee}", ea + "QueryGranteeGrantsResponse"),
    ]
