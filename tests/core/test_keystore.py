"""Keystore behaviour: wallets, accounts, passwords, secrets, watch-only wallets, names and errors."""

from __future__ import annotations

import asyncio
import json
import stat
import threading
from pathlib import Path

import pytest

from app.config import wallets_dir
from app.wallet.address import AddressError
from app.wallet.errors import (
    AccountError,
    InvalidName,
    InvalidPassword,
    KeystoreCorrupt,
    KeystoreError,
    WalletExists,
    WalletLocked,
    WalletNotFound,
    WatchOnlyWallet,
    WrongPassword,
)
from app.wallet.kdf import DEFAULT_KDF, Argon2idParams, ScryptParams
from app.wallet.keystore import AccountInfo, Keystore, WalletInfo
from app.wallet.mnemonic import MnemonicError
from app.wallet.signer import SignerLocked, verify_signature

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "wallet"
ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
ADDR_0 = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
ADDR_1 = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)  # tests only; real files use DEFAULT_KDF
PW = "correct horse battery"


def _vector(name: str) -> tuple[dict, dict]:
    return (
        json.loads((VECTORS / f"address-{name}.json").read_text()),
        json.loads((VECTORS / f"address-{name}.out.json").read_text()),
    )


@pytest.fixture
def ks() -> Keystore:
    return Keystore(kdf=FAST)


@pytest.fixture
def main(ks: Keystore) -> WalletInfo:
    return ks.create("Main", ABANDON, PW)


def _snapshot(ks: Keystore, name: str = "Main") -> bytes:
    return ks.path_for(name).read_bytes()


# ---- creating and listing ----------------------------------------------------------------------------


def test_create_writes_one_private_file_under_the_data_dir(
    ks: Keystore, main: WalletInfo, _isolated_home: Path
) -> None:
    assert ks.root == wallets_dir() and ks.root.is_relative_to(_isolated_home)
    assert main == WalletInfo("Main", False, (AccountInfo("Account 1", 0, 0, ADDR_0),))
    path = ks.root / "Main.wallet"
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ks.list_wallets() == [main] and ks.info("Main") == main
    assert ABANDON.encode() not in path.read_bytes() and b"abandon" not in path.read_bytes()


def test_default_kdf_parameters_are_recorded_in_the_header() -> None:
    ks = Keystore()
    ks.create("Strong", ABANDON, PW)
    assert ks.kdf_params("Strong") == DEFAULT_KDF
    assert DEFAULT_KDF.memory_kib >= 64 * 1024  # memory-hard, not a token amount
    assert ks.unlock("Strong", PW).signer(0).address == ADDR_0


def test_scrypt_files_are_supported(ks: Keystore) -> None:
    ks = Keystore(kdf=ScryptParams(n=2**10, r=8, p=1))
    ks.create("S", ABANDON, PW)
    assert ks.kdf_params("S") == ScryptParams(n=2**10, r=8, p=1)
    assert ks.unlock("S", PW).signer().address == ADDR_0


def test_several_accounts_and_list_order(ks: Keystore) -> None:
    ks.create("zeta", ABANDON, PW)
    info = ks.create("Alpha", ABANDON, PW, accounts=(("Spending", 0, 0), ("Savings", 0, 1)))
    assert [a.address for a in info.accounts] == [ADDR_0, ADDR_1]
    assert [w.name for w in ks.list_wallets()] == ["Alpha", "zeta"]
    assert info.account("Savings").hd_path == "m/44'/118'/0'/0/1"


def test_passphrase_changes_the_keys_like_the_official_library(ks: Keystore) -> None:
    request, expected = _vector("abandon-passphrase-unicode")
    info = ks.create(
        "P",
        request["mnemonic"],
        PW,
        passphrase=request["bip39_password"],
        accounts=(("A", 0, request["index"]),),
    )
    assert info.accounts[0].address == expected["address"]
    unlocked = ks.unlock("P", PW)
    assert unlocked.has_passphrase and unlocked.signer("A").address == expected["address"]


def test_24_word_wallet_matches_the_official_library(ks: Keystore) -> None:
    request, expected = _vector("random-24-a1")
    ks.create("W24", request["mnemonic"], PW, accounts=(("x", request["account"], request["index"]),))
    assert ks.unlock("W24", PW).signer("x").address == expected["address"]


def test_existing_wallet_is_never_overwritten(ks: Keystore, main: WalletInfo) -> None:
    before = _snapshot(ks)
    other = "legal winner thank year wave sausage worth useful legal winner thank yellow"
    for name in ("Main", "main", " MAIN "):
        with pytest.raises(WalletExists, match="already exists"):
            ks.create(name, other, "x")
    with pytest.raises(WalletExists):
        ks.create_watch_only("Main", ADDR_1)
    assert _snapshot(ks) == before


@pytest.mark.parametrize(
    "name",
    [
        "",
        "  ",
        "../evil",
        "a/b",
        "a\\b",
        ".hidden",
        "trailing.",
        "CON",
        "nul.txt",
        "x" * 49,
        "tab\there",
        "a:b",
    ],
)
def test_bad_wallet_names_are_refused(ks: Keystore, name: str) -> None:
    with pytest.raises(InvalidName):
        ks.create(name, ABANDON, PW)
    assert list(ks.root.glob("*.wallet")) == []


def test_unicode_names_and_trimming(ks: Keystore) -> None:
    info = ks.create("  Épargne (2)  ", ABANDON, PW)
    assert info.name == "Épargne (2)" and ks.info("Épargne (2)").name == "Épargne (2)"


def test_bad_input_creates_nothing(ks: Keystore) -> None:
    with pytest.raises(MnemonicError, match="checksum"):
        ks.create("M", "abandon " * 12, PW)
    with pytest.raises(InvalidPassword, match="empty"):
        ks.create("M", ABANDON, "")
    with pytest.raises(AccountError, match="already"):
        ks.create("M", ABANDON, PW, accounts=(("A", 0, 0), ("B", 0, 0)))
    with pytest.raises(AccountError, match="already has an account named"):
        ks.create("M", ABANDON, PW, accounts=(("A", 0, 0), ("A", 0, 1)))
    with pytest.raises(AccountError, match="at least one"):
        ks.create("M", ABANDON, PW, accounts=())
    with pytest.raises(AccountError, match="index"):
        ks.create("M", ABANDON, PW, accounts=(("A", 0, -1),))
    assert not ks.exists("M")


def test_missing_wallet(ks: Keystore) -> None:
    for call in (lambda: ks.info("Nope"), lambda: ks.unlock("Nope", PW), lambda: ks.delete("Nope")):
        with pytest.raises(WalletNotFound, match="no wallet named 'Nope'"):
            call()


# ---- unlocking and signing ---------------------------------------------------------------------------


def test_unlock_gives_signers_by_name_or_position(ks: Keystore) -> None:
    ks.create("Main", ABANDON, PW, accounts=(("Spending", 0, 0), ("Savings", 0, 1)))
    wallet = ks.unlock("Main", PW)
    assert wallet.signer().address == ADDR_0 and wallet.signer(1).address == ADDR_1
    assert wallet.signer("Savings") is wallet.signer(1)
    sig = wallet.signer("Savings").sign(b"hello")
    assert verify_signature(wallet.signer(1).public_key, b"hello", sig)
    with pytest.raises(AccountError, match="no account named 'Cold'"):
        wallet.signer("Cold")
    with pytest.raises(AccountError, match="no position 2"):
        wallet.signer(2)


def test_lock_drops_the_keys_even_of_signers_handed_out(ks: Keystore, main: WalletInfo) -> None:
    with ks.unlock("Main", PW) as wallet:
        signer = wallet.signer(0)
        signer.sign(b"x")
    assert wallet.locked and signer.locked
    with pytest.raises(SignerLocked):
        signer.sign(b"x")
    with pytest.raises(WalletLocked):
        wallet.signer(0)
    with pytest.raises(WalletLocked):
        wallet.load_secret("k")


def test_wrong_password_changes_nothing_anywhere(ks: Keystore, main: WalletInfo) -> None:
    before = _snapshot(ks)
    calls = [
        lambda: ks.unlock("Main", "wrong"),
        lambda: ks.reveal_mnemonic("Main", "wrong"),
        lambda: ks.add_account("Main", "wrong", "B", 0, 1),
        lambda: ks.change_password("Main", "wrong", "new"),
        lambda: ks.store_secret("Main", "wrong", "k", b"v"),
        lambda: ks.load_secret("Main", "wrong", "k"),
        lambda: ks.delete_secret("Main", "wrong", "k"),
    ]
    for call in calls:
        with pytest.raises(WrongPassword, match="wrong password for wallet 'Main'"):
            call()
        assert _snapshot(ks) == before
    assert not ks.verify_password("Main", "wrong") and ks.verify_password("Main", PW)


def test_password_is_unicode_normalised(ks: Keystore) -> None:
    ks.create("U", ABANDON, "caf\u00e9")
    assert ks.verify_password("U", "cafe\u0301")  # the same word typed with a combining accent


# ---- accounts ----------------------------------------------------------------------------------------


def test_add_account_persists_and_rejects_duplicates(ks: Keystore, main: WalletInfo) -> None:
    request, expected = _vector("abandon-a2-i7")
    new = ks.add_account("Main", PW, "Trading", request["account"], request["index"])
    assert new == AccountInfo("Trading", 2, 7, expected["address"])
    assert ks.info("Main").accounts[-1] == new
    assert ks.unlock("Main", PW).signer("Trading").address == expected["address"]
    before = _snapshot(ks)
    with pytest.raises(AccountError, match="already in wallet 'Main' as 'Trading'"):
        ks.add_account("Main", PW, "Other", 2, 7)
    with pytest.raises(AccountError, match="already has an account named 'Trading'"):
        ks.add_account("Main", PW, "Trading", 3, 0)
    with pytest.raises(AccountError, match="account must be"):
        ks.add_account("Main", PW, "Big", 2**31, 0)
    assert _snapshot(ks) == before


def test_rename_account_needs_no_password_and_keeps_the_sealed_part(ks: Keystore, main: WalletInfo) -> None:
    before = _snapshot(ks)
    renamed = ks.rename_account("Main", "Account 1", "Daily")
    assert renamed == AccountInfo("Daily", 0, 0, ADDR_0)
    after = _snapshot(ks)
    # the authenticated header and the ciphertext are unchanged: only the labels section differs
    assert after[:200] == before[:200] and after[-60:-32] == before[-60:-32]
    assert ks.unlock("Main", PW).signer("Daily").address == ADDR_0
    ks.add_account("Main", PW, "Second", 0, 1)
    with pytest.raises(AccountError, match="already has an account named 'Daily'"):
        ks.rename_account("Main", "Second", "Daily")
    with pytest.raises(AccountError, match="no account named"):
        ks.rename_account("Main", "Ghost", "x")
    with pytest.raises(AccountError, match="empty"):
        ks.rename_account("Main", "Daily", "   ")


def test_remove_account(ks: Keystore, main: WalletInfo) -> None:
    ks.add_account("Main", PW, "Second", 0, 1)
    before = _snapshot(ks)
    with pytest.raises(WrongPassword):
        ks.remove_account("Main", "wrong", "Second")
    assert _snapshot(ks) == before
    ks.remove_account("Main", PW, "Account 1")
    assert ks.info("Main").accounts == (AccountInfo("Second", 0, 1, ADDR_1),)
    with pytest.raises(AccountError, match="last account"):
        ks.remove_account("Main", PW, "Second")
    assert ks.unlock("Main", PW).signer(0).address == ADDR_1


# ---- password, mnemonic, secrets ---------------------------------------------------------------------


def test_change_password(ks: Keystore, main: WalletInfo) -> None:
    ks.store_secret("Main", PW, "provider-cert", b"KEY")
    before = _snapshot(ks)
    ks.change_password("Main", PW, "new password")
    after = _snapshot(ks)
    assert before != after
    header_before = json.loads(before[14 : 14 + int.from_bytes(before[10:14], "big")])
    header_after = json.loads(after[14 : 14 + int.from_bytes(after[10:14], "big")])
    assert header_before["kdf"]["salt"] != header_after["kdf"]["salt"]
    assert header_before["cipher"]["nonce"] != header_after["cipher"]["nonce"]
    with pytest.raises(WrongPassword):
        ks.unlock("Main", PW)
    assert ks.unlock("Main", "new password").signer().address == ADDR_0
    assert ks.load_secret("Main", "new password", "provider-cert") == b"KEY"
    with pytest.raises(InvalidPassword):
        ks.change_password("Main", "new password", "")


def test_change_password_adopts_stronger_kdf_parameters(ks: Keystore, main: WalletInfo) -> None:
    stronger = Argon2idParams(memory_kib=2048, iterations=2, lanes=1)
    Keystore(kdf=stronger).change_password("Main", PW, PW)
    assert ks.kdf_params("Main") == stronger
    assert ks.unlock("Main", PW).signer().address == ADDR_0


def test_reveal_mnemonic_only_with_the_password(ks: Keystore) -> None:
    ks.create("M", "  " + ABANDON.upper() + "\n", PW)
    assert ks.reveal_mnemonic("M", PW) == ABANDON


def test_secrets(ks: Keystore, main: WalletInfo) -> None:
    assert ks.load_secret("Main", PW, "mtls/akash1abc") is None
    ks.store_secret("Main", PW, "mtls/akash1abc", b"\x00\x01PRIVATE")
    ks.store_secret("Main", PW, "other", bytearray(b"2"))
    assert ks.load_secret("Main", PW, "mtls/akash1abc") == b"\x00\x01PRIVATE"
    assert ks.secret_names("Main", PW) == ["mtls/akash1abc", "other"]
    assert ks.unlock("Main", PW).load_secret("other") == b"2"
    assert ks.delete_secret("Main", PW, "other") and not ks.delete_secret("Main", PW, "other")
    assert b"PRIVATE" not in _snapshot(ks)
    for bad in ("", "x" * 129, "new\nline"):
        with pytest.raises(KeystoreError, match="key"):
            ks.store_secret("Main", PW, bad, b"v")
    with pytest.raises(TypeError):
        ks.store_secret("Main", PW, "k", "text")  # type: ignore[arg-type]


# ---- watch-only --------------------------------------------------------------------------------------


def test_watch_only_wallet(ks: Keystore) -> None:
    info = ks.create_watch_only("Cold", ADDR_0)
    assert info == WalletInfo("Cold", True, (AccountInfo("Account 1", None, None, ADDR_0),))
    assert info.accounts[0].watch_only and info.accounts[0].hd_path is None
    assert ks.kdf_params("Cold") is None
    for call in (
        lambda: ks.unlock("Cold", ""),
        lambda: ks.reveal_mnemonic("Cold", ""),
        lambda: ks.add_account("Cold", "", "x", 0, 1),
        lambda: ks.store_secret("Cold", "", "k", b"v"),
    ):
        with pytest.raises(WatchOnlyWallet, match="watch-only"):
            call()
    second = ks.add_watch_address("Cold", "Exchange", ADDR_1)
    ks.rename_account("Cold", "Account 1", "Ledger")
    assert [a.name for a in ks.info("Cold").accounts] == ["Ledger", "Exchange"]
    with pytest.raises(AccountError, match="already watches"):
        ks.add_watch_address("Cold", "Again", ADDR_1)
    ks.remove_account("Cold", "", "Ledger")
    assert ks.info("Cold").accounts == (second,)


def test_watch_only_address_is_validated(ks: Keystore) -> None:
    with pytest.raises(AddressError):
        ks.create_watch_only("Cold", ADDR_0[:-1] + "q")
    with pytest.raises(AddressError, match="validator operator"):
        ks.create_watch_only("Cold", "akashvaloper19rl4cm2hmr8afy4kldpxz3fka4jguq0amewuk9")
    assert not ks.exists("Cold")
    ks.create("Hot", ABANDON, PW)
    with pytest.raises(AccountError, match="holds keys"):
        ks.add_watch_address("Hot", "x", ADDR_1)


# ---- deletion, damaged files, concurrency, async -----------------------------------------------------


def test_delete(ks: Keystore, main: WalletInfo) -> None:
    ks.delete("Main")
    assert ks.list_wallets() == [] and not ks.exists("Main")
    with pytest.raises(WalletNotFound):
        ks.info("Main")


def test_damaged_files_are_listed_apart_and_can_be_deleted(ks: Keystore, main: WalletInfo) -> None:
    (ks.root / "Broken.wallet").write_bytes(b"\x00" * 100)
    assert [w.name for w in ks.list_wallets()] == ["Main"]
    [problem] = ks.damaged_files()
    assert isinstance(problem, KeystoreCorrupt) and problem.path.name == "Broken.wallet"
    ks.delete("Broken")
    assert ks.damaged_files() == []


def test_a_file_renamed_by_hand_is_reported(ks: Keystore, main: WalletInfo) -> None:
    (ks.root / "Main.wallet").rename(ks.root / "Copy.wallet")
    with pytest.raises(KeystoreCorrupt, match="Copy.wallet.*holds wallet 'Main'"):
        ks.info("Copy")


def test_concurrent_mutations_do_not_lose_updates(ks: Keystore, main: WalletInfo) -> None:
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            Keystore(kdf=FAST).add_account("Main", PW, f"T{i}", 1, i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(a.name for a in ks.info("Main").accounts) == ["Account 1"] + [f"T{i}" for i in range(6)]


async def test_async_wrappers_run_off_the_event_loop(ks: Keystore) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    slow = Keystore(kdf=Argon2idParams(memory_kib=32768, iterations=2, lanes=1))
    await slow.create_async("A", ABANDON, PW)
    wallet = await slow.unlock_async("A", PW)
    task.cancel()
    assert wallet.signer().address == ADDR_0
    assert ticks > 10  # the loop kept running while the KDF worked in a thread
    assert Keystore.unlock_async.__name__ == "unlock_async"
    with pytest.raises(WrongPassword):
        await slow.unlock_async("A", "nope")


def test_wallet_names_are_case_insensitive(ks: Keystore, main: WalletInfo) -> None:
    assert ks.info("MAIN").name == "Main" and ks.exists("main")
    (ks.root / "Main.wallet").rename(ks.root / "main.wallet")  # what a case-insensitive file system may show
    assert ks.info("Main").name == "Main" and [w.name for w in ks.list_wallets()] == ["Main"]
    ks.add_account("Main", PW, "Second", 0, 1)
    assert ks.unlock("main", PW).signer("Second").address == ADDR_1
    ks.delete("MAIN")
    assert not ks.exists("Main")
