"""The chain's own rules for a new deployment beyond the SDL schema: ACT pricing, one denom, resource limits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from app.config import DENOM_ACT, DENOM_AKT
from app.sdl.errors import SdlError
from app.sdl.model import ResourceRequest, Sdl
from app.units import plain_decimal

DEFAULT_AKT_PRICE_USD = Decimal("1")  # only for the suggested conversion; callers pass the oracle's price
_MI, _TI = 1024**2, 1024**4


@dataclass(frozen=True)
class ChainLimits:
    """Hard limits of akash.deployment.v1beta4 (chain-sdk validation_config.go, group_validation.go)."""

    min_cpu_millis: int = 10
    max_cpu_millis: int = 384_000
    min_memory: int = _MI
    max_memory: int = 2 * _TI
    min_storage: int = 5 * _MI
    max_storage: int = 32 * _TI
    max_gpu: int = 24
    max_count: int = 50
    max_unit_price: int = 10_000_000  # base-denom units per block
    max_groups: int = 20
    max_units_per_group: int = 20


def _within(value: Decimal, low: int, high: int) -> bool:
    return not value.is_nan() and low <= value <= high


def _human_bytes(n: Decimal) -> str:
    if not n.is_finite():
        return str(n)
    for unit, size in (("Ti", _TI), ("Gi", 1024**3), ("Mi", _MI), ("Ki", 1024)):
        if n >= size:
            return f"{plain_decimal(n / size)}{unit}"
    return f"{plain_decimal(n)} bytes"


class _Checker:
    def __init__(self, sdl: Sdl, akt_price_usd: Decimal, limits: ChainLimits) -> None:
        self.sdl = sdl
        self.akt_price = akt_price_usd
        self.limits = limits
        self.errors: list[SdlError] = []

    def err(self, path: tuple, message: str) -> None:
        self.errors.append(replace(self.sdl.locate(path), message=message))

    def run(self) -> list[SdlError]:
        placements = self.sdl.placements
        lim = self.limits
        if len(placements) > lim.max_groups:
            self.err(("profiles", "placement"), f"{len(placements)} placements are deployed; the chain accepts at most "
                                                f"{lim.max_groups} groups per deployment")
        self._denoms()
        for group in placements:
            if len(group.resources) > lim.max_units_per_group:
                self.err(("profiles", "placement", group.name), f"placement `{group.name}` has {len(group.resources)} "
                         f"resource units; the chain accepts at most {lim.max_units_per_group} per group")
            for unit in group.resources:
                self._unit(group.name, unit)
        return sorted(self.errors, key=lambda e: (e.line, e.column))

    def _denoms(self) -> None:
        denoms: dict[str, str] = {}
        for group in self.sdl.placements:
            for unit in group.resources:
                path = ("profiles", "placement", group.name, "pricing", unit.profile, "denom")
                denoms.setdefault(unit.price_denom, group.name)
                if unit.price_denom == DENOM_ACT:
                    continue
                converted = unit.price_amount * (self.akt_price if unit.price_denom == DENOM_AKT else 1)
                what = (f"At 1 AKT = {plain_decimal(self.akt_price)} USD (1 ACT = 1 USD)"
                        if unit.price_denom == DENOM_AKT else "At 1 USDC = 1 ACT")
                self.err(path, f"placement `{group.name}` prices `{unit.profile}` in {unit.price_denom}; new deployments "
                               f"must be priced in ACT (uact). {what}, paste:\n"
                               f"          denom: uact\n          amount: {plain_decimal(converted)}")
        if len(denoms) > 1:
            self.err(("profiles", "placement"), f"all groups must use one denom; found {', '.join(sorted(denoms))}")

    def _unit(self, placement: str, unit: ResourceRequest) -> None:
        lim = self.limits
        res = ("profiles", "compute", unit.profile, "resources")
        name = f"profile `{unit.profile}`"
        if not _within(unit.cpu_millis, lim.min_cpu_millis, lim.max_cpu_millis):
            self.err((*res, "cpu", "units"), f"{name} asks for {plain_decimal(unit.cpu_millis / 1000)} CPU; the chain accepts "
                                             f"{lim.min_cpu_millis / 1000:g} to {lim.max_cpu_millis // 1000} per replica")
        if not _within(unit.memory_bytes, lim.min_memory, lim.max_memory):
            self.err((*res, "memory", "size"), f"{name} asks for {_human_bytes(unit.memory_bytes)} of memory; the chain "
                                               "accepts 1Mi to 2Ti per replica")
        for i, volume in enumerate(unit.storage):
            if not _within(volume.size_bytes, lim.min_storage, lim.max_storage):
                self.err((*res, "storage", i), f"{name} volume `{volume.name}` is {_human_bytes(volume.size_bytes)}; "
                                               "the chain accepts 5Mi to 32Ti per volume")
        if not _within(unit.gpu_units, 0, lim.max_gpu) or unit.gpu_units != unit.gpu_units.to_integral_value():
            self.err((*res, "gpu", "units"), f"{name} asks for {unit.gpu_units} GPUs; the chain accepts a whole number "
                                             f"up to {lim.max_gpu} per replica")
        service = unit.services[0] if unit.services else ""
        if not 1 <= unit.count <= lim.max_count:
            merged = f" ({' + '.join(unit.services)} share the profile)" if len(unit.services) > 1 else ""
            self.err(("deployment", service, placement, "count"), f"{unit.count} replicas of {name} in `{placement}`"
                     f"{merged}; the chain accepts at most {lim.max_count}")
        price_path = ("profiles", "placement", placement, "pricing", unit.profile, "amount")
        if unit.price_amount <= 0:
            self.err(price_path, f"the price of `{unit.profile}` in `{placement}` must be more than 0")
        elif unit.price_amount > lim.max_unit_price:
            self.err(price_path, f"the price of `{unit.profile}` in `{placement}` is {plain_decimal(unit.price_amount)} "
                                 f"{unit.price_denom} per block; the chain accepts at most {lim.max_unit_price}")


def check_chain_rules(sdl: Sdl, *, akt_price_usd: Decimal = DEFAULT_AKT_PRICE_USD,
                      limits: ChainLimits = ChainLimits()) -> list[SdlError]:
    """What the chain would refuse in MsgCreateDeployment for this SDL (empty when it is deployable).

    `akt_price_usd` only shapes the suggested ACT price for an SDL priced in uakt."""
    return _Checker(sdl, akt_price_usd, limits).run()
