"""Keystore errors: typed, each message says what happened, to which wallet or file, and what to do."""

from __future__ import annotations

from pathlib import Path


class KeystoreError(Exception):
    """Base of every keystore failure a person may see."""


class WrongPassword(KeystoreError):
    """The password does not open this wallet. Nothing was changed."""

    def __init__(self, wallet: str) -> None:
        super().__init__(
            f"wrong password for wallet '{wallet}' (nothing was changed); check the keyboard layout and Caps Lock"
        )
        self.wallet = wallet


class KeystoreCorrupt(KeystoreError):
    """A wallet file that is damaged, truncated, foreign, tampered with, or from a newer version."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(
            f"the wallet file {path} cannot be used: {reason}. It was left untouched; restore it from a backup "
            "or import the recovery phrase again under another name"
        )
        self.path = Path(path)
        self.reason = reason


class UnsupportedFormat(KeystoreCorrupt):
    """A wallet file written by a newer Akash Desk (a format version this one does not know)."""


class WalletExists(KeystoreError):
    def __init__(self, wallet: str) -> None:
        super().__init__(
            f"a wallet named '{wallet}' already exists; choose another name (nothing was overwritten)"
        )
        self.wallet = wallet


class WalletNotFound(KeystoreError):
    def __init__(self, wallet: str) -> None:
        super().__init__(f"there is no wallet named '{wallet}'")
        self.wallet = wallet


class WatchOnlyWallet(KeystoreError):
    """The operation needs a key, and this wallet only watches addresses."""

    def __init__(self, wallet: str, what: str) -> None:
        super().__init__(
            f"wallet '{wallet}' is watch-only (it holds addresses, no keys), so it cannot {what}"
        )
        self.wallet = wallet


class AccountError(KeystoreError, ValueError):
    """An account name or derivation path that cannot be used in this wallet."""


class InvalidName(KeystoreError, ValueError):
    """A wallet name that cannot be used (it becomes a file name)."""


class InvalidPassword(KeystoreError, ValueError):
    """A new password that cannot be used (e.g. empty)."""


class WalletLocked(KeystoreError):
    def __init__(self, wallet: str) -> None:
        super().__init__(f"wallet '{wallet}' was locked; unlock it again to sign")
        self.wallet = wallet
