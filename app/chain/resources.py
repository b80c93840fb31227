"""GroupSpec and resources as the chain stores them (deployment v1beta4 groups, market orders and bids)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.chain.common import Attribute, DecCoin, attributes
from app.chain.jsonread import Obj


def _val(o: Obj | None, key: str) -> int:
    """A ResourceValue {"val": "500"}: the bytes of a decimal string, shown as that string."""
    if o is None:
        return 0
    inner = o.child(key)
    return inner.integer("val") if inner is not None else 0


@dataclass(frozen=True)
class StorageUnit:
    name: str
    quantity: int  # bytes
    attributes: tuple[Attribute, ...]


@dataclass(frozen=True)
class ServiceEndpoint:
    kind: str  # SHARED_HTTP / RANDOM_PORT / LEASED_IP
    sequence_number: int


@dataclass(frozen=True)
class Resources:
    id: int
    cpu_millis: int
    cpu_attributes: tuple[Attribute, ...]
    memory_bytes: int
    memory_attributes: tuple[Attribute, ...]
    storage: tuple[StorageUnit, ...]
    gpu_units: int
    gpu_attributes: tuple[Attribute, ...]
    endpoints: tuple[ServiceEndpoint, ...]

    @classmethod
    def parse(cls, o: Obj) -> Resources:
        cpu, mem, gpu = o.child("cpu"), o.child("memory"), o.child("gpu")
        none = ()
        return cls(
            id=o.integer("id"),
            cpu_millis=_val(cpu, "units"),
            cpu_attributes=attributes(cpu) if cpu is not None else none,
            memory_bytes=_val(mem, "quantity"),
            memory_attributes=attributes(mem) if mem is not None else none,
            storage=tuple(StorageUnit(s.text("name"), _val(s, "quantity"), attributes(s)) for s in o.children("storage")),
            gpu_units=_val(gpu, "units"),
            gpu_attributes=attributes(gpu) if gpu is not None else none,
            endpoints=tuple(
                ServiceEndpoint(e.text("kind") or "SHARED_HTTP", e.integer("sequence_number")) for e in o.children("endpoints")
            ),
        )


@dataclass(frozen=True)
class ResourceUnit:
    resources: Resources
    count: int
    price: DecCoin  # per unit, per block

    @classmethod
    def parse(cls, o: Obj) -> ResourceUnit:
        price = o.child("price")
        return cls(
            Resources.parse(o.need("resource")),
            o.integer("count"),
            DecCoin.parse(price) if price is not None else DecCoin("", Decimal(0)),
        )


@dataclass(frozen=True)
class PlacementRequirements:
    signed_by_all_of: tuple[str, ...]
    signed_by_any_of: tuple[str, ...]
    attributes: tuple[Attribute, ...]

    @classmethod
    def parse(cls, o: Obj | None) -> PlacementRequirements:
        if o is None:
            return cls((), (), ())
        sb = o.child("signed_by")
        return cls(sb.texts("all_of") if sb else (), sb.texts("any_of") if sb else (), attributes(o))


@dataclass(frozen=True)
class GroupSpec:
    name: str
    requirements: PlacementRequirements
    resources: tuple[ResourceUnit, ...]

    @classmethod
    def parse(cls, o: Obj) -> GroupSpec:
        return cls(
            o.text("name"),
            PlacementRequirements.parse(o.child("requirements")),
            tuple(ResourceUnit.parse(r) for r in o.children("resources")),
        )

    def price_per_block(self) -> Decimal:
        """Sum over units of price x count (the group's price per block)."""
        return sum((r.price.amount * r.count for r in self.resources), Decimal(0))
