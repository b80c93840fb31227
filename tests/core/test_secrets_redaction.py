"""No mnemonic, private key, seed, passphrase, password or secret blob in logs, errors or repr()."""

from __future__ import annotations

import base64
import logging
import os
import pickle
import traceback

import pytest

from app.wallet.crypto_box import new_sealer
from app.wallet.hd import derive_private_key, seed_from_mnemonic
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic, validate_mnemonic
from app.wallet.signer import Signer

FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))


@pytest.fixture
def captured() -> _Capture:
    handler = _Capture()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _forbidden(
    mnemonic: str, passphrase: str, passwords: list[str], keys: list[bytes], blobs: list[bytes]
) -> list[str]:
    words = mnemonic.split()
    out = [mnemonic, passphrase, *passwords]
    out += [" ".join(words[i : i + 3]) for i in range(len(words) - 2)]  # any run of three words of the phrase
    seed = seed_from_mnemonic(mnemonic, passphrase)
    for secret in [*keys, seed, *blobs]:
        out += [secret.hex(), secret.hex().upper(), base64.b64encode(secret).decode(), repr(secret)]
    return out


def test_full_flow_leaks_nothing(captured: _Capture) -> None:
    mnemonic = generate_mnemonic(24)
    passphrase = "tangerine-" + os.urandom(6).hex()
    password, new_password, wrong = (
        "Zebra-" + os.urandom(6).hex(),
        "Quokka-" + os.urandom(6).hex(),
        "Wrong-x1",
    )
    blob = os.urandom(48)
    ks = Keystore(kdf=FAST)
    texts: list[str] = []
    objects: list[object] = [ks]
    errors: list[BaseException] = []

    def expect_error(call) -> None:
        try:
            call()
        except Exception as exc:  # every error path: collect str, repr and the formatted traceback
            errors.append(exc)
        else:  # pragma: no cover
            pytest.fail("an error path did not raise")

    # the happy path
    info = ks.create(
        "Main", mnemonic, password, passphrase=passphrase, accounts=(("Spend", 0, 0), ("Save", 0, 1))
    )
    objects += [info, *info.accounts]
    wallet = ks.unlock("Main", password)
    signers = [wallet.signer("Spend"), wallet.signer(1)]
    objects += [wallet, *signers, wallet.account(0)]
    for s in signers:
        s.sign(b"a transaction")
    objects.append(ks.add_account("Main", password, "Third", 2, 3))
    ks.store_secret("Main", password, "mtls:provider", blob)
    assert ks.load_secret("Main", password, "mtls:provider") == blob
    ks.rename_account("Main", "Third", "Trading")
    ks.change_password("Main", password, new_password)
    assert ks.reveal_mnemonic("Main", new_password) == mnemonic
    opened = ks._open("Main", new_password, "test")  # internal holder of the decrypted payload
    fresh_sealer = new_sealer(new_password, FAST)
    objects += [opened, opened.sealer, fresh_sealer]
    ks.create_watch_only("Cold", signers[0].address)

    # every error path
    swapped = mnemonic.split()
    swapped[0], swapped[1] = swapped[1], swapped[0]
    typo = mnemonic.split()
    typo[5] = typo[5] + "q"
    expect_error(lambda: ks.unlock("Main", password))  # the old password
    expect_error(lambda: ks.unlock("Main", wrong))
    expect_error(lambda: ks.reveal_mnemonic("Main", wrong))
    expect_error(lambda: ks.add_account("Main", wrong, "X", 5, 5))
    expect_error(lambda: ks.add_account("Main", new_password, "Spend", 5, 5))
    expect_error(lambda: ks.add_account("Main", new_password, "Y", 0, 0))
    expect_error(lambda: ks.change_password("Main", wrong, "x"))
    expect_error(lambda: ks.change_password("Main", new_password, ""))
    expect_error(lambda: ks.store_secret("Main", wrong, "k", blob))
    expect_error(lambda: ks.create("Main", mnemonic, password))
    expect_error(lambda: ks.create("Other", " ".join(swapped), password))
    expect_error(lambda: ks.create("Other", " ".join(typo), password))
    expect_error(lambda: ks.create("Other", mnemonic + " " + mnemonic, password))
    expect_error(lambda: ks.create("../x", mnemonic, password))
    expect_error(lambda: ks.unlock("Nope", password))
    expect_error(lambda: ks.unlock("Cold", password))
    expect_error(lambda: Signer.from_mnemonic(" ".join(swapped), 0, 0, passphrase))
    expect_error(lambda: validate_mnemonic(" ".join(typo)))
    wallet.lock()
    expect_error(lambda: signers[0].sign(b"x"))
    expect_error(lambda: wallet.signer(0))
    expect_error(lambda: pickle.dumps(wallet))
    expect_error(lambda: pickle.dumps(signers[1]))
    path = ks.path_for("Main")
    good = path.read_bytes()
    path.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    expect_error(lambda: ks.unlock("Main", new_password))
    path.write_bytes(good)

    for exc in errors:
        texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    texts += [repr(o) for o in objects] + [str(o) for o in objects]
    texts += captured.texts
    assert any("wrong password" in t for t in texts) and any("created wallet" in t for t in captured.texts)

    keys = [derive_private_key(mnemonic, a, i, passphrase) for a, i in ((0, 0), (0, 1), (2, 3))]
    keys += [opened.sealer.key, fresh_sealer.key]  # the file encryption keys
    forbidden = _forbidden(mnemonic, passphrase, [password, new_password, wrong], keys, [blob])
    everything = "\n".join(texts)
    leaks = [secret for secret in forbidden if secret in everything]
    assert not leaks, f"{len(leaks)} secret(s) leaked"
