"""An unlocked wallet: hands out Signers for its accounts until lock() drops the key material."""

from __future__ import annotations

from app.wallet.accounts import AccountInfo, WalletInfo, find_account
from app.wallet.errors import KeystoreError, WalletLocked
from app.wallet.hd import derive_private_key_from_seed
from app.wallet.signer import Signer


class UnlockedWallet:
    """Decrypted wallet state. repr() shows the name and addresses only; lock() wipes what it can.

    Python strings cannot be wiped, so the phrase is not kept: only the 64-byte BIP39 seed (in a
    bytearray that lock() zeroes), the derived signers (their keys dropped on lock) and the secret blobs.
    """

    __slots__ = ("_info", "_seed", "_signers", "_secrets", "_has_passphrase")

    def __init__(
        self, info: WalletInfo, seed: bytes, secrets: dict[str, bytes], has_passphrase: bool = False
    ) -> None:
        self._info = info
        self._seed: bytearray | None = bytearray(seed)
        self._signers: dict[tuple[int, int], Signer] = {}
        self._secrets: dict[str, bytearray] | None = {k: bytearray(v) for k, v in secrets.items()}
        self._has_passphrase = has_passphrase

    @property
    def name(self) -> str:
        return self._info.name

    @property
    def info(self) -> WalletInfo:
        return self._info

    @property
    def accounts(self) -> tuple[AccountInfo, ...]:
        return self._info.accounts

    @property
    def has_passphrase(self) -> bool:
        return self._has_passphrase

    @property
    def locked(self) -> bool:
        return self._seed is None

    def account(self, which: str | int = 0) -> AccountInfo:
        return find_account(self._info.accounts, which, self._info.name)

    def signer(self, account: str | int = 0) -> Signer:
        """The Signer of an account, by display name or position (0 = first account)."""
        if self._seed is None:
            raise WalletLocked(self._info.name)
        acc = self.account(account)
        assert acc.account is not None and acc.index is not None  # an unlocked wallet is never watch-only
        key = (acc.account, acc.index)
        if key not in self._signers:
            signer = Signer(derive_private_key_from_seed(bytes(self._seed), acc.account, acc.index))
            if signer.address != acc.address:  # the authenticated header and the phrase disagree
                signer.forget()
                raise KeystoreError(
                    f"wallet '{self.name}': account '{acc.name}' derives to {signer.address}, not {acc.address} "
                    "as recorded; the file does not belong to this recovery phrase"
                )
            self._signers[key] = signer
        return self._signers[key]

    def secret_names(self) -> list[str]:
        if self._secrets is None:
            raise WalletLocked(self._info.name)
        return sorted(self._secrets)

    def load_secret(self, key: str) -> bytes | None:
        """A named secret blob as it was when the wallet was unlocked (None if there is none)."""
        if self._secrets is None:
            raise WalletLocked(self._info.name)
        blob = self._secrets.get(key)
        return None if blob is None else bytes(blob)

    def lock(self) -> None:
        """Zero the seed and secret blobs and drop every signer's key (signers already handed out stop too)."""
        if self._seed is not None:
            self._seed[:] = bytes(len(self._seed))
            self._seed = None
        for signer in self._signers.values():
            signer.forget()
        self._signers.clear()
        if self._secrets is not None:
            for blob in self._secrets.values():
                blob[:] = bytes(len(blob))
            self._secrets = None

    def __enter__(self) -> UnlockedWallet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()

    def __repr__(self) -> str:
        state = "locked" if self.locked else "unlocked"
        addresses = ", ".join(a.address for a in self._info.accounts)
        return f"UnlockedWallet(name={self._info.name!r}, {state}, accounts=[{addresses}])"

    __str__ = __repr__

    def __reduce__(self):  # never serialised with its key material
        raise TypeError("an UnlockedWallet cannot be pickled")
