"""A provider's bid engine: can it serve an order (attributes, signedBy, GPUs, storage, capacity), at what price."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal
from typing import Any

from app.localnet.modules._groupspec import group_price, match_requirements, match_resources
from app.localnet.providers.catalog import GIB, ProviderSpec

# uact per block for one unit of each resource at price level 1.0 (1 ACT = 1 USD, ~431,249 blocks a month).
PRICE_CPU_CORE = Decimal("3.71")  # ~1.6 ACT/month per vCPU
PRICE_MEMORY_GIB = Decimal("1.85")
PRICE_EPHEMERAL_GIB = Decimal("0.046")
PRICE_PERSISTENT_GIB = {"beta1": Decimal("0.16"), "beta2": Decimal("0.23"), "beta3": Decimal("0.35"),
                        "ram": Decimal("1.85")}
PRICE_GPU = {"t4": Decimal("116"), "a100": Decimal("1391"), "h100": Decimal("3478")}
PRICE_ENDPOINT = {"RANDOM_PORT": Decimal("1.16"), "LEASED_IP": Decimal("11.6"), "SHARED_HTTP": Decimal(0)}
PRICE_STEP = Decimal("0.000001")


@dataclass
class Usage:
    """Resources a provider has promised (active leases and open bids)."""

    cpu: int = 0
    memory: int = 0
    ephemeral: int = 0
    gpus: int = 0
    ips: int = 0

    def add(self, spec: dict[str, Any]) -> None:
        for unit in spec["resources"]:
            r, n = unit["resource"], unit["count"]
            self.cpu += int(r["cpu"]["units"]["val"]) * n
            self.memory += int(r["memory"]["quantity"]["val"]) * n
            self.ephemeral += sum(int(s["quantity"]["val"]) for s in r["storage"] if not _class(s)) * n
            self.gpus += int(r["gpu"]["units"]["val"]) * n
            self.ips += sum(1 for e in r["endpoints"] if e["kind"] == "LEASED_IP") * n


def _class(storage: dict[str, Any]) -> str | None:
    return next((a["value"] for a in storage["attributes"] if a["key"] == "class"), None)


def _gpu_model(gpu: dict[str, Any], spec: ProviderSpec) -> str | None:
    """The model of ours that a GPU request accepts (vendor/nvidia/model/<m>[/ram/..][/interface/..])."""
    for attr in gpu["attributes"]:
        parts = attr["key"].split("/")
        if len(parts) >= 4 and parts[:3] == ["vendor", "nvidia", "model"]:
            wanted = parts[3]
            for offer in spec.gpus:
                if wanted in ("*", offer.model):
                    return offer.model
    return spec.gpus[0].model if spec.gpus else None


def why_not(spec: ProviderSpec, attrs: list[dict[str, str]], audited: dict[str, list[dict[str, str]]],
            order_spec: dict[str, Any], used: Usage) -> str | None:
    """None when this provider can serve the order, else the reason it does not bid."""
    if not match_requirements(order_spec, attrs, audited):
        return "placement attributes or signedBy do not match"
    if not match_resources(order_spec, attrs):
        return "storage class or GPU model not offered"
    need = Usage()
    need.add(order_spec)
    if used.cpu + need.cpu > spec.cpu_millis or used.memory + need.memory > spec.memory:
        return "not enough cpu or memory left"
    if used.ephemeral + need.ephemeral > spec.ephemeral:
        return "not enough ephemeral storage left"
    if used.gpus + need.gpus > sum(g.count for g in spec.gpus):
        return "not enough GPUs left"
    if need.ips and used.ips + need.ips > spec.leased_ips:
        return "no leased IPs available"
    for unit in order_spec["resources"]:
        for s in unit["resource"]["storage"]:
            cls = _class(s)
            if cls and int(s["quantity"]["val"]) * unit["count"] > spec.storage_classes.get(cls, 0):
                return f"not enough {cls} storage"
    return None


def unit_cost(spec: ProviderSpec, resource: dict[str, Any]) -> Decimal:
    """What one replica of a resource unit costs this provider per block, before its price level."""
    cost = PRICE_CPU_CORE * int(resource["cpu"]["units"]["val"]) / 1000
    cost += PRICE_MEMORY_GIB * int(resource["memory"]["quantity"]["val"]) / GIB
    for s in resource["storage"]:
        cls = _class(s)
        rate = PRICE_PERSISTENT_GIB.get(cls, PRICE_PERSISTENT_GIB["beta2"]) if cls else PRICE_EPHEMERAL_GIB
        cost += rate * int(s["quantity"]["val"]) / GIB
    gpus = int(resource["gpu"]["units"]["val"])
    if gpus:
        cost += PRICE_GPU.get(_gpu_model(resource["gpu"], spec) or "t4", PRICE_GPU["t4"]) * gpus
    cost += sum((PRICE_ENDPOINT.get(e["kind"], Decimal(0)) for e in resource["endpoints"]), Decimal(0))
    return cost


def bid_price(spec: ProviderSpec, order_spec: dict[str, Any], order_key: str, seed: int, jitter: float) -> Decimal:
    """The provider's price for the whole group per block: cost x price level x a deterministic jitter."""
    total = sum((unit_cost(spec, u["resource"]) * u["count"] for u in order_spec["resources"]), Decimal(0))
    rng = random.Random(hashlib.sha256(f"{seed}/{spec.name}/{order_key}".encode()).digest())
    factor = Decimal(str(round(1 + rng.uniform(-jitter, jitter), 4)))
    price = (total * spec.price_level * factor).quantize(PRICE_STEP, rounding=ROUND_UP)
    return max(price, PRICE_STEP)


def fits_budget(order_spec: dict[str, Any], price: Decimal) -> bool:
    """A bid above the order's maximum price would be refused by the chain (bid price above max order price)."""
    return price <= group_price(order_spec)[1]
