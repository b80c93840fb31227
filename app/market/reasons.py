"""Lease and deployment close reasons, and states, in words a person understands (and who ended it)."""

from __future__ import annotations

from dataclasses import dataclass

from app.chain.market import LeaseClosedReason, LeaseState


@dataclass(frozen=True)
class ReasonText:
    """A close reason for people: a short label, a sentence, who ended it, and what to do."""

    label: str
    sentence: str
    by: str  # "you", "the provider", "the chain", ""
    advice: str = ""


_REASONS: dict[str, ReasonText] = {
    LeaseClosedReason.OWNER.value: ReasonText(
        "Closed by you", "You closed this lease (or its deployment).", "you"),
    LeaseClosedReason.INSUFFICIENT_FUNDS.value: ReasonText(
        "Out of funds", "The deployment's escrow ran out of ACT, so the chain closed the lease.", "the chain",
        "Deploy again with a larger deposit, and add funds before the runway ends."),
    LeaseClosedReason.MANIFEST_TIMEOUT.value: ReasonText(
        "No manifest in time", "The provider received no manifest within 5 minutes of the lease and closed it.",
        "the provider", "Send the manifest right after accepting a bid; deploy again to retry."),
    LeaseClosedReason.UNSTABLE.value: ReasonText(
        "Workload unstable", "The provider closed the lease because the workload kept failing "
        "(crash loops, failed health checks).", "the provider",
        "Check the logs and events of the last run, fix the image or its settings, then deploy again."),
    LeaseClosedReason.DECOMMISSION.value: ReasonText(
        "Provider decommissioned", "The provider is taking the capacity out of service and closed the lease.",
        "the provider", "Deploy again and pick another provider."),
    LeaseClosedReason.UNSPECIFIED.value: ReasonText(
        "Closed by the provider", "The provider closed the lease without giving a reason.", "the provider",
        "Deploy again, preferably with another provider."),
    LeaseClosedReason.INVALID.value: ReasonText("", "", ""),
}

_STATES = {
    LeaseState.ACTIVE.value: "Active",
    LeaseState.INSUFFICIENT_FUNDS.value: "Closed: out of funds",
    LeaseState.CLOSED.value: "Closed",
    LeaseState.RECLAIMING.value: "Being reclaimed by the provider",
    LeaseState.INVALID.value: "Unknown",
}


def reason_text(reason: LeaseClosedReason | str | None) -> ReasonText:
    """Words for a LeaseClosedReason (enum, its JSON name, or a name without the prefix like "owner")."""
    if reason is None:
        return _REASONS[LeaseClosedReason.INVALID.value]
    key = reason.value if isinstance(reason, LeaseClosedReason) else str(reason)
    if key in _REASONS:
        return _REASONS[key]
    for prefix in ("lease_closed_reason_", "lease_closed_"):
        if prefix + key in _REASONS:
            return _REASONS[prefix + key]
    return ReasonText(key.replace("_", " ").capitalize(), f"Closed with reason {key!r}.", "")


def lease_state_text(state: LeaseState | str, reason: LeaseClosedReason | str | None = None) -> str:
    """"Active", "Closed by you", "Closed: out of funds", "Closed: workload unstable"..."""
    key = state.value if isinstance(state, LeaseState) else str(state)
    if key not in (LeaseState.CLOSED.value, LeaseState.INSUFFICIENT_FUNDS.value):
        return _STATES.get(key, key)
    label = reason_text(reason).label
    if not label:
        return _STATES[key]
    return label if label.startswith("Closed") else f"Closed: {label[0].lower()}{label[1:]}"


def ended_by_provider(reason: LeaseClosedReason | str | None) -> bool:
    """True when the provider ended the lease for its own reasons (counts against it in our history)."""
    key = reason.value if isinstance(reason, LeaseClosedReason) else str(reason or "")
    return key in (LeaseClosedReason.UNSTABLE.value, LeaseClosedReason.DECOMMISSION.value,
                   LeaseClosedReason.UNSPECIFIED.value)
