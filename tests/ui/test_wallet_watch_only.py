"""A watch-only wallet (the demo address) in every holder tab: figures load, nothing offers to sign."""

from __future__ import annotations

from urllib.parse import urlsplit

from app import config
from app import settings as settings_mod
from app.localnet.genesis import DEMO_ADDRESS
from app.session import Session
from app.wallet.keystore import Keystore
from tests.ui.holder_kit import await_task
from ui.context import AppContext
from ui.tabs.governance import GovernanceTab
from ui.tabs.provider import ProviderTab
from ui.tabs.staking import StakingTab
from ui.tabs.wallet import WalletTab


def test_watch_only_sees_but_never_signs(qtbot, localnet) -> None:
    keystore = Keystore()
    keystore.create_watch_only("watched", DEMO_ADDRESS)
    session = Session(settings_mod.load(), keystore)
    session.reload()
    ctx = AppContext(session.settings, session, config.local_network(urlsplit(localnet.url).port))
    ctx.connect_chain()
    tabs = [cls(ctx) for cls in (WalletTab, StakingTab, GovernanceTab, ProviderTab)]
    for tab in tabs:
        qtbot.addWidget(tab)
        tab.show()
        tab.refresh()
    wallet, staking, gov, provider = tabs
    qtbot.waitUntil(lambda: wallet.overview is not None and staking.position is not None
                    and bool(gov.proposals) and provider.earnings is not None, timeout=30_000)
    assert wallet.overview.amount_of("uakt") > 0 and wallet.receive_button.isEnabled()
    assert not wallet.send_button.isEnabled() and not wallet.mint_button.isEnabled()
    assert staking.position.total_staked > 0
    assert not any(b.isEnabled() for b in (staking.delegate_button, staking.undelegate_button,
                                           staking.redelegate_button, staking.claim_button, staking.compound_button))
    gov.select(next(p.id for p in gov.proposals if p.voting))
    assert not gov.detail.vote_button.isEnabled() and gov.open_vote() is None
    assert not provider.withdraw_button.isEnabled() and "Watching" in provider.mode.text()
    await_task(qtbot, ctx.aclose())
