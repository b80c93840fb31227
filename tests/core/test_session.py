"""Session: selection remembered in the settings, lock/unlock, signer access, listeners."""

from __future__ import annotations

import asyncio

import pytest

from app import settings as settings_mod
from app.session import ACCOUNT, LOCK, WALLETS, Session
from app.settings import Settings
from app.wallet.errors import WalletLocked, WatchOnlyWallet, WrongPassword
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic

FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)
WATCHED = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnwduagr"


@pytest.fixture
def keystore() -> Keystore:
    ks = Keystore(kdf=FAST)
    ks.create("main", generate_mnemonic(12), "pw-main", accounts=(("Account 1", 0, 0), ("Savings", 0, 1)))
    return ks


def test_restores_first_wallet_and_remembers_selection(keystore: Keystore) -> None:
    events: list[str] = []
    s = Session(Settings(), keystore)
    s.add_listener(events.append)
    s.reload()
    assert s.wallet and s.wallet.name == "main" and s.account and s.account.name == "Account 1"
    assert events[:2] == [WALLETS, ACCOUNT]
    savings = s.wallet.accounts[1].address
    s.select_account(savings)
    saved = settings_mod.load()
    assert saved.last_wallet == "main" and saved.last_account == savings
    again = Session(settings_mod.load(), keystore)
    again.reload()
    assert again.account and again.account.address == savings


def test_unlock_sign_and_lock(keystore: Keystore) -> None:
    s = Session(Settings(), keystore)
    s.reload()
    assert s.locked
    with pytest.raises(WalletLocked):
        s.signer()
    with pytest.raises(WrongPassword):
        s.unlock("nope")
    assert s.locked
    events: list[str] = []
    s.add_listener(events.append)
    asyncio.run(s.unlock_async("pw-main"))
    assert not s.locked and events == [LOCK]
    signer = s.signer()
    assert signer.address == s.account.address
    assert len(signer.sign(b"hello")) == 64
    s.lock()
    assert s.locked and signer.locked and events == [LOCK, LOCK]
    with pytest.raises(WalletLocked):
        s.signer()


def test_switching_wallet_locks_the_previous_one(keystore: Keystore) -> None:
    keystore.create_watch_only("watched", WATCHED)
    s = Session(Settings(), keystore)
    s.reload()
    s.select_wallet("main")
    s.unlock("pw-main")
    s.select_wallet("watched")
    assert s.locked and s.watch_only
    with pytest.raises(WatchOnlyWallet):
        s.signer()
    with pytest.raises(WatchOnlyWallet):
        s.unlock("anything")


def test_adopt_takes_the_wizard_result(keystore: Keystore) -> None:
    s = Session(Settings(), keystore)
    s.reload()
    keystore.create("second", generate_mnemonic(24), "pw2")
    s.adopt(keystore.unlock("second", "pw2"))
    assert s.wallet.name == "second" and not s.locked
    assert [w.name for w in s.wallets] == ["main", "second"]


def test_no_wallet_yet() -> None:
    s = Session(Settings(), Keystore(kdf=FAST))
    s.reload()
    assert s.wallet is None and s.account is None and s.locked
