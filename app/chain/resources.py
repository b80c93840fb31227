"""GroupSpec and resources as the chain stores them (deployment v1beta4 groups, market orders and bids)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.chain.common import Attribute, DecCoin, attributes, dec_coin_or_zero
from app.chain.jsonread import Obj


def _val(o: Obj | None, key: str) -> int:
    """A ResourceValue {"val": "500"}: the bytes of a decimal string, shown as that string."""
    if o is None:
        return 0
    inner = o.child(key)
    return inner.integer("val") if inner is not None else 0


@dataclass(frozen=True)
class ResourceTotals:
    """Resources added up (units x count, groups together): what a lease or a provider's leases hold."""

    cpu_millis: int = 0
    memory_bytes: int = 0
    storage_bytes: int = 0
    gpu_units: int = 0
    endpoints: int = 0

    def __add__(self, other: ResourceTotals) -> ResourceTotals:
        return ResourceTotals(self.cpu_millis + other.cpu_millis, self.memory_bytes + other.memory_bytes,
                              self.storage_bytes + other.storage_bytes, self.gpu_units + other.gpu_units,
                              self.endpoints + other.endpoints)


def group_totals(spec: Obj) -> ResourceTotals:
    """A group_spec's resources added up, reading only the quantities (for lists of thousands of groups)."""
    out = ResourceTotals()
    for unit in spec.children("resources"):
        r, n = unit.need("resource"), unit.integer("count")
        storage = sum(_val(s, "quantity") for s in r.children("storage"))
        out = out + ResourceTotals(_val(r.child("cpu"), "units") * n, _val(r.child("memory"), "quantity") * n,
                                   storage * n, _val(r.child("gpu"), "units") * n, len(r.children("endpoints")) * n)
    return out


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
        return cls(Resources.parse(o.need("resource")), o.integer("count"), dec_coin_or_zero(o, "price"))


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

    def totals(self) -> ResourceTotals:
        """The group's resources added up (units x count), as group_totals reads them from the JSON."""
        out = ResourceTotals()
        for u in self.resources:
            r, n = u.resources, u.count
            out = out + ResourceTotals(r.cpu_millis * n, r.memory_bytes * n, sum(s.quantity for s in r.storage) * n,
                                       r.gpu_units * n, len(r.endpoints) * n)
        return out

    def price_per_block(self) -> Decimal:
        """Sum over units of price x count (the group's price per block)."""
        return sum((r.price.amount * r.count for r in self.resources), Decimal(0))
