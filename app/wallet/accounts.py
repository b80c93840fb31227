"""Public wallet metadata (no secrets): WalletInfo, AccountInfo, and name rules for wallets and accounts."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from app.wallet.address import AddressError, validate_address
from app.wallet.errors import AccountError, InvalidName
from app.wallet.hd import hd_path
from app.wallet.labels import clean_label

MAX_NAME_LEN = 48
_NAME_PUNCTUATION = set(" -_.()'+&#@")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}


@dataclass(frozen=True)
class AccountInfo:
    """One account of a wallet: display name, HD account and index (None for a watched address), address."""

    name: str
    account: int | None
    index: int | None
    address: str

    @property
    def watch_only(self) -> bool:
        return self.account is None

    @property
    def hd_path(self) -> str | None:
        return None if self.account is None or self.index is None else hd_path(self.account, self.index)


@dataclass(frozen=True)
class WalletInfo:
    """What can be shown before unlocking: the wallet name, whether it only watches, its accounts."""

    name: str
    watch_only: bool
    accounts: tuple[AccountInfo, ...]

    def account(self, which: str | int = 0) -> AccountInfo:
        """An account by display name or by position (0 = first)."""
        return find_account(self.accounts, which, self.name)


def find_account(accounts: tuple[AccountInfo, ...], which: str | int, wallet: str) -> AccountInfo:
    if isinstance(which, bool):
        raise AccountError("choose an account by name or by position")
    if isinstance(which, int):
        if not 0 <= which < len(accounts):
            raise AccountError(
                f"wallet '{wallet}' has {len(accounts)} account(s); there is no position {which}"
            )
        return accounts[which]
    for acc in accounts:
        if acc.name == which:
            return acc
    names = ", ".join(f"'{a.name}'" for a in accounts)
    raise AccountError(f"wallet '{wallet}' has no account named '{which}' (it has {names})")


def clean_wallet_name(name: str) -> str:
    """The NFC, trimmed wallet name if it can be a file name on every desktop OS, else InvalidName."""
    if not isinstance(name, str):
        raise InvalidName("the wallet name must be text")
    clean = unicodedata.normalize("NFC", name).strip()
    if not clean:
        raise InvalidName("the wallet name is empty")
    if len(clean) > MAX_NAME_LEN:
        raise InvalidName(f"the wallet name is longer than {MAX_NAME_LEN} characters")
    bad = [c for c in clean if not (c.isalnum() or c in _NAME_PUNCTUATION)]
    if bad:
        raise InvalidName(
            f"the wallet name cannot contain {bad[0]!r}; use letters, digits, spaces and - _ . ( ) ' + & # @"
        )
    if clean.startswith(".") or clean.endswith("."):
        raise InvalidName("the wallet name cannot start or end with a dot")
    if clean.split(".")[0].lower() in _WINDOWS_RESERVED:
        raise InvalidName(f"'{clean}' is a reserved device name on Windows; choose another wallet name")
    return clean


def clean_account_name(name: str) -> str:
    return clean_label(name, "account name", MAX_NAME_LEN, AccountError)


def accounts_from_header(entries: Any, labels: list[str], watch_only: bool) -> tuple[AccountInfo, ...]:
    """AccountInfo for each header entry; ValueError says what is malformed (the caller names the file)."""
    if not isinstance(entries, list) or not entries:
        raise ValueError("the wallet lists no accounts")
    if len(labels) != len(entries):
        raise ValueError("the account names do not match the accounts")
    out: list[AccountInfo] = []
    for entry, label in zip(entries, labels, strict=True):
        if not isinstance(entry, dict):
            raise ValueError("an account entry is malformed")
        address = entry.get("address")
        try:
            validate_address(address)
        except AddressError as exc:
            raise ValueError(f"an account address is invalid ({exc})") from None
        if watch_only:
            out.append(AccountInfo(label, None, None, address))
            continue
        account, index = entry.get("account"), entry.get("index")
        for value in (account, index):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
                raise ValueError("an account number or index is out of range")
        out.append(AccountInfo(label, account, index, address))
    if len({a.name for a in out}) != len(out):
        raise ValueError("two accounts have the same name")
    return tuple(out)


def header_entries(accounts: tuple[AccountInfo, ...]) -> list[dict[str, Any]]:
    """The authenticated part of each account (names live in the labels section)."""
    return [
        {"address": a.address}
        if a.watch_only
        else {"account": a.account, "index": a.index, "address": a.address}
        for a in accounts
    ]
