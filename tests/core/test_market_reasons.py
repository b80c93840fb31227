"""Lease close reasons and states in words, and who ended the lease."""

from __future__ import annotations

import pytest

from app.chain.market import LeaseClosedReason, LeaseState
from app.market.reasons import ended_by_provider, lease_state_text, reason_text


@pytest.mark.parametrize(("reason", "label", "by"), [
    ("lease_closed_owner", "Closed by you", "you"),
    ("lease_closed_reason_insufficient_funds", "Out of funds", "the chain"),
    ("lease_closed_reason_manifest_timeout", "No manifest in time", "the provider"),
    ("lease_closed_reason_unstable", "Workload unstable", "the provider"),
    ("lease_closed_reason_decommission", "Provider decommissioned", "the provider"),
    ("lease_closed_reason_unspecified", "Closed by the provider", "the provider"),
])
def test_every_reason_has_words(reason: str, label: str, by: str) -> None:
    words = reason_text(reason)
    assert (words.label, words.by) == (label, by)
    assert words.sentence.endswith(".")
    assert reason_text(LeaseClosedReason(reason)) == words
    short = reason.removeprefix("lease_closed_reason_").removeprefix("lease_closed_")
    assert reason_text(short) == words


def test_advice_for_what_a_person_can_fix() -> None:
    assert "larger deposit" in reason_text("lease_closed_reason_insufficient_funds").advice
    assert "logs" in reason_text("lease_closed_reason_unstable").advice
    assert reason_text("lease_closed_owner").advice == ""


def test_unknown_and_missing_reasons_never_fail() -> None:
    assert reason_text(None).label == "" and reason_text("lease_closed_invalid").label == ""
    odd = reason_text("lease_closed_reason_quantum_flux")
    assert odd.label == "Lease closed reason quantum flux" and "quantum_flux" in odd.sentence


def test_state_text() -> None:
    assert lease_state_text(LeaseState.ACTIVE) == "Active"
    assert lease_state_text("closed", "lease_closed_owner") == "Closed by you"
    assert lease_state_text("insufficient_funds", "lease_closed_reason_insufficient_funds") == "Closed: out of funds"
    assert lease_state_text("insufficient_funds") == "Closed: out of funds"
    assert lease_state_text("closed", "lease_closed_reason_unstable") == "Closed: workload unstable"
    assert lease_state_text("closed", "lease_closed_reason_unspecified") == "Closed by the provider"
    assert lease_state_text("closed") == "Closed"
    assert lease_state_text(LeaseState.RECLAIMING) == "Being reclaimed by the provider"


def test_who_to_blame() -> None:
    assert ended_by_provider("lease_closed_reason_unstable") and ended_by_provider(LeaseClosedReason.DECOMMISSION)
    assert not ended_by_provider("lease_closed_owner")
    assert not ended_by_provider("lease_closed_reason_insufficient_funds")
    assert not ended_by_provider(None)
