"""akash market v1beta5: orders, bids (with the provider's escrowed deposit), leases, and the escrow hooks."""

from __future__ import annotations

from typing import Any

from app.config import DENOM_ACT, DENOM_AKT
from app.localnet.decmath import D, text
from app.localnet.errors import TxError, module_error, sdk_error
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules._groupspec import group_price, match_requirements, match_resources
from app.localnet.modules._market_query import MarketQueries
from app.localnet.modules.bank import check_address
from app.localnet.modules.escrow import validate_deposit
from app.units import atomics_to_dec

ORDER = "market.order"  # "<owner>/<dseq:020>/<gseq:010>/<oseq:010>"
BID = "market.bid"  # order key + "/<provider>/<bseq:010>"
LEASE = "market.lease"  # same key as its bid
PARAMS = "market.params"
HOUR = 3600
DEFAULT_PARAMS = {
    "bid_min_deposit": {"denom": DENOM_AKT, "amount": "500000"},
    "order_max_bids": 20,
    "bid_min_deposits": [{"denom": DENOM_ACT, "amount": "500000"}, {"denom": DENOM_AKT, "amount": "500000"}],
    "min_reclamation_window": HOUR,
    "max_reclamation_window": 720 * HOUR,
}
REASONS = {0: "lease_closed_invalid", 1: "lease_closed_owner", 10000: "lease_closed_reason_unstable",
           10001: "lease_closed_reason_decommission", 10002: "lease_closed_reason_unspecified",
           10003: "lease_closed_reason_manifest_timeout", 20000: "lease_closed_reason_insufficient_funds"}
OWNER_REASON, UNSPECIFIED, INSUFFICIENT = 1, 10002, 20000


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("market", code, desc, msg)


E = {  # chain-sdk go/node/market/v1/errors.go
    "same_account": (2, "owner and provider are the same account"), "over_order": (4, "bid price above max order price"),
    "attr_mismatch": (5, "attribute mismatch"), "unknown_bid": (6, "unknown bid"), "unknown_lease": (7, "unknown lease"),
    "unknown_lease_for_bid": (8, "unknown lease for bid"), "unknown_order_for_bid": (9, "unknown order for bid"),
    "lease_not_active": (10, "lease not active"), "bid_not_active": (11, "bid not active"),
    "bid_not_open": (12, "bid not open"), "order_not_open": (13, "bid: order not open"),
    "no_lease_for_order": (14, "no lease for order"), "order_not_found": (15, "invalid order: order not found"),
    "group_not_open": (17, "group not open"), "bid_not_found": (18, "invalid bid: bid not found"),
    "zero_price": (19, "invalid bid: zero price"), "bid_exists": (21, "invalid bid: bid exists from provider"),
    "invalid_price": (22, "bid price is invalid"), "order_active": (23, "order active"),
    "order_closed": (24, "order closed"), "invalid_deposit": (28, "deposit invalid"),
    "unknown_provider": (30, "unknown provider"), "invalid_bid": (31, "invalid bid"),
    "capabilities": (32, "capabilities mismatch"), "invalid_reason": (33, "invalid lease closed reason"),
}


def okey(owner: str, dseq: int, gseq: int, oseq: int) -> str:
    return f"{owner}/{dseq:020d}/{gseq:010d}/{oseq:010d}"


def bkey(owner: str, dseq: int, gseq: int, oseq: int, provider: str, bseq: int = 0) -> str:
    return f"{okey(owner, dseq, gseq, oseq)}/{provider}/{bseq:010d}"


def id_key(i: Any) -> str:
    return bkey(i.owner, i.dseq, i.gseq, i.oseq, i.provider, i.bseq)


def rec_key(r: dict[str, Any]) -> str:
    return bkey(r["owner"], r["dseq"], r["gseq"], r["oseq"], r["provider"], r.get("bseq", 0))


def bid_account_xid(r: dict[str, Any]) -> str:
    return f"{r['owner']}/{r['dseq']}/{r['gseq']}/{r['oseq']}/{r['provider']}"


def payment_xid(r: dict[str, Any]) -> str:
    return f"{r['gseq']}/{r['oseq']}/{r['provider']}"


def validate_bid_id(i: Any) -> None:
    check_address(i.owner, "owner")
    check_address(i.provider, "provider")
    if i.dseq == 0 or i.gseq == 0 or i.oseq == 0:
        raise sdk_error(18, "BidID: dseq, gseq and oseq must be positive")
    if i.owner == i.provider:
        raise err(*E["same_account"])


class MarketModule(Module, MarketQueries):
    name = "market"
    order = 130

    # -- keeper --
    def params(self, kv: View) -> dict[str, Any]:
        return kv.get(PARAMS, "params") or DEFAULT_PARAMS

    def reclamation_bounds(self, kv: View) -> tuple[int, int]:
        p = self.params(kv)
        return p["min_reclamation_window"], p["max_reclamation_window"]

    def genesis(self, ctx: Ctx, spec: Any) -> None:
        ctx.kv.set(PARAMS, "params", DEFAULT_PARAMS)

    def orders_of_group(self, kv: View, g: dict[str, Any]) -> list[dict[str, Any]]:
        return [o for _, o in kv.items(ORDER, f"{g['owner']}/{g['dseq']:020d}/{g['gseq']:010d}/")]

    def bids_of_order(self, kv: View, o: dict[str, Any]) -> list[dict[str, Any]]:
        return [b for _, b in kv.items(BID, okey(o["owner"], o["dseq"], o["gseq"], o["oseq"]) + "/")]

    def open_orders(self, kv: View) -> list[dict[str, Any]]:
        return [o for _, o in kv.items(ORDER) if o["state"] == "open"]

    def create_order(self, ctx: Ctx, g: dict[str, Any], reclamation: dict[str, Any] | None) -> dict[str, Any]:
        existing = self.orders_of_group(ctx.kv, g)
        if any(o["state"] != "closed" for o in existing):
            raise err(23, "order active", "create order: active order exists")
        o = {"owner": g["owner"], "dseq": g["dseq"], "gseq": g["gseq"], "oseq": len(existing) + 1, "state": "open",
             "spec": g["spec"], "created_at": ctx.height, "reclamation": reclamation}
        ctx.kv.set(ORDER, okey(o["owner"], o["dseq"], o["gseq"], o["oseq"]), o)
        ctx.emit("akash.market.v1.EventOrderCreated", ("owner", o["owner"]), ("dseq", o["dseq"]),
                 ("gseq", o["gseq"]), ("oseq", o["oseq"]))
        return o

    def _set(self, ctx: Ctx, bucket: str, r: dict[str, Any]) -> None:
        key = okey(r["owner"], r["dseq"], r["gseq"], r["oseq"]) if bucket == ORDER else rec_key(r)
        ctx.kv.set(bucket, key, r)

    def close_order(self, ctx: Ctx, o: dict[str, Any]) -> None:
        if o["state"] == "closed":
            return
        o["state"] = "closed"
        self._set(ctx, ORDER, o)
        ctx.emit("akash.market.v1.EventOrderClosed", ("owner", o["owner"]), ("dseq", o["dseq"]),
                 ("gseq", o["gseq"]), ("oseq", o["oseq"]))

    def close_bid(self, ctx: Ctx, b: dict[str, Any]) -> None:
        """OnBidClosed: the bid closes and its escrow account returns the provider's deposit."""
        if b["state"] in ("closed", "lost"):
            return
        b["state"] = "closed"
        self._set(ctx, BID, b)
        self._close_bid_account(ctx, b)
        ctx.emit("akash.market.v1.EventBidClosed", ("owner", b["owner"]), ("dseq", b["dseq"]),
                 ("provider", b["provider"]))

    def _close_bid_account(self, ctx: Ctx, b: dict[str, Any]) -> None:
        escrow = ctx.module("escrow")
        acc = escrow.get_account(ctx.kv, "bid", bid_account_xid(b))
        if acc is not None and acc["state"] != "closed":
            escrow.account_close(ctx, "bid", bid_account_xid(b))

    def close_lease(self, ctx: Ctx, lease: dict[str, Any], state: str, reason: int) -> None:
        if lease["state"] not in ("active", "reclaiming"):
            return
        lease.update(state=state, reason=REASONS.get(reason, str(reason)), closed_on=ctx.height)
        self._set(ctx, LEASE, lease)
        ctx.emit("akash.market.v1.EventLeaseClosed", ("owner", lease["owner"]), ("dseq", lease["dseq"]),
                 ("provider", lease["provider"]), ("reason", lease["reason"]))

    def on_group_closed(self, ctx: Ctx, g: dict[str, Any], gstate: str) -> None:
        """Orders, bids and leases of a closed (or paused) group close; leases with the group's reason."""
        lease_state, reason = ("insufficient_funds", INSUFFICIENT) if gstate == "insufficient_funds" else \
            ("closed", OWNER_REASON)
        for o in self.orders_of_group(ctx.kv, g):
            self.close_order(ctx, o)
            for b in self.bids_of_order(ctx.kv, o):
                self.close_bid(ctx, b)
                lease = ctx.kv.get(LEASE, rec_key(b))
                if lease is not None:
                    self.close_lease(ctx, lease, lease_state, reason)

    # -- escrow hooks (x/market/hooks) --
    def on_escrow_account_closed(self, ctx: Ctx, acc: dict[str, Any]) -> None:
        if acc["scope"] != "deployment":
            return
        owner, _, dseq = acc["xid"].partition("/")
        deployments = ctx.module("deployment")
        d = deployments.get(ctx.kv, owner, int(dseq))
        if d is None or d["state"] != "active":
            return
        deployments.close(ctx, d)
        gstate = "insufficient_funds" if acc["state"] == "overdrawn" else "closed"
        for g in deployments.groups(ctx.kv, owner, int(dseq)):
            if g["state"] != "closed":
                deployments.on_group_state(ctx, g, gstate)
                self.on_group_closed(ctx, g, gstate)

    def on_escrow_payment_closed(self, ctx: Ctx, p: dict[str, Any]) -> None:
        if p["aid"]["scope"] != "deployment":
            return
        owner, dseq = p["aid"]["xid"].split("/")
        gseq, oseq, provider = p["xid"].split("/")
        key = bkey(owner, int(dseq), int(gseq), int(oseq), provider)
        bid, lease = ctx.kv.get(BID, key), ctx.kv.get(LEASE, key)
        order = ctx.kv.get(ORDER, okey(owner, int(dseq), int(gseq), int(oseq)))
        if bid is None or bid["state"] != "active" or order is None or lease is None:
            return
        self.close_order(ctx, order)
        self.close_bid(ctx, bid)
        if p["state"] == "overdrawn":
            self.close_lease(ctx, lease, "insufficient_funds", INSUFFICIENT)
        else:
            self.close_lease(ctx, lease, "closed", UNSPECIFIED)

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        p = "/akash.market.v1beta5."
        return {
            p + "MsgCreateBid": MsgHandler(lambda m: [m.id.provider], self.exec_create_bid, self._validate_create_bid),
            p + "MsgCloseBid": MsgHandler(lambda m: [m.id.provider], self.exec_close_bid, self._validate_close_bid),
            p + "MsgCreateLease": MsgHandler(lambda m: [m.bid_id.owner], self.exec_create_lease,
                                             lambda m: validate_bid_id(m.bid_id)),
            p + "MsgCloseLease": MsgHandler(lambda m: [m.id.owner], self.exec_close_lease,
                                            lambda m: validate_bid_id(m.id)),
            p + "MsgWithdrawLease": MsgHandler(lambda m: [m.id.provider], self.exec_withdraw,
                                               lambda m: validate_bid_id(m.id)),
        }

    def _validate_create_bid(self, msg: Any) -> None:
        validate_bid_id(msg.id)
        validate_deposit(msg.deposit)
        if not msg.price.amount or atomics_to_dec(msg.price.amount) <= 0:
            raise err(*E["zero_price"])

    def exec_create_bid(self, ctx: Ctx, msg: Any) -> None:
        i = msg.id
        self._check_bid_deposit(ctx, msg.deposit.amount)
        if i.bseq != 0:
            raise err(*E["invalid_bid"], "bseq must be zero")
        o = ctx.kv.get(ORDER, okey(i.owner, i.dseq, i.gseq, i.oseq))
        if o is None:
            raise err(*E["order_not_found"])
        if o["state"] != "open":
            raise err(*E["order_active" if o["state"] == "active" else "order_closed"])
        bids = self.bids_of_order(ctx.kv, o)
        if len(bids) >= self.params(ctx.kv)["order_max_bids"]:
            raise err(*E["invalid_bid"], f"order already has {len(bids)} bids (order_max_bids)")
        price = atomics_to_dec(msg.price.amount)
        denom, max_price = group_price(o["spec"])
        if msg.price.denom != denom:
            raise err(*E["invalid_price"], f"bid denom {msg.price.denom} differs from the order's {denom}")
        if price > max_price:
            raise err(*E["over_order"])
        provider = ctx.module("provider").get(ctx.kv, i.provider)
        if provider is None:
            raise err(*E["unknown_provider"])
        audited = ctx.module("audit").by_auditor(ctx.kv, i.provider)
        if not match_requirements(o["spec"], provider["attributes"], audited):
            raise err(*E["attr_mismatch"])
        if not match_resources(o["spec"], provider["attributes"]):
            raise err(*E["capabilities"])
        if any(b["provider"] == i.provider for b in bids):
            raise err(*E["bid_exists"])
        b = {"owner": i.owner, "dseq": i.dseq, "gseq": i.gseq, "oseq": i.oseq, "provider": i.provider, "bseq": 0,
             "state": "open", "price": {"denom": denom, "amount": text(price)}, "created_at": ctx.height,
             "resources_offer": [{"resources": u["resource"], "count": u["count"]} for u in o["spec"]["resources"]],
             "reclamation_window": f"{msg.reclamation_window.seconds}s" if msg.HasField("reclamation_window")
             else None}
        self._set(ctx, BID, b)
        escrow = ctx.module("escrow")
        depositors = escrow.authorize_deposits(ctx, i.provider, msg.deposit, "bid")
        escrow.account_create(ctx, "bid", bid_account_xid(b), i.provider, depositors)
        ctx.emit("akash.market.v1.EventBidCreated", ("owner", i.owner), ("dseq", i.dseq), ("gseq", i.gseq),
                 ("oseq", i.oseq), ("provider", i.provider), ("price", f"{text(price)}{denom}"))

    def _check_bid_deposit(self, ctx: Ctx, coin: Any) -> None:
        mins = {c["denom"]: int(c["amount"]) for c in self.params(ctx.kv)["bid_min_deposits"]}
        if coin.denom not in mins or int(coin.amount or 0) < mins[coin.denom]:
            raise err(*E["invalid_deposit"], f"bid deposit {coin.amount}{coin.denom} is below the minimum "
                      f"({', '.join(f'{a}{d}' for d, a in mins.items())})")

    def _validate_close_bid(self, msg: Any) -> None:
        validate_bid_id(msg.id)
        if not 10000 <= msg.reason <= 19999:
            raise err(*E["invalid_reason"], f'value "{msg.reason}" range 10000..19999')

    def exec_close_bid(self, ctx: Ctx, msg: Any) -> None:
        key = id_key(msg.id)
        b = ctx.kv.get(BID, key)
        if b is None:
            raise err(*E["unknown_bid"])
        o = ctx.kv.get(ORDER, okey(b["owner"], b["dseq"], b["gseq"], b["oseq"]))
        if o is None:
            raise err(*E["unknown_order_for_bid"])
        if b["state"] == "open":
            self.close_bid(ctx, b)
            return
        lease = ctx.kv.get(LEASE, key)
        if lease is None:
            raise err(*E["unknown_lease_for_bid"])
        if lease["state"] != "active":
            raise err(*E["lease_not_active"])
        if b["state"] != "active":
            raise err(*E["bid_not_active"])
        self._end_lease(ctx, o, b, lease, msg.reason)

    def _end_lease(self, ctx: Ctx, o: dict[str, Any], b: dict[str, Any], lease: dict[str, Any], reason: int) -> None:
        """A lease closed by its tenant or provider: lease, bid and order close, the provider is paid."""
        self.close_lease(ctx, lease, "closed", reason)
        self.close_bid(ctx, b)
        self.close_order(ctx, o)
        ctx.module("deployment").on_lease_closed(ctx, b["owner"], b["dseq"], b["gseq"])
        escrow = ctx.module("escrow")
        axid = f"{b['owner']}/{b['dseq']}"
        pay = escrow.get_payment(ctx.kv, "deployment", axid, payment_xid(b))
        acc = escrow.get_account(ctx.kv, "deployment", axid)
        if pay is not None and pay["state"] != "closed" and acc is not None and acc["state"] != "closed":
            escrow.payment_close(ctx, "deployment", axid, payment_xid(b))

    def exec_create_lease(self, ctx: Ctx, msg: Any) -> None:
        i = msg.bid_id
        b = ctx.kv.get(BID, id_key(i))
        if b is None:
            raise err(*E["bid_not_found"])
        if b["state"] != "open":
            raise err(*E["bid_not_open"])
        o = ctx.kv.get(ORDER, okey(i.owner, i.dseq, i.gseq, i.oseq))
        if o is None or o["state"] != "open":
            raise err(*E["order_not_open"])
        g = ctx.module("deployment").get_group(ctx.kv, i.owner, i.dseq, i.gseq)
        if g is None or g["state"] != "open":
            raise err(*E["group_not_open"])
        ctx.module("escrow").payment_create(ctx, "deployment", f"{i.owner}/{i.dseq}", payment_xid(b), i.provider,
                                            b["price"]["denom"], D(b["price"]["amount"]))
        lease = {k: b[k] for k in ("owner", "dseq", "gseq", "oseq", "provider", "bseq")}
        lease.update(state="active", price=dict(b["price"]), created_at=ctx.height, closed_on=0,
                     reason=REASONS[0], reclamation=None)
        self._set(ctx, LEASE, lease)
        o["state"] = "active"
        self._set(ctx, ORDER, o)
        b["state"] = "active"
        self._set(ctx, BID, b)
        for other in self.bids_of_order(ctx.kv, o):
            if other["provider"] != i.provider and other["state"] == "open":
                other["state"] = "lost"
                self._set(ctx, BID, other)
                self._close_bid_account(ctx, other)
        ctx.emit("akash.market.v1.EventLeaseCreated", ("owner", i.owner), ("dseq", i.dseq), ("gseq", i.gseq),
                 ("oseq", i.oseq), ("provider", i.provider), ("price", f"{b['price']['amount']}"))

    def exec_close_lease(self, ctx: Ctx, msg: Any) -> None:
        i = msg.id
        reason = msg.reason or OWNER_REASON
        if not 1 <= reason <= 9999:
            raise err(*E["invalid_reason"], f'value "{msg.reason}" range 1..9999')
        o = ctx.kv.get(ORDER, okey(i.owner, i.dseq, i.gseq, i.oseq))
        if o is None:
            raise err(*E["order_not_found"])
        if o["state"] != "active":
            raise err(*E["order_closed"])
        b = next((x for x in self.bids_of_order(ctx.kv, o) if x["state"] == "active"), None)
        lease = ctx.kv.get(LEASE, rec_key(b)) if b is not None else None
        if b is None or lease is None:
            raise err(*E["no_lease_for_order"])
        if lease["state"] != "active":
            raise err(*E["order_closed"])
        if b["provider"] != i.provider:
            raise err(*E["unknown_lease"], f"the order's lease is with {b['provider']}")
        self._end_lease(ctx, o, b, lease, reason)

    def exec_withdraw(self, ctx: Ctx, msg: Any) -> None:
        lease = ctx.kv.get(LEASE, id_key(msg.id))
        if lease is None:
            raise err(*E["unknown_lease"])
        ctx.module("escrow").payment_withdraw(ctx, "deployment", f"{lease['owner']}/{lease['dseq']}",
                                              payment_xid(lease))

    def routes(self) -> list[Route]:
        return self.market_routes()


MODULE = MarketModule
