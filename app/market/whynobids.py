""""Why no bids?": for an open order without bids, what keeps each registered provider from bidding.

From chain data only: placement attributes, signedBy auditors, GPU models, storage classes and leased
IPs (app.market.matching), plus a price hint when the provider's recent bids show it asks more for
such resources than the order allows. A provider that meets everything is said to be so: it may be
offline (probed), full, or filtering orders by its own rules.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from app.chain import market
from app.chain.errors import ChainError
from app.chain.market import Bid, MarketFilters, Order
from app.chain.pagination import PageRequest
from app.chain.resources import GroupSpec, Resources
from app.market.bids import BidSnapshot, snapshot
from app.market.compare import OrderKey
from app.market.context import MarketContext
from app.market.matching import Mismatch, mismatches
from app.market.providers import ProviderDirectory

GIB = Decimal(1024**3)
# Rough relative weights of resources (uact per block at typical prices) to compare different orders' prices.
WEIGHTS = {"cpu": Decimal("3.7"), "mem": Decimal("1.85"), "storage": Decimal("0.1"), "gpu": Decimal("400")}
PRICE_SAMPLE = 40
TOO_LOW = Decimal("0.85")  # the order allows less than 85% of the provider's usual price for such resources


@dataclass(frozen=True)
class ProviderVerdict:
    """One provider and an order: what it misses, a price hint, whether it is online and whether it bid."""

    provider: str
    name: str
    misses: tuple[Mismatch, ...]
    price_hint: str
    online: bool | None
    offline_reason: str
    did_bid: bool

    @property
    def qualifies(self) -> bool:
        return not self.misses and not self.price_hint

    def words(self) -> str:
        if self.did_bid:
            return "bid on this order"
        if self.misses:
            return "; ".join(m.message for m in self.misses)
        if self.price_hint:
            return self.price_hint
        if self.online is False:
            return f"meets every requirement but its gateway is offline ({self.offline_reason or 'no answer'})"
        return "meets every requirement but did not bid (it may be full, or filter orders by its own rules)"


@dataclass(frozen=True)
class NoBidsExplanation:
    order: OrderKey
    group: str
    waited_blocks: int
    verdicts: tuple[ProviderVerdict, ...]

    def summary(self) -> str:
        """One paragraph: how many providers are excluded by what, and who could bid."""
        total = len(self.verdicts)
        kinds = Counter(m.kind for v in self.verdicts for m in {x.kind: x for x in v.misses}.values())
        labels = {"attribute": "placement attributes", "signed_by": "the required auditors", "gpu": "the GPU model",
                  "storage": "the storage class", "ip": "dedicated IPs"}
        parts = [f"{n} by {labels.get(k, k)}" for k, n in kinds.most_common()]
        priced = sum(1 for v in self.verdicts if not v.misses and v.price_hint)
        if priced:
            parts.append(f"{priced} probably by the price")
        able = [v for v in self.verdicts if v.qualifies]
        offline = [v for v in able if v.online is False]
        text = f"Of {total} provider{'s' if total != 1 else ''}, "
        text += ("excluded: " + ", ".join(parts) + ". ") if parts else "none is excluded by the requirements. "
        if able:
            text += f"{len(able)} meet{'s' if len(able) == 1 else ''} every requirement"
            text += f" ({len(offline)} of them offline)." if offline else " but did not bid yet."
        else:
            text += "No provider meets every requirement: relax the SDL (attributes, auditors, GPU, storage, price)."
        return text


def resource_score(resources: Resources, count: int) -> tuple[Decimal, bool]:
    """A weighted size of resources (for price comparisons between different orders), and whether it has GPUs."""
    score = (Decimal(resources.cpu_millis) / 1000 * WEIGHTS["cpu"]
             + Decimal(resources.memory_bytes) / GIB * WEIGHTS["mem"]
             + sum((Decimal(s.quantity) for s in resources.storage), Decimal(0)) / GIB * WEIGHTS["storage"]
             + Decimal(resources.gpu_units) * WEIGHTS["gpu"])
    return score * count, resources.gpu_units > 0


def spec_score(spec: GroupSpec) -> tuple[Decimal, bool]:
    total, gpu = Decimal(0), False
    for unit in spec.resources:
        s, g = resource_score(unit.resources, unit.count)
        total, gpu = total + s, gpu or g
    return total, gpu


def typical_ratio(bids: list[Bid], gpu: bool) -> Decimal | None:
    """The provider's median price per unit of resource score, from its recent bids of the same kind."""
    ratios = []
    for bid in bids:
        score, has_gpu = Decimal(0), False
        for offer in bid.resources_offer:
            s, g = resource_score(offer.resources, offer.count)
            score, has_gpu = score + s, has_gpu or g
        if score > 0 and has_gpu == gpu and bid.price.amount > 0:
            ratios.append(bid.price.amount / score)
    return statistics.median(ratios) if len(ratios) >= 2 else None


async def _recent_bids(ctx: MarketContext, provider: str) -> list[Bid]:
    try:
        page = await market.bids_page(ctx.chain, MarketFilters(provider=provider),
                                      PageRequest(limit=PRICE_SAMPLE, reverse=True))
    except ChainError:
        return []
    return [b.bid for b in page.items]


def price_hint(order: Order, ratio: Decimal | None) -> str:
    score, _gpu = spec_score(order.spec)
    if ratio is None or score <= 0:
        return ""
    usual = ratio * score
    allowed = order.spec.price_per_block()
    if allowed >= usual * TOO_LOW:
        return ""
    return (f"the order allows at most {allowed:.4f} per block but this provider's recent bids suggest about "
            f"{usual:.4f} for such resources: the price is probably too low")


async def explain_no_bids(ctx: MarketContext, dseq: int, directory: ProviderDirectory, *,
                          snap: BidSnapshot | None = None, probe: bool = True, prices: bool = True,
                          only_without_bids: bool = True) -> list[NoBidsExplanation]:
    """For each open order (without bids, unless told otherwise): a verdict per registered provider."""
    snap = snap or await snapshot(ctx, dseq)
    await directory.refresh()
    cards = directory.cards()
    if probe:
        await directory.probe(c.address for c in cards)
    ratios: dict[tuple[str, bool], Decimal | None] = {}
    out = []
    for order in snap.open_orders:
        key = (order.id.gseq, order.id.oseq)
        bidders = {b.bid.id.provider for b in snap.bids_for(key)}
        if only_without_bids and bidders:
            continue
        _score, gpu = spec_score(order.spec)
        verdicts = []
        for card in cards:
            misses = tuple(mismatches(order.spec, card))
            hint = ""
            if prices and not misses and card.address not in bidders:
                if (card.address, gpu) not in ratios:
                    ratios[(card.address, gpu)] = typical_ratio(await _recent_bids(ctx, card.address), gpu)
                hint = price_hint(order, ratios[(card.address, gpu)])
            status = directory.status(card.address)
            verdicts.append(ProviderVerdict(card.address, card.name, misses, hint,
                                            status.online if status else None, status.error if status else "",
                                            card.address in bidders))
        verdicts.sort(key=lambda v: (not v.did_bid, not v.qualifies, len(v.misses), v.name.casefold()))
        out.append(NoBidsExplanation(key, order.spec.name, snap.order_age_blocks(order), tuple(verdicts)))
    return out
