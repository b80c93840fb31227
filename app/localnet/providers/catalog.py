"""The simulated provider fleet: who they are, what they offer (attributes, GPUs, storage, capacity, prices)."""

from __future__ import annotations

import hashlib
import socket
from dataclasses import dataclass, field
from decimal import Decimal

from app.wallet.signer import Signer

GIB = 1024**3


@dataclass(frozen=True)
class GpuOffer:
    """One GPU model a provider has: vendor/model/ram/interface and how many cards."""

    model: str
    ram: str
    interface: str
    count: int


@dataclass(frozen=True)
class ProviderSpec:
    """A simulated provider: identity, advertised attributes, capacity, price level and behaviour."""

    name: str
    region: str
    country: str
    organization: str
    tier: str
    email: str
    website: str
    cpu_millis: int
    memory: int
    ephemeral: int
    storage_classes: dict[str, int]  # class -> bytes of persistent (or ram) storage
    gpus: tuple[GpuOffer, ...] = ()
    price_level: Decimal = Decimal("1.0")
    audited: bool = False
    leased_ips: int = 0
    often_offline: bool = False
    extra_attrs: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def signer(self) -> Signer:
        return provider_key(self.name)

    @property
    def address(self) -> str:
        return self.signer.address

    def attributes(self) -> list[dict[str, str]]:
        """The attributes registered on chain, sorted by key (what `provider create` writes)."""
        attrs = {
            "host": "akash", "tier": self.tier, "region": self.region, "country": self.country,
            "organization": self.organization, "capabilities/cpu": "x86_64",
            "capabilities/memory": "ddr5" if self.tier == "premium" else "ddr4",
        }
        for i, cls in enumerate(sorted(self.storage_classes), start=1):
            attrs[f"capabilities/storage/{i}/class"] = cls
            attrs[f"capabilities/storage/{i}/persistent"] = "false" if cls == "ram" else "true"
        persistent = sorted(c for c in self.storage_classes if c != "ram")
        if persistent:
            attrs["feat-persistent-storage"] = "true"
            attrs["feat-persistent-storage-type"] = persistent[0]
        if self.leased_ips:
            attrs["feat-endpoint-ip"] = "true"
        if self.gpus:
            attrs["capabilities/gpu"] = "nvidia"
        for g in self.gpus:
            base = f"capabilities/gpu/vendor/nvidia/model/{g.model}"
            for key in (base, f"{base}/ram/{g.ram}", f"{base}/ram/{g.ram}/interface/{g.interface}",
                        f"{base}/interface/{g.interface}"):
                attrs[key] = "true"
        attrs.update(dict(self.extra_attrs))
        return [{"key": k, "value": v} for k, v in sorted(attrs.items())]

    def audited_attributes(self) -> list[dict[str, str]]:
        """What the genesis auditor signed: the placement-relevant attributes."""
        keep = {"host", "tier", "region", "country", "organization", "capabilities/gpu"}
        return [a for a in self.attributes() if a["key"] in keep or a["key"].startswith("capabilities/gpu/")]


def provider_key(name: str) -> Signer:
    """A deterministic key per simulated provider (public label, local network only)."""
    return Signer(hashlib.sha256(f"akash-desk localnet provider {name}".encode()).digest())


def auditor_key() -> Signer:
    """The genesis auditor that signs the audited providers' attributes."""
    return Signer(hashlib.sha256(b"akash-desk localnet auditor").digest())


FLEET: tuple[ProviderSpec, ...] = (
    ProviderSpec("orion", "us-west", "US", "Orion Compute", "community", "ops@orion-compute.example",
                 "https://orion-compute.example", 64_000, 256 * GIB, 2_000 * GIB,
                 {"beta2": 4_000 * GIB, "ram": 64 * GIB}, price_level=Decimal("0.85"), audited=True),
    ProviderSpec("boreal", "eu-central", "DE", "Boreal Cloud GmbH", "premium", "support@boreal.example",
                 "https://boreal.example", 128_000, 1_024 * GIB, 4_000 * GIB,
                 {"beta3": 8_000 * GIB, "ram": 256 * GIB}, gpus=(GpuOffer("a100", "80Gi", "sxm", 8),),
                 price_level=Decimal("1.40"), audited=True, leased_ips=4),
    ProviderSpec("cascade", "us-east", "US", "Cascade Labs", "community", "hello@cascadelabs.example",
                 "https://cascadelabs.example", 96_000, 384 * GIB, 3_000 * GIB, {"beta2": 6_000 * GIB},
                 gpus=(GpuOffer("t4", "16Gi", "pcie", 6),), price_level=Decimal("1.00")),
    ProviderSpec("delta", "ap-southeast", "SG", "Delta GPU Pte", "premium", "noc@deltagpu.example",
                 "https://deltagpu.example", 192_000, 2_048 * GIB, 8_000 * GIB,
                 {"beta3": 16_000 * GIB, "ram": 512 * GIB}, gpus=(GpuOffer("h100", "80Gi", "sxm", 8),),
                 price_level=Decimal("1.80"), audited=True, leased_ips=2),
    ProviderSpec("ember", "eu-west", "FR", "Ember Hosting", "community", "admin@emberhosting.example",
                 "https://emberhosting.example", 48_000, 192 * GIB, 1_500 * GIB,
                 {"beta1": 1_000 * GIB, "beta2": 2_000 * GIB, "beta3": 1_000 * GIB, "ram": 32 * GIB},
                 price_level=Decimal("0.60")),
    ProviderSpec("fjord", "eu-north", "NO", "Fjord Metal AS", "community", "drift@fjordmetal.example",
                 "https://fjordmetal.example", 32_000, 128 * GIB, 1_000 * GIB, {"beta2": 2_000 * GIB},
                 price_level=Decimal("0.75"), audited=True, often_offline=True),
    ProviderSpec("granite", "sa-east", "BR", "Granite Nuvem", "community", "contato@granitenuvem.example",
                 "https://granitenuvem.example", 64_000, 512 * GIB, 2_500 * GIB,
                 {"beta2": 3_000 * GIB, "ram": 128 * GIB},
                 gpus=(GpuOffer("t4", "16Gi", "pcie", 4), GpuOffer("a100", "40Gi", "pcie", 2)),
                 price_level=Decimal("1.10")),
)


def by_name(name: str) -> ProviderSpec:
    for spec in FLEET:
        if spec.name == name:
            return spec
    raise KeyError(f"no simulated provider named {name!r}; known: {', '.join(s.name for s in FLEET)}")


def free_port() -> int:
    """A free loopback TCP port (the gateway binds it when it starts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
