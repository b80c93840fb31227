"""Plain-text renderings of the tenant views (bid tables, why-no-bids, lease status, deployments) for the CLI,
logs and the clipboard. No Qt; widths adapt to the content."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from app.market.compare import BidRow, OrderKey, by_order, sort_rows
from app.market.lease import LeaseView, ManifestDelivery
from app.market.overview import DeploymentLine
from app.market.preflight import PreflightReport
from app.market.runway import Runway, human_duration
from app.market.whynobids import NoBidsExplanation
from app.units import format_amount


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A left-aligned text table; numbers-looking columns stay as given."""
    body = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return "\n".join(out)


def money(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "?"
    if value != 0 and abs(value) < Decimal(1).scaleb(-places):
        return f"{value:.2g}"
    return f"{value:,.{places}f}"


def bid_table(rows: Sequence[BidRow], *, sort: str = "price", chosen: dict[OrderKey, BidRow] | None = None) -> str:
    """One table per order (group): price per hour and month, provider, region, audited, GPUs, online, time left."""
    if not rows:
        return "No open bids yet."
    parts = []
    picked = {r.bid.id for r in (chosen or {}).values()}
    for order, group in by_order(rows).items():
        gpu = any(r.gpu_requested for r in group)
        lines = []
        for r in sort_rows(group, sort):
            lines.append([
                "*" if r.bid.id in picked else "",
                money(r.usd_per_hour, 4) if gpu else money(r.usd_per_month),
                money(r.usd_per_month) if gpu else money(r.usd_per_hour, 4),
                r.card.name[:28] + ("  ★" if r.favourite else ""), r.card.region or "-",
                ",".join(a[-6:] for a in r.card.auditors) or "no",
                ",".join(m.split("/")[-1] for m in r.card.gpu_models) or "-",
                {True: "online", False: "OFFLINE", None: "?"}[r.online],
                f"{int(r.seconds_left) // 60}:{int(r.seconds_left) % 60:02d}" if r.open else r.bid.state.value,
                r.history.summary() if r.history else "-", r.provider,
            ])
        first, second = ("ACT/hour", "ACT/month") if gpu else ("ACT/month", "ACT/hour")
        parts.append(f"Group {order[0]} (order {order[1]}): {len(group)} bid{'s' if len(group) != 1 else ''}\n" + table(
            ["", first, second, "provider", "region", "audited by", "GPUs", "state", "closes in", "our history",
             "address"], lines))
    return "\n\n".join(parts)


def why_no_bids(explanations: Sequence[NoBidsExplanation]) -> str:
    parts = []
    for ex in explanations:
        rows = [[v.name[:28], v.provider, v.words()] for v in ex.verdicts]
        parts.append(f"Group {ex.order[0]} `{ex.group}`, open for {ex.waited_blocks} blocks without a bid.\n"
                     f"{ex.summary()}\n" + table(["provider", "address", "why it did not bid"], rows))
    return "\n\n".join(parts) if parts else "Every open order has bids."


def preflight(report: PreflightReport) -> str:
    lines = [f"{'ok ' if c.ok else 'NO '} {c.message}" for c in report.checks]
    per_month = report.cost.usd_per_month
    lines.append(f"    at most {money(per_month)} ACT/month at the SDL's prices (bids are usually lower)")
    for w in report.warnings:
        lines.append(f"!   {w}")
    if report.mint is not None and not report.ok:
        lines.append(f"->  {report.mint.words()}")
    return "\n".join(lines)


def deliveries(items: Sequence[ManifestDelivery]) -> str:
    return "\n".join(("ok  " if d.ok else "NO  ") + d.words() for d in items) or "No active lease to send to."


def lease_views(views: Sequence[LeaseView]) -> str:
    if not views:
        return "No active lease."
    parts = []
    for v in views:
        i = v.lease.lease.id
        head = f"Lease {i.dseq}/{i.gseq}/{i.oseq} with {i.provider} ({v.host_uri})"
        if v.error is not None:
            parts.append(f"{head}\n  provider did not answer: {v.error}")
            continue
        st = v.status
        assert st is not None
        lines = [head]
        for name, s in st.services.items():
            lines.append(f"  {name}: {s.ready_replicas}/{s.total} ready, {s.available} available"
                         + (f"; {', '.join(s.uris)}" if s.uris else ""))
        for svc, ports in st.forwarded_ports.items():
            for p in ports:
                lines.append(f"  {svc}: port {p.port}/{p.proto} -> {p.address}")
        for svc, ips in st.ips.items():
            for ip in ips:
                lines.append(f"  {svc}: IP {ip.ip}:{ip.external_port}/{ip.protocol}")
        lines += [f"  error: {e}" for e in st.errors]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def runway(rw: Runway | None) -> str:
    return "-" if rw is None else rw.words()


def deployments(lines: Sequence[DeploymentLine]) -> str:
    if not lines:
        return "No deployments."
    rows = []
    for d in lines:
        providers = ", ".join(sorted({le.provider_name[:20] for le in d.leases if le.state == "active"})) or "-"
        left = "-" if d.runway is None or d.runway.seconds_left is None else (
            "OUT OF FUNDS" if d.runway.overdrawn else human_duration(d.runway.seconds_left))
        rows.append([d.dseq, (d.name or "-")[:32], d.state_text, money(d.act_per_month) if d.act_per_month else "-",
                     "-" if d.escrow_uact is None else format_amount(int(max(d.escrow_uact, Decimal(0))), "uact", 2),
                     left, providers])
    return table(["dseq", "name", "status", "ACT/month", "escrow", "time left", "providers"], rows)
