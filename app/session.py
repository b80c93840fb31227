"""The running session: which wallet and account are selected, whether keys are unlocked, lock on demand."""

from __future__ import annotations

import logging
from collections.abc import Callable

from app import settings as settings_mod
from app.settings import Settings
from app.wallet.accounts import AccountInfo, WalletInfo
from app.wallet.errors import KeystoreError, WalletLocked, WatchOnlyWallet
from app.wallet.keystore import Keystore
from app.wallet.signer import Signer
from app.wallet.unlocked import UnlockedWallet

log = logging.getLogger(__name__)

# What changed, for listeners: the wallet list, the selected wallet/account, or the lock state.
WALLETS, ACCOUNT, LOCK = "wallets", "account", "lock"
Listener = Callable[[str], None]


class Session:
    """State shared by every tab. The UI listens through `add_listener(fn(kind))`; no Qt here.

    The selection is remembered in the settings (wallet name and account address: no secrets).
    """

    def __init__(
        self,
        settings: Settings,
        keystore: Keystore | None = None,
        save: Callable[[Settings], None] | None = None,
    ) -> None:
        self.settings = settings
        self.keystore = keystore or Keystore()
        self._save = save or settings_mod.save
        self._wallets: list[WalletInfo] = []
        self.wallet: WalletInfo | None = None
        self.account: AccountInfo | None = None
        self._unlocked: UnlockedWallet | None = None
        self._listeners: list[Listener] = []

    # -- listeners -----------------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, kind: str) -> None:
        for listener in list(self._listeners):
            try:
                listener(kind)
            except Exception:  # a broken listener must not break the session
                log.exception("session listener failed")

    # -- wallets and accounts ------------------------------------------------------------------------

    @property
    def wallets(self) -> list[WalletInfo]:
        return list(self._wallets)

    def reload(self) -> None:
        """Re-read the wallet list and restore the remembered selection (or the first wallet)."""
        self._wallets = self.keystore.list_wallets()
        self._emit(WALLETS)
        names = [w.name for w in self._wallets]
        current = self.wallet.name if self.wallet else self.settings.last_wallet
        if current in names:
            self.select_wallet(current, self.account.address if self.account else self.settings.last_account)
        elif self._wallets:
            self.select_wallet(self._wallets[0].name)
        else:
            self._set_selection(None, None)

    def select_wallet(self, name: str, account_address: str = "") -> None:
        """Make `name` current (locking the previous wallet's keys if it changes)."""
        info = next((w for w in self._wallets if w.name == name), None)
        if info is None:
            info = self.keystore.info(name)  # WalletNotFound if it does not exist
            self._wallets = sorted([*self._wallets, info], key=lambda w: w.name.casefold())
            self._emit(WALLETS)
        account = next((a for a in info.accounts if a.address == account_address), info.accounts[0])
        self._set_selection(info, account)

    def select_account(self, address: str) -> None:
        if self.wallet is None:
            raise KeystoreError("there is no wallet yet; create or import one first")
        account = next((a for a in self.wallet.accounts if a.address == address), None)
        if account is None:
            raise KeystoreError(f"wallet '{self.wallet.name}' has no account {address}")
        self._set_selection(self.wallet, account)

    def _set_selection(self, wallet: WalletInfo | None, account: AccountInfo | None) -> None:
        if self._unlocked is not None and (wallet is None or self._unlocked.name != wallet.name):
            self.lock()
        changed = (wallet, account) != (self.wallet, self.account)
        self.wallet, self.account = wallet, account
        self.settings.last_wallet = wallet.name if wallet else ""
        self.settings.last_account = account.address if account else ""
        if changed:
            self._persist()
            self._emit(ACCOUNT)

    def _persist(self) -> None:
        try:
            self._save(self.settings)
        except OSError as exc:  # the selection is a convenience: never fail the session for it
            log.warning("could not save the selected account: %s", exc)

    # -- keys ----------------------------------------------------------------------------------------

    @property
    def watch_only(self) -> bool:
        return bool(self.wallet and self.wallet.watch_only)

    @property
    def locked(self) -> bool:
        """True when signing needs the password first (a watch-only wallet can never sign)."""
        return self._unlocked is None or self._unlocked.locked

    def unlock(self, password: str) -> None:
        """Decrypt the current wallet (blocking, CPU-heavy: call unlock_async from the UI)."""
        self.adopt(self.keystore.unlock(self._need_keyed_wallet(), password))

    async def unlock_async(self, password: str) -> None:
        self.adopt(await self.keystore.unlock_async(self._need_keyed_wallet(), password))

    def adopt(self, unlocked: UnlockedWallet) -> None:
        """Take an UnlockedWallet (e.g. from the first-run wizard) as the current wallet's keys."""
        if self.wallet is None or unlocked.name != self.wallet.name:
            self._wallets = self.keystore.list_wallets()
            self._emit(WALLETS)
            self.select_wallet(unlocked.name)
        if self._unlocked is not None and self._unlocked is not unlocked:
            self._unlocked.lock()
        self._unlocked = unlocked
        self._emit(LOCK)

    def lock(self) -> None:
        """Drop the key material; signing needs the password again. Harmless when already locked."""
        if self._unlocked is None:
            return
        self._unlocked.lock()
        self._unlocked = None
        log.info("wallet locked")
        self._emit(LOCK)

    def signer(self) -> Signer:
        """The selected account's Signer; WalletLocked / WatchOnlyWallet otherwise."""
        name = self._need_keyed_wallet()
        if self._unlocked is None or self._unlocked.locked:
            raise WalletLocked(name)
        assert self.account is not None
        return self._unlocked.signer(self.account.name)

    def secrets(self) -> UnlockedWallet:
        """The unlocked wallet as the source of the secrets kept in it (e.g. mTLS client keys, read with
        app.provider.certstore); WalletLocked / WatchOnlyWallet otherwise. Its blobs are as of the unlock."""
        name = self._need_keyed_wallet()
        if self._unlocked is None or self._unlocked.locked:
            raise WalletLocked(name)
        return self._unlocked

    def _need_keyed_wallet(self) -> str:
        if self.wallet is None:
            raise KeystoreError("there is no wallet yet; create or import one first")
        if self.wallet.watch_only:
            raise WatchOnlyWallet(self.wallet.name, "sign transactions")
        return self.wallet.name

    def close(self) -> None:
        self.lock()
        self._listeners.clear()
