"""One simulated provider: certificate, gateway, bid engine, lease upkeep (withdrawals, timeouts), on/offline."""

from __future__ import annotations

import hashlib
import logging
import math
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from app.localnet.modules.cert import CERT, cert_key
from app.localnet.modules.market import BID, LEASE, ORDER, okey
from app.localnet.providers import bidengine
from app.localnet.providers.catalog import ProviderSpec
from app.localnet.providers.config import FleetConfig
from app.localnet.providers.gateway import Gateway
from app.localnet.providers.servercert import ServerCert, load_or_create
from app.localnet.providers.txclient import TxSender
from app.localnet.providers.workloads import Cluster
from app.proto.gen.akash.base.deposit.v1 import deposit_pb2
from app.proto.gen.akash.cert.v1 import msg_pb2 as cert_msg
from app.proto.gen.akash.market.v1 import bid_pb2, lease_pb2
from app.proto.gen.akash.market.v1beta5 import bidmsg_pb2, leasemsg_pb2
from app.proto.gen.akash.provider.v1beta4 import msg_pb2 as provider_msg
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.units import dec_to_atomics

log = logging.getLogger(__name__)
BID_DEPOSIT = coin_pb2.Coin(denom="uakt", amount="500000")
REASON_UNSPECIFIED, REASON_MANIFEST_TIMEOUT = 10002, 10003


class SimProvider:
    """Reacts to each new block like provider-services does, and serves its gateway while online."""

    def __init__(self, spec: ProviderSpec, node: Any, config: FleetConfig, data_dir: Path) -> None:
        self.spec, self.node, self.config = spec, node, config
        self.name, self.address = spec.name, spec.address
        self.hostname = f"{spec.name}.provider.localnet"
        self.sender = TxSender(node, spec.signer, spec.name)
        self.cluster = Cluster(self.address, self.hostname, data_dir / "workloads.json")
        self.gateway = Gateway(self)
        self.data_dir = data_dir
        self.rng = random.Random(int.from_bytes(hashlib.sha256(f"{config.seed}/{spec.name}".encode()).digest()[:8],
                                                "big"))
        self.cert: ServerCert | None = None
        self.seen: set[str] = set()
        self.scheduled: dict[str, int] = {}
        self.last_withdraw: dict[str, int] = {}
        self.last_funds_check = 0
        self.last_height = -1
        mode = config.offline.get(spec.name, "never")
        self.mode = mode
        self.online = mode != "always"
        self._switch_at = time.monotonic() + self.rng.uniform(0, config.cycle_offline_s) if mode == "cycle" else 0.0
        if mode == "cycle":
            self.online = False

    @property
    def root(self) -> Any:
        return self.node.chain.root

    def blocks(self, seconds: float) -> int:
        return max(1, math.ceil(seconds / (self.node.block_time_ns / 1e9)))

    # -- lifecycle --
    async def start(self) -> None:
        self.cert = load_or_create(self.data_dir, self.address, self.hostname)
        record = self.root.get(CERT, cert_key(self.address, self.cert.serial))
        if record is not None and record["state"] != "valid":  # revoked on chain: make and publish a new one
            (self.data_dir / "server.pem").unlink(missing_ok=True)
            self.cert = load_or_create(self.data_dir, self.address, self.hostname)
            record = None
        if record is None:
            self.sender.send([cert_msg.MsgCreateCertificate(owner=self.address, cert=self.cert.cert_pem,
                                                            pubkey=self.cert.pubkey_pem)], gas=300_000)
        if self.online:
            await self._go_online()

    async def stop(self) -> None:
        await self.gateway.stop()

    async def _go_online(self) -> None:
        assert self.cert is not None
        provider = self.root.get("provider.provider", self.address)
        want = urlparse(provider["host_uri"]).port or 0 if provider else 0
        try:
            port = await self.gateway.start(want, self.cert.cert_pem, self.cert.key_pem)
        except OSError:
            port = await self.gateway.start(0, self.cert.cert_pem, self.cert.key_pem)
        if provider is not None and port != want:  # the registered port was taken: tell the chain
            self.sender.send([provider_msg.MsgUpdateProvider(
                owner=self.address, host_uri=f"https://127.0.0.1:{port}", attributes=provider["attributes"],
                info=provider["info"])])
        log.info("provider %s online at https://127.0.0.1:%d", self.name, port)

    async def set_online(self, online: bool) -> None:
        """Offline (gateway closed, no bids, no upkeep) or back online until told otherwise: this replaces the
        configured offline mode (POST /localnet/provider)."""
        self.mode = "never" if online else "always"
        if online and not self.online:
            self.online = True
            await self._go_online()
        elif not online and self.online:
            self.online = False
            await self.gateway.stop()
            log.info("provider %s taken offline", self.name)

    async def _update_online(self) -> bool:
        if self.mode == "cycle" and time.monotonic() >= self._switch_at:
            self.online = not self.online
            span = self.config.cycle_online_s if self.online else self.config.cycle_offline_s
            self._switch_at = time.monotonic() + span
            if self.online:
                await self._go_online()
            else:
                await self.gateway.stop()
                log.info("provider %s went offline", self.name)
        return self.online

    # -- every block --
    async def on_block(self, height: int) -> None:
        if not await self._update_online() or height <= self.last_height:
            return
        self.last_height = height
        leases = self.my_leases()
        self._drop_closed_runs(leases)
        self._upkeep(height, leases)
        self._plan_bids(height, leases)
        self._send_bids(height)
        self._expire_bids(height)

    def my_leases(self) -> list[dict[str, Any]]:
        return [x for _, x in self.root.items(LEASE) if x["provider"] == self.address and x["state"] == "active"]

    def my_open_bids(self) -> list[dict[str, Any]]:
        return [b for _, b in self.root.items(BID) if b["provider"] == self.address and b["state"] == "open"]

    def active_leases(self, owner: str, dseq: int) -> list[dict[str, Any]]:
        """This provider's active leases of a deployment, with their group names (for the manifest)."""
        out = []
        for x in self.my_leases():
            if x["owner"] == owner and x["dseq"] == dseq:
                order = self.root.get(ORDER, okey(owner, dseq, x["gseq"], x["oseq"]))
                out.append({"gseq": x["gseq"], "oseq": x["oseq"], "group_name": order["spec"]["name"]})
        return out

    def on_manifest(self, owner: str, dseq: int) -> None:
        log.info("provider %s: manifest for %s/%d deployed", self.name, owner, dseq)

    def _drop_closed_runs(self, leases: list[dict[str, Any]]) -> None:
        live = {(x["owner"], x["dseq"], x["gseq"], x["oseq"]) for x in leases}
        for key in [k for k in self.cluster.runs if k not in live]:
            self.cluster.drop(*key)

    @staticmethod
    def _lease_id(x: dict[str, Any]) -> lease_pb2.LeaseID:
        return lease_pb2.LeaseID(owner=x["owner"], dseq=x["dseq"], gseq=x["gseq"], oseq=x["oseq"],
                                 provider=x["provider"], bseq=x.get("bseq", 0))

    def _upkeep(self, height: int, leases: list[dict[str, Any]]) -> None:
        """Manifest timeouts, periodic withdrawals and the funds monitor."""
        check_funds = height - self.last_funds_check >= self.blocks(self.config.funds_check_s)
        if check_funds:
            self.last_funds_check = height
        for x in leases:
            key = f"{x['owner']}/{x['dseq']}/{x['gseq']}/{x['oseq']}"
            if self.cluster.run(x["owner"], x["dseq"], x["gseq"], x["oseq"]) is None:
                if height - x["created_at"] >= self.blocks(self.config.manifest_timeout_s):
                    log.info("provider %s: no manifest for lease %s, closing it", self.name, key)
                    self.sender.send([bidmsg_pb2.MsgCloseBid(id=bid_pb2.BidID(**_bid_fields(x)),
                                                             reason=REASON_MANIFEST_TIMEOUT)])
                continue
            due = height - self.last_withdraw.get(key, x["created_at"]) >= self.blocks(self.config.withdraw_period_s)
            if due or (check_funds and self._funds_exhausted(x, height)):
                self.last_withdraw[key] = height
                self.sender.send([leasemsg_pb2.MsgWithdrawLease(id=self._lease_id(x))])

    def _funds_exhausted(self, x: dict[str, Any], height: int) -> bool:
        """The escrow blocks-remaining estimate: funds - (height - settled_at) x sum of the open rates <= 0."""
        escrow = self.node.chain.module("escrow")
        acc = escrow.get_account(self.root, "deployment", f"{x['owner']}/{x['dseq']}")
        if acc is None or acc["state"] != "open":
            return False
        funds = sum((Decimal(f["amount"]) for f in acc["funds"] if f["denom"] == x["price"]["denom"]),
                    Decimal(0))
        rate = sum((Decimal(p["rate"]["amount"]) for p in escrow.account_payments(self.root, acc, ("open",))),
                   Decimal(0))
        return funds - (height - int(acc["settled_at"])) * rate <= 0

    def _usage(self, leases: list[dict[str, Any]]) -> bidengine.Usage:
        used = bidengine.Usage()
        for r in leases + self.my_open_bids():
            order = self.root.get(ORDER, okey(r["owner"], r["dseq"], r["gseq"], r["oseq"]))
            if order is not None:
                used.add(order["spec"])
        return used

    def _plan_bids(self, height: int, leases: list[dict[str, Any]]) -> None:
        """New open orders: decide once per order whether to bid, and when (a few blocks later)."""
        fresh = [o for o in self.node.chain.module("market").open_orders(self.root)
                 if okey(o["owner"], o["dseq"], o["gseq"], o["oseq"]) not in self.seen]
        if not fresh:
            return
        provider = self.root.get("provider.provider", self.address)
        audited = self.node.chain.module("audit").by_auditor(self.root, self.address)
        used = self._usage(leases)
        for o in fresh:
            key = okey(o["owner"], o["dseq"], o["gseq"], o["oseq"])
            self.seen.add(key)
            if provider is None or o["owner"] == self.address:
                continue
            reason = bidengine.why_not(self.spec, provider["attributes"], audited, o["spec"], used)
            if reason is not None:
                log.debug("provider %s does not bid on %s: %s", self.name, key, reason)
                continue
            if self.rng.random() < self.config.skip_chance:
                continue
            lo, hi = self.config.bid_delay_blocks
            self.scheduled[key] = height + self.rng.randint(lo, hi)
            used.add(o["spec"])

    def _send_bids(self, height: int) -> None:
        for key, at in sorted(self.scheduled.items(), key=lambda kv: kv[1]):
            if at > height:
                continue
            del self.scheduled[key]
            o = self.root.get(ORDER, key)
            if o is None or o["state"] != "open":
                continue
            price = bidengine.bid_price(self.spec, o["spec"], key, self.config.seed, self.config.jitter)
            if not bidengine.fits_budget(o["spec"], price):
                log.debug("provider %s: %s pays less than our price %s", self.name, key, price)
                continue
            bid_id = bid_pb2.BidID(owner=o["owner"], dseq=o["dseq"], gseq=o["gseq"], oseq=o["oseq"],
                                   provider=self.address, bseq=0)
            self.sender.send([bidmsg_pb2.MsgCreateBid(
                id=bid_id, price=coin_pb2.DecCoin(denom="uact", amount=dec_to_atomics(price)),
                deposit=deposit_pb2.Deposit(amount=BID_DEPOSIT, sources=[deposit_pb2.balance]))])

    def _expire_bids(self, height: int) -> None:
        timeout = self.blocks(self.config.bid_timeout_s)
        for b in self.my_open_bids():
            if height - b["created_at"] >= timeout:
                self.sender.send([bidmsg_pb2.MsgCloseBid(id=bid_pb2.BidID(**_bid_fields(b)),
                                                         reason=REASON_UNSPECIFIED)])

    # -- /status --
    def status_numbers(self) -> dict[str, Any]:
        leases = self.my_leases()
        used = self._usage(leases)
        s = self.spec
        active = []
        for x in leases:
            order = self.root.get(ORDER, okey(x["owner"], x["dseq"], x["gseq"], x["oseq"]))
            u = bidengine.Usage()
            u.add(order["spec"])
            active.append({"cpu": u.cpu, "gpu": u.gpus, "memory": u.memory, "storage_ephemeral": u.ephemeral})
        node = {"name": f"{self.name}-node-1",
                "allocatable": {"cpu": s.cpu_millis, "gpu": sum(g.count for g in s.gpus), "memory": s.memory,
                                "storage_ephemeral": s.ephemeral},
                "available": {"cpu": max(0, s.cpu_millis - used.cpu), "gpu": max(0, sum(g.count for g in s.gpus) -
                                                                                     used.gpus),
                              "memory": max(0, s.memory - used.memory),
                              "storage_ephemeral": max(0, s.ephemeral - used.ephemeral)}}
        storage = [{"class": c, "size": size} for c, size in sorted(s.storage_classes.items())]
        inventory: dict[str, Any] = {"available": {"nodes": [node], "storage": storage}}
        if active:  # Go: `json:"active,omitempty"`
            inventory = {"active": active, **inventory}
        return {"cluster": {"leases": len(leases), "inventory": inventory},
                "bidengine": {"orders": len(self.my_open_bids())},
                "manifest": {"deployments": self.cluster.totals()["deployments"]},
                "cluster_public_hostname": self.hostname}


def _bid_fields(r: dict[str, Any]) -> dict[str, Any]:
    return {"owner": r["owner"], "dseq": r["dseq"], "gseq": r["gseq"], "oseq": r["oseq"], "provider": r["provider"],
            "bseq": r.get("bseq", 0)}
