"""The encrypted keystore: one file per wallet under wallets_dir(), Argon2id + AES-256-GCM (see crypto_box)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from app.config import wallets_dir
from app.fsutil import _fsync_dir as fsync_dir  # the same directory fsync the atomic writes use
from app.fsutil import atomic_write_bytes
from app.wallet import crypto_box
from app.wallet.accounts import (
    AccountInfo,
    WalletInfo,
    accounts_from_header,
    clean_account_name,
    clean_wallet_name,
    find_account,
    header_entries,
)
from app.wallet.address import validate_address
from app.wallet.crypto_box import Sealer, WalletFile, WrongPasswordSignal, b64d, b64e
from app.wallet.errors import (
    AccountError,
    InvalidPassword,
    KeystoreCorrupt,
    KeystoreError,
    WalletExists,
    WalletNotFound,
    WatchOnlyWallet,
    WrongPassword,
)
from app.wallet.hd import derive_private_key_from_seed, seed_from_mnemonic
from app.wallet.kdf import DEFAULT_KDF, KdfParams, kdf_from_header
from app.wallet.mnemonic import MnemonicError, validate_mnemonic
from app.wallet.signer import Signer
from app.wallet.unlocked import UnlockedWallet

__all__ = [
    "AccountError",
    "AccountInfo",
    "InvalidPassword",
    "Keystore",
    "KeystoreCorrupt",
    "KeystoreError",
    "UnlockedWallet",
    "WalletExists",
    "WalletInfo",
    "WalletNotFound",
    "WatchOnlyWallet",
    "WrongPassword",
]

log = logging.getLogger(__name__)
SUFFIX = ".wallet"
MAX_SECRET_KEY_LEN = 128
T = TypeVar("T")


@dataclasses.dataclass
class _Opened:
    """Internal: a decrypted wallet inside one locked operation."""

    path: Path
    info: WalletInfo
    payload: dict[str, Any]
    sealer: Sealer

    def __repr__(self) -> str:
        return f"_Opened(path={str(self.path)!r}, <redacted>)"


def _in_thread(method: Callable[..., T]) -> Callable[..., Any]:
    """An async twin of a blocking method (the KDF is CPU-heavy; the UI loop must not freeze)."""

    @functools.wraps(method)
    async def wrapper(self: Keystore, *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(method, self, *args, **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = f"{method.__name__}_async"
    return wrapper


def _check_new_password(password: str) -> None:
    if not isinstance(password, str):
        raise InvalidPassword("the password must be text")
    if not password:
        raise InvalidPassword("the password is empty; choose one to encrypt the wallet file")


def _check_secret_key(key: str) -> None:
    if not isinstance(key, str) or not key or len(key) > MAX_SECRET_KEY_LEN or not key.isprintable():
        raise KeystoreError(f"a secret's key is printable text of 1 to {MAX_SECRET_KEY_LEN} characters")


class Keystore:
    """Wallet files in one directory. Every mutation is locked against other processes and atomic."""

    def __init__(self, root: Path | None = None, *, kdf: KdfParams | None = None) -> None:
        self.root = Path(root) if root is not None else wallets_dir()
        self.kdf: KdfParams = kdf or DEFAULT_KDF

    def __repr__(self) -> str:
        return f"Keystore(root={str(self.root)!r})"

    # ---- reading public metadata -------------------------------------------------------------------

    def path_for(self, name: str) -> Path:
        return self.root / f"{clean_wallet_name(name)}{SUFFIX}"

    def list_wallets(self) -> list[WalletInfo]:
        """Every readable wallet, by name; damaged files are skipped (see damaged_files)."""
        found = []
        for path in self._wallet_files():
            try:
                found.append(self._read_path(path)[1])
            except KeystoreCorrupt as exc:
                log.warning("skipping wallet file %s: %s", path, exc.reason)
        return sorted(found, key=lambda w: w.name.casefold())

    def damaged_files(self) -> list[KeystoreCorrupt]:
        """One KeystoreCorrupt per wallet file that cannot be read (for a 'needs attention' list)."""
        problems = []
        for path in self._wallet_files():
            try:
                self._read_path(path)
            except KeystoreCorrupt as exc:
                problems.append(exc)
        return problems

    def exists(self, name: str) -> bool:
        try:
            self._locate(name)
        except WalletNotFound:
            return False
        return True

    def info(self, name: str) -> WalletInfo:
        return self._read(name)[1]

    def kdf_params(self, name: str) -> KdfParams | None:
        """The KDF parameters recorded in a wallet file (None for watch-only wallets)."""
        wf, info = self._read(name)
        return None if info.watch_only else kdf_from_header(wf.header["kdf"])

    # ---- creating ----------------------------------------------------------------------------------

    def create(
        self,
        name: str,
        mnemonic: str,
        password: str,
        *,
        passphrase: str = "",
        accounts: Iterable[tuple[str, int, int]] = (("Account 1", 0, 0),),
    ) -> WalletInfo:
        """A new encrypted wallet from a recovery phrase; WalletExists if the name is taken."""
        name = clean_wallet_name(name)
        phrase = validate_mnemonic(mnemonic)
        _check_new_password(password)
        if not isinstance(passphrase, str):
            raise TypeError("the BIP39 passphrase must be text")
        seed = seed_from_mnemonic(phrase, passphrase)
        derived: tuple[AccountInfo, ...] = ()
        for label, account, index in accounts:
            derived += (self._derive_account(name, derived, seed, label, account, index),)
        if not derived:
            raise AccountError("a wallet needs at least one account")
        info = WalletInfo(name, False, derived)
        payload = {"mnemonic": phrase, "passphrase": passphrase, "secrets": {}}
        with self._locked():
            self._ensure_absent(name)
            sealer = crypto_box.new_sealer(password, self.kdf)
            self._write(self.path_for(name), info, payload, sealer)
        log.info("created wallet %r with %d account(s)", name, len(derived))
        return info

    def create_watch_only(self, name: str, address: str, *, account_name: str = "Account 1") -> WalletInfo:
        """A wallet that only watches an address: balances and history, no signing, no password."""
        name = clean_wallet_name(name)
        validate_address(address)
        info = WalletInfo(name, True, (AccountInfo(clean_account_name(account_name), None, None, address),))
        with self._locked():
            self._ensure_absent(name)
            self._write(self.path_for(name), info, None, None)
        log.info("created watch-only wallet %r", name)
        return info

    # ---- using the secret --------------------------------------------------------------------------

    def unlock(self, name: str, password: str) -> UnlockedWallet:
        """WrongPassword if the password does not open it; the result signs until .lock()."""
        opened = self._open(name, password, "be unlocked to sign")
        p = opened.payload
        seed = seed_from_mnemonic(p["mnemonic"], p["passphrase"])
        secrets = {k: b64d(v, "a secret") for k, v in p["secrets"].items()}
        log.debug("unlocked wallet %r", opened.info.name)
        return UnlockedWallet(opened.info, seed, secrets, has_passphrase=bool(p["passphrase"]))

    def reveal_mnemonic(self, name: str, password: str) -> str:
        """The recovery phrase, only with the password (show it, never log it)."""
        return self._open(name, password, "reveal a recovery phrase").payload["mnemonic"]

    def verify_password(self, name: str, password: str) -> bool:
        try:
            self._open(name, password, "check a password")
        except WrongPassword:
            return False
        return True

    # ---- accounts ----------------------------------------------------------------------------------

    def add_account(
        self, name: str, password: str, account_name: str, account: int, index: int
    ) -> AccountInfo:
        """Derive m/44'/118'/{account}'/0/{index} and add it under a new display name."""
        with self._locked():
            opened = self._open(name, password, "derive new accounts (use add_watch_address)")
            p = opened.payload
            seed = seed_from_mnemonic(p["mnemonic"], p["passphrase"])
            new = self._derive_account(
                opened.info.name, opened.info.accounts, seed, account_name, account, index
            )
            info = dataclasses.replace(opened.info, accounts=opened.info.accounts + (new,))
            self._write(opened.path, info, p, opened.sealer)
        log.info("wallet %r: added account %r (%s)", info.name, new.name, new.hd_path)
        return new

    def add_watch_address(self, name: str, account_name: str, address: str) -> AccountInfo:
        """Watch one more address in a watch-only wallet."""
        validate_address(address)
        with self._locked():
            path, wf, info = self._read_locked(name)
            if not info.watch_only:
                raise AccountError(
                    f"wallet '{info.name}' holds keys; add derived accounts to it, not addresses"
                )
            new = AccountInfo(self._new_label(info, account_name), None, None, address)
            if any(a.address == address for a in info.accounts):
                raise AccountError(f"wallet '{info.name}' already watches {address}")
            self._write(path, dataclasses.replace(info, accounts=info.accounts + (new,)), None, None)
        return new

    def rename_account(self, name: str, old: str, new: str) -> AccountInfo:
        """Change an account's display name; needs no password (names are not secret, see crypto_box)."""
        with self._locked():
            path, wf, info = self._read_locked(name)
            target = find_account(info.accounts, old, info.name)
            label = clean_account_name(new)
            if label != target.name and any(a.name == label for a in info.accounts):
                raise AccountError(f"wallet '{info.name}' already has an account named '{label}'")
            labels = [label if a is target else a.name for a in info.accounts]
            self._save(path, crypto_box.relabel(wf, labels), info.name)
        return dataclasses.replace(target, name=label)

    def remove_account(self, name: str, password: str, account_name: str) -> None:
        """Forget an account (its funds stay on chain; add it again with the same account/index).

        A watch-only wallet has no password: `password` is ignored for it.
        """
        with self._locked():
            path, wf, info = self._read_locked(name)
            target = find_account(info.accounts, account_name, info.name)
            if len(info.accounts) == 1:
                raise AccountError(
                    f"'{target.name}' is the last account of wallet '{info.name}'; delete the wallet instead"
                )
            accounts = tuple(a for a in info.accounts if a is not target)
            if info.watch_only:  # nothing is encrypted, so there is no password to check
                self._write(path, dataclasses.replace(info, accounts=accounts), None, None)
            else:
                opened = self._open(name, password, "")
                self._write(path, dataclasses.replace(info, accounts=accounts), opened.payload, opened.sealer)
        log.info("wallet %r: removed account %r", info.name, target.name)

    # ---- password, secrets, deletion ---------------------------------------------------------------

    def change_password(self, name: str, old: str, new: str) -> None:
        """Re-encrypt under `new` with a fresh salt and nonce and the current KDF parameters."""
        _check_new_password(new)
        with self._locked():
            opened = self._open(name, old, "have a password")
            sealer = crypto_box.new_sealer(new, self.kdf)
            self._write(opened.path, opened.info, opened.payload, sealer)
        log.info("wallet %r: password changed", opened.info.name)

    def store_secret(self, name: str, password: str, key: str, data: bytes) -> None:
        """Keep a named secret blob (e.g. an mTLS client key) inside the encrypted payload."""
        _check_secret_key(key)
        if not isinstance(data, bytes | bytearray):
            raise TypeError("a secret is bytes")
        with self._locked():
            opened = self._open(name, password, "store secrets")
            opened.payload["secrets"][key] = b64e(bytes(data))
            self._write(opened.path, opened.info, opened.payload, opened.sealer)
        log.info("wallet %r: stored secret %r", opened.info.name, key)

    def load_secret(self, name: str, password: str, key: str) -> bytes | None:
        _check_secret_key(key)
        value = self._open(name, password, "hold secrets").payload["secrets"].get(key)
        return None if value is None else b64d(value, "a secret")

    def delete_secret(self, name: str, password: str, key: str) -> bool:
        """Remove a secret blob; False if there was none."""
        _check_secret_key(key)
        with self._locked():
            opened = self._open(name, password, "hold secrets")
            if opened.payload["secrets"].pop(key, None) is None:
                return False
            self._write(opened.path, opened.info, opened.payload, opened.sealer)
        return True

    def secret_names(self, name: str, password: str) -> list[str]:
        return sorted(self._open(name, password, "hold secrets").payload["secrets"])

    def delete(self, name: str) -> None:
        """Remove a wallet file (even a damaged one). The keys are gone unless the phrase is backed up."""
        with self._locked():
            path = self._locate(name)
            try:
                path.unlink()
            except FileNotFoundError:
                raise WalletNotFound(clean_wallet_name(name)) from None
            except OSError as exc:
                raise KeystoreError(f"could not delete {path}: {exc.strerror}") from None
            fsync_dir(self.root)
        log.info("deleted wallet %r", clean_wallet_name(name))

    create_async = _in_thread(create)
    unlock_async = _in_thread(unlock)
    add_account_async = _in_thread(add_account)
    remove_account_async = _in_thread(remove_account)
    change_password_async = _in_thread(change_password)
    reveal_mnemonic_async = _in_thread(reveal_mnemonic)
    verify_password_async = _in_thread(verify_password)
    store_secret_async = _in_thread(store_secret)
    load_secret_async = _in_thread(load_secret)
    list_wallets_async = _in_thread(list_wallets)

    # ---- internals ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from app.wallet.filelock import exclusive

        self.root.mkdir(parents=True, exist_ok=True)
        with exclusive(self.root / ".lock"):
            yield

    def _wallet_files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob(f"*{SUFFIX}") if p.is_file() and not p.name.startswith("."))

    def _ensure_absent(self, name: str) -> None:
        folded = name.casefold()
        for path in self._wallet_files():
            if path.name[: -len(SUFFIX)].casefold() == folded:
                raise WalletExists(path.name[: -len(SUFFIX)])

    def _locate(self, name: str) -> Path:
        """The file of a wallet; names are case-insensitive, like on the file systems of macOS and Windows."""
        path = self.path_for(name)
        if path.exists():
            return path
        folded = path.name.casefold()
        for other in self._wallet_files():
            if other.name.casefold() == folded:
                return other
        raise WalletNotFound(clean_wallet_name(name))

    def _read(self, name: str) -> tuple[WalletFile, WalletInfo]:
        return self._read_path(self._locate(name))

    def _read_locked(self, name: str) -> tuple[Path, WalletFile, WalletInfo]:
        wf, info = self._read(name)
        return wf.path, wf, info

    def _read_path(self, path: Path) -> tuple[WalletFile, WalletInfo]:
        try:
            with path.open("rb") as fh:
                data = fh.read(crypto_box.MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise WalletNotFound(path.name[: -len(SUFFIX)]) from None
        except OSError as exc:
            raise KeystoreError(f"cannot read the wallet file {path}: {exc.strerror}") from None
        if len(data) > crypto_box.MAX_FILE_BYTES:
            raise KeystoreCorrupt(path, "the file is far too large to be a wallet")
        wf = crypto_box.decode(path, data)
        expected = path.name[: -len(SUFFIX)]
        name = wf.header.get("wallet")
        # case-insensitive file systems open "main.wallet" for "Main": the header holds the real name
        if not isinstance(name, str) or name.casefold() != expected.casefold():
            raise KeystoreCorrupt(path, f"it holds wallet {name!r}, not {expected!r} (renamed by hand?)")
        try:
            accounts = accounts_from_header(wf.header.get("accounts"), wf.labels, wf.watch_only)
        except ValueError as exc:
            raise KeystoreCorrupt(path, str(exc)) from None
        return wf, WalletInfo(name, wf.watch_only, accounts)

    def _open(self, name: str, password: str, what: str) -> _Opened:
        """Read and decrypt; WrongPassword, WatchOnlyWallet or KeystoreCorrupt otherwise."""
        if not isinstance(password, str):
            raise TypeError("the password must be text")
        wf, info = self._read(name)
        if info.watch_only:
            raise WatchOnlyWallet(info.name, what or "do this")
        try:
            raw, sealer = crypto_box.open_payload(wf, password)
        except WrongPasswordSignal:
            log.info("wrong password for wallet %r", info.name)
            raise WrongPassword(info.name) from None
        return _Opened(wf.path, info, self._parse_payload(wf.path, raw), sealer)

    @staticmethod
    def _parse_payload(path: Path, raw: bytes) -> dict[str, Any]:
        try:
            payload = json.loads(raw.decode("utf-8"))
            ok = (
                isinstance(payload, dict)
                and isinstance(payload.get("mnemonic"), str)
                and isinstance(payload.get("passphrase"), str)
                and isinstance(payload.get("secrets"), dict)
                and all(isinstance(v, str) for v in payload["secrets"].values())
            )
        except ValueError:
            ok = False
        if not ok:
            raise KeystoreCorrupt(path, "the decrypted content has an unexpected shape")
        try:
            validate_mnemonic(payload["mnemonic"])
        except MnemonicError:  # its message may quote a word of the phrase: not repeated here
            raise KeystoreCorrupt(path, "the stored recovery phrase is not valid") from None
        return payload

    def _write(
        self, path: Path, info: WalletInfo, payload: dict[str, Any] | None, sealer: Sealer | None
    ) -> None:
        header = {
            "wallet": info.name,
            "watch_only": info.watch_only,
            "accounts": header_entries(info.accounts),
        }
        raw = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        data = crypto_box.encode(header, [a.name for a in info.accounts], sealer, raw)
        self._save(path, data, info.name)

    def _save(self, path: Path, data: bytes, name: str) -> None:
        try:
            atomic_write_bytes(path, data)
        except OSError as exc:
            raise KeystoreError(
                f"could not save wallet '{name}' to {path}: {exc.strerror or exc}; the previous file is unchanged"
            ) from None

    def _new_label(self, info: WalletInfo, label: str) -> str:
        clean = clean_account_name(label)
        if any(a.name == clean for a in info.accounts):
            raise AccountError(f"wallet '{info.name}' already has an account named '{clean}'")
        return clean

    def _derive_account(
        self,
        wallet: str,
        existing: tuple[AccountInfo, ...],
        seed: bytes,
        label: str,
        account: int,
        index: int,
    ) -> AccountInfo:
        clean = self._new_label(WalletInfo(wallet, False, existing), label)
        try:
            key = derive_private_key_from_seed(seed, account, index)
        except ValueError as exc:
            raise AccountError(str(exc)) from None
        for a in existing:
            if (a.account, a.index) == (account, index):
                raise AccountError(
                    f"account {account}, index {index} is already in wallet '{wallet}' as '{a.name}'"
                )
        signer = Signer(key)
        address = signer.address
        signer.forget()
        return AccountInfo(clean, account, index, address)
