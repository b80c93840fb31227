""""Why no bids?": each requirement a provider misses, price hints from its recent bids, the summary."""

from __future__ import annotations

from decimal import Decimal

from app.chain.jsonread import Obj
from app.chain.market import Bid, Order
from app.market.matching import mismatches
from app.market.providers import ProviderCard
from app.market.whynobids import NoBidsExplanation, ProviderVerdict, price_hint, typical_ratio

AUDITOR = "akash1auditor0"
OTHER_AUDITOR = "akash1auditor9"
GI = 1024**3


def order(*, attributes=(), all_of=(), any_of=(), gpu=None, storage_class=None, ip=False, price="100") -> Order:
    storage = [{"name": "default", "quantity": {"val": str(GI)}, "attributes": []}]
    if storage_class:
        storage.append({"name": "data", "quantity": {"val": str(10 * GI)},
                        "attributes": [{"key": "class", "value": storage_class}, {"key": "persistent", "value": "true"}]})
    endpoints = [{"kind": "SHARED_HTTP", "sequence_number": 0}] + ([{"kind": "LEASED_IP", "sequence_number": 1}] if ip else [])
    resource = {"id": 1, "cpu": {"units": {"val": "1000"}}, "memory": {"quantity": {"val": str(GI)}},
                "storage": storage, "gpu": {"units": {"val": "1" if gpu else "0"},
                                            "attributes": [{"key": f"vendor/nvidia/model/{gpu}", "value": "true"}] if gpu else []},
                "endpoints": endpoints}
    return Order.parse(Obj({
        "id": {"owner": "akash1owner", "dseq": "7", "gseq": 1, "oseq": 1}, "state": "open", "created_at": "10",
        "spec": {"name": "dcloud", "requirements": {"signed_by": {"all_of": list(all_of), "any_of": list(any_of)},
                                                    "attributes": [{"key": k, "value": v} for k, v in attributes]},
                 "resources": [{"resource": resource, "count": 1, "price": {"denom": "uact", "amount": price}}]}}))


def provider(region="us-west", *, audited=True, gpus=(), classes=("beta2",), ip=False) -> ProviderCard:
    attrs = [("host", "akash"), ("region", region), ("organization", "Orion")]
    for i, cls in enumerate(classes, start=1):
        attrs += [(f"capabilities/storage/{i}/class", cls), (f"capabilities/storage/{i}/persistent", "true")]
    for g in gpus:
        attrs += [(f"capabilities/gpu/vendor/nvidia/model/{g}", "true"), (f"capabilities/gpu/vendor/nvidia/model/{g}/ram/80Gi", "true")]
    if ip:
        attrs.append(("feat-endpoint-ip", "true"))
    signed = ((AUDITOR, tuple(a for a in attrs if a[0] in ("host", "region", "organization"))),) if audited else ()
    return ProviderCard("akash1prov", "https://orion.example:8443", tuple(attrs), signed)


def kinds(o: Order, p: ProviderCard) -> list[str]:
    return [m.kind for m in mismatches(o.spec, p)]


def test_a_provider_that_meets_everything_has_no_misses() -> None:
    assert mismatches(order(attributes=[("region", "us-west")]).spec, provider()) == []


def test_placement_attribute_miss_names_both_values() -> None:
    misses = mismatches(order(attributes=[("region", "eu-west"), ("tier", "premium")]).spec, provider())
    assert [m.message for m in misses] == ["placement requires region=eu-west; it has region=us-west",
                                           "placement requires tier=premium; it has no `tier` attribute"]


def test_attribute_keys_may_be_globs() -> None:
    assert kinds(order(attributes=[("reg*", "us-west")]), provider()) == []


def test_signed_by_all_of_and_any_of() -> None:
    assert kinds(order(all_of=[AUDITOR]), provider()) == []
    missing = mismatches(order(all_of=[AUDITOR, OTHER_AUDITOR]).spec, provider())
    assert [m.kind for m in missing] == ["signed_by"] and OTHER_AUDITOR in missing[0].message
    assert kinds(order(any_of=[OTHER_AUDITOR, AUDITOR]), provider()) == []
    assert "not audited by any of" in mismatches(order(any_of=[OTHER_AUDITOR]).spec, provider()).pop().message
    # the auditor signed region=us-west only: a requirement it did not sign fails
    assert "did not sign" in mismatches(order(all_of=[AUDITOR], attributes=[("tier", "premium")]).spec,
                                        provider())[0].message
    assert kinds(order(all_of=[AUDITOR]), provider(audited=False)) == ["signed_by"]


def test_gpu_model_storage_class_and_ip() -> None:
    assert kinds(order(gpu="h100"), provider(gpus=("a100",))) == ["gpu"]
    assert "it has nvidia/a100" in mismatches(order(gpu="h100").spec, provider(gpus=("a100",)))[0].message
    assert kinds(order(gpu="a100"), provider(gpus=("a100",))) == []
    assert kinds(order(gpu="*"), provider(gpus=("t4",))) == []
    assert "no GPUs" in mismatches(order(gpu="t4").spec, provider())[0].message
    assert kinds(order(storage_class="beta3"), provider(classes=("beta2",))) == ["storage"]
    assert kinds(order(storage_class="beta2"), provider(classes=("beta1", "beta2"))) == []
    assert kinds(order(ip=True), provider()) == ["ip"]
    assert kinds(order(ip=True), provider(ip=True)) == []


def _bid(price: str, cpu: int, gpu: int = 0) -> Bid:
    return Bid.parse(Obj({"id": {"owner": "akash1x", "dseq": "1", "gseq": 1, "oseq": 1, "provider": "akash1prov",
                                 "bseq": 0}, "state": "open", "price": {"denom": "uact", "amount": price},
                          "created_at": "5", "resources_offer": [{"resources": {
                              "id": 1, "cpu": {"units": {"val": str(cpu)}}, "memory": {"quantity": {"val": str(GI)}},
                              "storage": [{"name": "default", "quantity": {"val": str(GI)}}],
                              "gpu": {"units": {"val": str(gpu)}}}, "count": 1}]}))


def test_price_hint_from_the_providers_recent_bids() -> None:
    # this provider asks ~2x the reference weights: 1 CPU + 1 Gi + 1 Gi storage ~ 5.65 -> it bids ~11.3
    recent = [_bid("11.3", 1000), _bid("18.7", 2000), _bid("11.0", 1000)]
    ratio = typical_ratio(recent, gpu=False)
    assert ratio is not None and Decimal("1.8") < ratio < Decimal("2.2")
    assert "probably too low" in price_hint(order(price="5"), ratio)
    assert price_hint(order(price="100"), ratio) == ""
    assert typical_ratio(recent, gpu=True) is None  # no GPU bids to learn from
    assert typical_ratio(recent[:1], gpu=False) is None  # one bid is not a pattern


def test_summary_counts_exclusions_and_idle_qualified_providers() -> None:
    from app.market.matching import Mismatch

    verdicts = (
        ProviderVerdict("a", "A", (Mismatch("gpu", "x"),), "", True, "", False),
        ProviderVerdict("b", "B", (Mismatch("gpu", "x"), Mismatch("storage", "y")), "", True, "", False),
        ProviderVerdict("c", "C", (), "", False, "connection refused", False),
        ProviderVerdict("d", "D", (), "the price is probably too low", True, "", False),
    )
    text = NoBidsExplanation((1, 1), "dcloud", 30, verdicts).summary()
    assert text.startswith("Of 4 providers, excluded: 2 by the GPU model, 1 by the storage class, 1 probably by the price.")
    assert "1 meets every requirement (1 of them offline)." in text
    assert "gateway is offline (connection refused)" in verdicts[2].words()
    assert verdicts[3].words() == "the price is probably too low"
    nobody = NoBidsExplanation((1, 1), "g", 5, verdicts[:2]).summary()
    assert "No provider meets every requirement" in nobody
