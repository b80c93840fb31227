"""Does a provider meet an order's requirements? The chain-sdk rules, with every miss said in words.

Placement attributes must be among the provider's attributes (keys may be globs); with signedBy, they
must be among the attributes the named auditors signed (allOf: every auditor, anyOf: one of them).
Storage attributes (class, persistent) must match one of its `capabilities/storage/<n>/*` groups, and
a GPU request one of its `capabilities/gpu/...` keys (GroupSpec.MatchResourcesRequirements).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass

from app.chain.resources import GroupSpec
from app.market.providers import ProviderCard

Attr = tuple[str, str]


@dataclass(frozen=True)
class Mismatch:
    """One requirement the provider does not meet. kind: attribute, signed_by, storage, gpu, ip."""

    kind: str
    message: str


def _subset_of(req: Attr, have: Attr) -> bool:
    return fnmatch.fnmatchcase(have[0], req[0]) and req[1] == have[1]


def attrs_subset(reqs: Iterable[Attr], have: Iterable[Attr]) -> bool:
    have = list(have)
    return all(any(_subset_of(r, h) for h in have) for r in reqs)


def _capability_groups(attrs: Iterable[Attr], prefix: str) -> list[list[Attr]]:
    groups: dict[str, list[Attr]] = {}
    for key, value in attrs:
        if key.startswith(f"capabilities/{prefix}/"):
            tokens = key[len("capabilities/"):].split("/")
            if len(tokens) == 3:
                groups.setdefault(tokens[1], []).append((tokens[2], value))
    return list(groups.values())


def _capability_map(attrs: Iterable[Attr], prefix: str) -> list[Attr]:
    out = []
    for key, value in attrs:
        if key.startswith(f"capabilities/{prefix}/"):
            tokens = key[len("capabilities/"):].split("/")
            if len(tokens) >= 3:
                out.append(("/".join(tokens[1:]), value))
    return out


def _value_of(attrs: Iterable[Attr], key: str) -> str | None:
    return next((v for k, v in attrs if fnmatch.fnmatchcase(k, key)), None)


def _attribute_misses(reqs: list[Attr], card: ProviderCard) -> list[Mismatch]:
    out = []
    for key, value in reqs:
        if any(_subset_of((key, value), h) for h in card.attributes):
            continue
        has = _value_of(card.attributes, key)
        detail = f"it has {key}={has}" if has is not None else f"it has no `{key}` attribute"
        out.append(Mismatch("attribute", f"placement requires {key}={value}; {detail}"))
    return out


def _signed_by_misses(spec: GroupSpec, card: ProviderCard) -> list[Mismatch]:
    req = spec.requirements
    reqs = [(a.key, a.value) for a in req.attributes]
    signed = card.audited_attributes
    out = []
    for auditor in req.signed_by_all_of:
        if auditor not in signed:
            out.append(Mismatch("signed_by", f"not audited by {auditor} (required by signedBy.allOf)"))
        elif not attrs_subset(reqs, signed[auditor]):
            out.append(Mismatch("signed_by", f"auditor {auditor} did not sign the required attributes"))
    if req.signed_by_any_of and not any(a in signed and attrs_subset(reqs, signed[a]) for a in req.signed_by_any_of):
        names = ", ".join(req.signed_by_any_of)
        what = "not audited by any of" if not any(a in signed for a in req.signed_by_any_of) else \
            "no audit covering the required attributes from any of"
        out.append(Mismatch("signed_by", f"{what} {names} (signedBy.anyOf)"))
    return out


def _storage_misses(spec: GroupSpec, card: ProviderCard) -> list[Mismatch]:
    groups = _capability_groups(card.attributes, "storage")
    offered = ", ".join(card.storage_classes) or "none"
    out = []
    for unit in spec.resources:
        for volume in unit.resources.storage:
            attrs = [(a.key, a.value) for a in volume.attributes]
            if attrs and not any(attrs_subset(attrs, g) for g in groups):
                cls = next((v for k, v in attrs if k == "class"), "")
                what = f"storage class `{cls}`" if cls else "persistent storage"
                out.append(Mismatch("storage", f"volume `{volume.name}` needs {what}; it offers: {offered}"))
    return out


def _gpu_misses(spec: GroupSpec, card: ProviderCard) -> list[Mismatch]:
    gpus = _capability_map(card.attributes, "gpu")
    out = []
    for unit in spec.resources:
        res = unit.resources
        wanted = [(a.key, a.value) for a in res.gpu_attributes]
        if res.gpu_units <= 0 or not wanted:
            continue
        if not any(_subset_of(r, h) for r in wanted for h in gpus):
            models = ", ".join("/".join(k.split("/")[1:4:2]) for k, _ in wanted) or "a GPU"
            has = ", ".join(card.gpu_models) or "no GPUs"
            out.append(Mismatch("gpu", f"needs GPU {models}; it has {has}"))
    return out


def _ip_misses(spec: GroupSpec, card: ProviderCard) -> list[Mismatch]:
    wants_ip = any(e.kind == "LEASED_IP" for u in spec.resources for e in u.resources.endpoints)
    if wants_ip and not card.leased_ips:
        return [Mismatch("ip", "needs a dedicated IP (LEASED_IP endpoint); it does not advertise feat-endpoint-ip")]
    return []


def mismatches(spec: GroupSpec, card: ProviderCard) -> list[Mismatch]:
    """Every requirement of the order's group that this provider misses (empty: it qualifies on paper)."""
    req = spec.requirements
    out: list[Mismatch] = []
    if req.signed_by_all_of or req.signed_by_any_of:
        out += _signed_by_misses(spec, card)
    else:
        out += _attribute_misses([(a.key, a.value) for a in req.attributes], card)
    return out + _storage_misses(spec, card) + _gpu_misses(spec, card) + _ip_misses(spec, card)
