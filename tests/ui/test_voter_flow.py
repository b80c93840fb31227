"""The voter flow on the local node through the real Governance tab: a proposal in its voting period ->
vote Yes (THE confirmation dialog, approved by the test) -> my vote shown, the tally moves by the stake.
Also the status filter, search, time left, quorum/turnout text and the tally bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.chain.gov import ProposalStatus, VoteOption
from app.localnet.genesis import VALIDATORS
from app.localnet.txbuild import sign_tx
from app.tx import msgs
from app.wallet.address import convert_prefix
from app.wallet.mnemonic import generate_mnemonic
from app.wallet.signer import Signer
from tests.ui.holder_kit import approve, closed, open_tab
from ui.dialogs.vote import VoteDialog
from ui.tabs.governance import GovernanceTab

AKT = 1_000_000
STAKE = 500 * AKT


def _deliver(localnet, signer: Signer, messages) -> None:
    acc = localnet.account(signer.address)
    tx = sign_tx(signer, messages, chain_id=localnet.chain_id, account_number=int(acc["account_number"]),
                 sequence=int(acc["sequence"]), fee_uakt=10_000, gas=400_000)
    res = localnet.deliver(tx)
    assert res["code"] == 0, res


@pytest.fixture
def voter(qtbot, localnet):
    """A funded account with stake and its own proposal in the voting period (independent of the clock)."""
    phrase = generate_mnemonic(24)
    signer = Signer.from_mnemonic(phrase)
    localnet.fund(signer.address, {"uakt": 3000 * AKT})
    operator = next(v["operator_address"] for v in localnet.get("/cosmos/staking/v1beta1/validators")["validators"]
                    if v["description"]["moniker"] == VALIDATORS[0].moniker)
    _deliver(localnet, signer, [msgs.msg_delegate(signer.address, operator, STAKE)])
    title = f"Signal: test proposal {signer.address[-6:]}"
    _deliver(localnet, signer, [msgs.msg_submit_proposal([], [("uakt", 1000 * AKT)], signer.address, title=title,
                                                        summary="Voted on by the UI test. Keyword: lighthouse.")])
    with open_tab(qtbot, localnet, GovernanceTab, lambda tab: any(p.title == title for p in tab.proposals),
                  mnemonic=phrase, name="voter", size=(1100, 700)) as (tab, ctx, address):
        assert address == signer.address == convert_prefix(address, "akash")
        yield tab, ctx, title


def _ours(tab, title):
    return next(p for p in tab.proposals if p.title == title)


def test_filter_search_detail_and_model(qtbot, voter, qtmodeltester) -> None:
    tab, _ctx, title = voter
    qtmodeltester.check(tab.model)
    statuses = {p.status for p in tab.proposals}
    assert {ProposalStatus.PASSED, ProposalStatus.REJECTED, ProposalStatus.VOTING_PERIOD} <= statuses
    tab.filter.setCurrentIndex(tab.filter.findText("Passed"))
    assert tab.model.rowCount() >= 2 and all(p.status == ProposalStatus.PASSED for p in tab.model.rows())
    tab.filter.setCurrentIndex(tab.filter.findText("Voting now"))
    assert all(p.voting for p in tab.model.rows())
    tab.search.setText("lighthouse")  # a word of the summary only
    assert tab.proxy.rowCount() == 1
    tab.select(_ours(tab, title).id)
    detail = tab.detail
    assert title in detail.title.text()
    assert "left" in detail.when.text()
    assert "quorum 33.4 %" in detail.rules.text() and "Turnout" in detail.rules.text()
    assert detail.mine.text() == "You have not voted"
    assert detail.vote_button.isEnabled()
    tab.search.clear()
    tab.filter.setCurrentIndex(tab.filter.findText("Passed"))
    tab.select(tab.model.row_at(0).id)
    assert not detail.vote_button.isEnabled() and "Final tally" in detail.rules.text()
    assert detail.bar.segments(300.0), "the passed proposal's tally is drawn"


def test_vote_changes_my_vote_and_the_tally(qtbot, voter) -> None:
    tab, _ctx, title = voter
    before = _ours(tab, title)
    assert before.my_vote is None and before.tally.yes == 0
    tab.select(before.id)
    dialog = tab.open_vote()
    assert isinstance(dialog, VoteDialog)
    assert not dialog.ok.isEnabled()  # nothing chosen yet
    dialog.choices[VoteOption.YES].click()
    assert dialog.ok.isEnabled(), dialog.error.text()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    confirm = approve(qtbot)
    assert confirm.request.descriptions[0].title.startswith(f"Vote Yes on proposal #{before.id}")
    qtbot.waitUntil(lambda: closed(dialog), timeout=60_000)

    def voted():
        if _ours(tab, title).my_vote == VoteOption.YES:
            return True
        tab.refresh()
        return False

    qtbot.waitUntil(voted, timeout=30_000)
    after = _ours(tab, title)
    assert after.tally.yes == before.tally.yes + STAKE
    tab.select(after.id)
    assert tab.detail.mine.text() == "Yes"
    assert "Yes 100.0 %" in tab.detail.legend.text()
    row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, 1).data() == title)
    assert tab.proxy.index(row, 5).data() == "Yes"
