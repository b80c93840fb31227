"""The low-funds watch: notifications without the Deployments tab ever opened (local network), once per crossing,
reset on another account, read again soon after a transaction; the hidden tab follows it instead of polling."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QWidget

from app import settings as settings_mod
from app.session import Session
from app.wallet.keystore import Keystore
from tests.ui.holder_kit import await_task, make_context
from tests.ui.test_deployments_tab import line
from ui.context import AppContext
from ui.notify import Notifier
from ui.runway_watch import RunwayWatch, runway_watch
from ui.tabs.deployments import DeploymentsTab


@pytest.fixture
def ctx(qtbot) -> AppContext:
    session = Session(settings_mod.load(), Keystore())
    session.reload()
    window = QWidget()
    qtbot.addWidget(window)
    ctx = AppContext(session.settings, session)
    ctx.notifier = Notifier(window, use_tray=False)
    return ctx


def test_one_notification_per_crossing_and_a_fresh_start_for_another_account(ctx) -> None:
    posted = []
    ctx.notifier.posted.connect(posted.append)
    watch = runway_watch(ctx)
    assert runway_watch(ctx) is watch  # one per window context
    watch.observe([line(2, left_uact=1_000_000), line(1, left_uact=50_000_000)])
    watch.observe([line(2, left_uact=900_000)])
    assert len(posted) == 1 and "Deployment 2 runs out of funds" in posted[0]
    ctx.account_changed.emit()  # another account: what was said about the previous one is forgotten
    watch.observe([line(2, left_uact=900_000)])
    assert len(posted) == 2 and [s.dseq for s in watch.signals] == [2, 2]


def test_without_an_account_or_a_client_the_watch_waits_for_the_next_turn(ctx) -> None:
    watch = RunwayWatch(ctx)
    watch.start(first_s=60)
    assert watch.check() is None and watch.reads == 0 and watch._timer.isActive()
    watch.stop()
    assert not watch._timer.isActive()


def test_the_hidden_tab_follows_the_watch_instead_of_polling(qtbot, ctx) -> None:
    tab = DeploymentsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.shown()
    assert tab.timer.isActive()
    tab.hide()
    assert not tab.timer.isActive(), "hidden, the tab must not poll the chain itself"
    tab.watch.lines_read.emit([line(4), line(3)])
    assert [tab.model.line_at(i).dseq for i in range(tab.model.rowCount())] == [4, 3]
    tab.show_closed.setChecked(True)  # the watch reads active deployments only: a list with closed ones stays
    tab.watch.lines_read.emit([line(4)])
    assert tab.model.rowCount() == 2


@pytest.mark.slow
def test_low_funds_are_notified_without_opening_the_deployments_tab(qtbot, localnet) -> None:
    """A real deployment on the local network whose escrow lasts less than a day: the window's watch notifies."""
    from app.chain.client import ChainClient
    from app.wallet.hd import derive_private_key
    from app.wallet.mnemonic import generate_mnemonic
    from app.wallet.signer import Signer
    from tests.kits.leases import seed_leases
    from ui.main_window import MainWindow

    phrase = generate_mnemonic(24)
    ctx, owner = make_context(localnet, phrase, fund=False, name="watched")
    tenant = Signer(derive_private_key(phrase, 0, 0, ""))
    assert tenant.address == owner
    window = MainWindow(ctx, use_tray=False)
    qtbot.addWidget(window)
    posted = []
    window.notifier.posted.connect(posted.append)
    try:
        client = ChainClient(ctx.network)
        # 5 ACT at 100 uact a block: 50,000 blocks, well under a day at the local node's 1 s blocks
        seeded = await_task(qtbot, seed_leases(client, localnet.fund, 1, price_uact=Decimal(100), tenant=tenant),
                            timeout_ms=90_000)
        await_task(qtbot, client.aclose())
        watch = window.runway_watch
        assert watch.started
        watch.check_soon(0.05)
        qtbot.waitUntil(lambda: any(f"Deployment {seeded.dseqs[0]} runs out of funds" in p for p in posted),
                        timeout=30_000)
        assert next(s for s in window.slots if s.spec.key == "deployments").page is None  # never opened
        reads = watch.reads
        ctx.tx_done.emit(object())  # e.g. a deposit: read again soon, not in minutes
        assert watch._timer.remainingTime() <= 4_000 or watch._task is not None
        watch.check_soon(0.05)
        qtbot.waitUntil(lambda: watch.reads > reads, timeout=30_000)
        assert len([p for p in posted if "runs out of funds" in p]) == 1  # still low: not said again
    finally:
        window.close()
        await_task(qtbot, ctx.aclose())
