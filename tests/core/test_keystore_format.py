"""Wallet file format: tampering, truncation, foreign files and future versions give KeystoreCorrupt."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.wallet.crypto_box import FORMAT_VERSION, MAGIC
from app.wallet.errors import KeystoreCorrupt, KeystoreError, UnsupportedFormat, WrongPassword
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore

ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)
PW = "pw"


@pytest.fixture
def ks() -> Keystore:
    ks = Keystore(kdf=FAST)
    ks.create("Main", ABANDON, PW, accounts=(("A", 0, 0), ("B", 0, 1)))
    ks.store_secret("Main", PW, "cert", b"secret-blob")
    return ks


def _split(data: bytes) -> tuple[bytes, dict, bytes, bytes]:
    """(prefix, header, labels section incl. length, body) of a wallet file."""
    hlen = struct.unpack_from(">I", data, 10)[0]
    header = json.loads(data[14 : 14 + hlen])
    llen = struct.unpack_from(">I", data, 14 + hlen)[0]
    labels = data[14 + hlen : 18 + hlen + llen]
    return data[:10], header, labels, data[18 + hlen + llen : -32]


def _join(prefix: bytes, header: dict, labels: bytes, body: bytes) -> bytes:
    """A well-framed file with a recomputed checksum: what a deliberate tamperer would write."""
    head = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    data = prefix + struct.pack(">I", len(head)) + head + labels + body
    return data + hashlib.sha256(data).digest()


def _rewrite(path: Path, change: Callable[[dict], None]) -> None:
    prefix, header, labels, body = _split(path.read_bytes())
    change(header)
    path.write_bytes(_join(prefix, header, labels, body))


def _assert_corrupt(ks: Keystore, path: Path, match: str = "") -> KeystoreCorrupt:
    with pytest.raises(KeystoreCorrupt, match=match) as err:
        ks.unlock("Main", PW)
    assert str(path) in str(err.value)
    return err.value


def test_layout_is_magic_version_and_a_readable_header(ks: Keystore) -> None:
    data = ks.path_for("Main").read_bytes()
    assert data.startswith(MAGIC) and struct.unpack_from(">H", data, 8)[0] == FORMAT_VERSION
    _, header, labels, body = _split(data)
    assert header["wallet"] == "Main" and header["watch_only"] is False
    assert header["kdf"] == {**FAST.to_header(), "salt": header["kdf"]["salt"]}
    assert header["cipher"]["name"] == "aes-256-gcm" and len(header["cipher"]["nonce"]) == 16
    assert [a["index"] for a in header["accounts"]] == [0, 1]
    assert json.loads(labels[4:]) == {"accounts": ["A", "B"]}
    assert len(body) > 16 and b"secret-blob" not in data


def test_every_flipped_byte_is_detected(ks: Keystore) -> None:
    path = ks.path_for("Main")
    good = path.read_bytes()
    for i in range(len(good)):
        damaged = bytearray(good)
        damaged[i] ^= 0x01
        path.write_bytes(bytes(damaged))
        with pytest.raises(KeystoreCorrupt):
            ks.info("Main")
        _assert_corrupt(ks, path, "checksum|signature|newer|format version")
    path.write_bytes(good)
    assert ks.unlock("Main", PW).signer("B").address.startswith("akash1")


def test_every_truncation_is_detected(ks: Keystore) -> None:
    path = ks.path_for("Main")
    good = path.read_bytes()
    for n in range(len(good)):
        path.write_bytes(good[:n])
        _assert_corrupt(ks, path, "empty" if n == 0 else "truncated|damaged|do not fit")
    path.write_bytes(good + b"\n")
    _assert_corrupt(ks, path, "checksum")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (os.urandom(4096), "not an Akash Desk wallet file"),
        (json.dumps({"mnemonic": "x", "version": 1}).encode(), "not an Akash Desk wallet file"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(64), "not an Akash Desk wallet file"),
        (MAGIC, "truncated"),
        (MAGIC + b"\x00\x01" + b"\xff\xff\xff\xff" + bytes(40), "truncated|do not fit"),
    ],
)
def test_foreign_files(ks: Keystore, content: bytes, reason: str) -> None:
    path = ks.path_for("Main")
    path.write_bytes(content)
    _assert_corrupt(ks, path, reason)
    with pytest.raises(KeystoreCorrupt, match=reason):
        ks.info("Main")
    assert path.read_bytes() == content  # never overwritten


def test_future_format_version(ks: Keystore) -> None:
    path = ks.path_for("Main")
    data = bytearray(path.read_bytes())
    struct.pack_into(">H", data, 8, FORMAT_VERSION + 1)
    path.write_bytes(bytes(data[:-32]) + hashlib.sha256(data[:-32]).digest())
    err = _assert_corrupt(ks, path, "newer Akash Desk")
    assert isinstance(err, UnsupportedFormat)


def test_rewriting_helper_is_faithful(ks: Keystore) -> None:
    path = ks.path_for("Main")
    good = path.read_bytes()
    _rewrite(path, lambda h: None)
    assert path.read_bytes() == good


def test_deliberate_header_changes_fail_authentication(ks: Keystore) -> None:
    path = ks.path_for("Main")
    good = path.read_bytes()
    changes: list[Callable[[dict], None]] = [
        lambda h: h["accounts"].reverse(),  # swap which key is "A"
        lambda h: h["accounts"][1].update(index=5),
        lambda h: h["accounts"][0].update(address=h["accounts"][1]["address"]),
        lambda h: h["cipher"].update(nonce="AAAAAAAAAAAAAAAA"),
        lambda h: h.update(extra="field"),
    ]
    for change in changes:
        path.write_bytes(good)
        _rewrite(path, change)
        _assert_corrupt(ks, path, "changed after it was written")
        with pytest.raises(KeystoreCorrupt):
            ks.add_account("Main", PW, "C", 1, 0)


def test_changing_what_feeds_the_kdf_looks_like_a_wrong_password(ks: Keystore) -> None:
    # Without the right key nobody can tell a changed salt from a wrong password; either way nothing opens.
    path = ks.path_for("Main")
    good = path.read_bytes()
    for change in (
        lambda h: h["kdf"].update(salt="AAAAAAAAAAAAAAAAAAAAAA=="),
        lambda h: h["kdf"].update(iterations=2),
        lambda h: h.update(password_check="AAAAAAAAAAAAAAAAAAAAAA=="),
    ):
        path.write_bytes(good)
        _rewrite(path, change)
        with pytest.raises(WrongPassword):
            ks.unlock("Main", PW)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h: h["kdf"].update(memory_kib=1 << 40), "memory_kib"),
        (lambda h: h["kdf"].update(name="pbkdf2"), "unknown KDF"),
        (lambda h: h["cipher"].update(name="aes-128-cbc"), "cipher"),
        (lambda h: h.update(watch_only=True), "watch-only"),
        (lambda h: h.update(watch_only="no"), "watch-only flag"),
        (lambda h: h.update(accounts=[]), "no accounts"),
        (lambda h: h["accounts"][0].update(address="akash1xyz"), "address is invalid"),
        (lambda h: h["accounts"][0].update(index=-1), "out of range"),
        (lambda h: h.update(wallet="Other"), "holds wallet 'Other'"),
        (lambda h: h.pop("cipher"), "cipher"),
    ],
)
def test_malformed_headers_are_refused_before_the_kdf(ks: Keystore, change: Callable, reason: str) -> None:
    path = ks.path_for("Main")
    _rewrite(path, change)
    with pytest.raises(KeystoreCorrupt, match=reason):
        ks.info("Main")


def test_ciphertext_change_with_a_fixed_checksum(ks: Keystore) -> None:
    path = ks.path_for("Main")
    prefix, header, labels, body = _split(path.read_bytes())
    body = body[:-1] + bytes([body[-1] ^ 1])
    path.write_bytes(_join(prefix, header, labels, body))
    _assert_corrupt(ks, path, "authentication failed")


def test_labels_are_display_only(ks: Keystore) -> None:
    # Labels sit outside the AEAD (renaming needs no password); keys are chosen by the sealed entries.
    path = ks.path_for("Main")
    prefix, header, _, body = _split(path.read_bytes())
    lab = json.dumps({"accounts": ["B", "A"]}).encode()
    path.write_bytes(_join(prefix, header, struct.pack(">I", len(lab)) + lab, body))
    wallet = ks.unlock("Main", PW)
    assert wallet.signer("B").address == header["accounts"][0]["address"]
    lab = json.dumps({"accounts": ["only one"]}).encode()
    path.write_bytes(_join(prefix, header, struct.pack(">I", len(lab)) + lab, body))
    with pytest.raises(KeystoreCorrupt, match="names do not match"):
        ks.info("Main")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_damage_never_crashes(ks: Keystore, data: st.DataObject) -> None:
    path = ks.path_for("Main")
    good = path.read_bytes()
    damaged = bytearray(good)
    for _ in range(data.draw(st.integers(1, 5))):
        i = data.draw(st.integers(0, len(damaged) - 1))
        damaged[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(damaged)))
    path.write_bytes(bytes(damaged[:cut]))
    try:
        ks.unlock("Main", PW)
    except KeystoreError:
        pass
    finally:
        path.write_bytes(good)
