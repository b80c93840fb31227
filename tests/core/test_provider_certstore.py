"""Client certificates kept encrypted in the keystore and joined with the chain's list: which one is usable."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.chain.client import ChainClient
from app.provider.certs import CertificateInvalid, ClientKeyPair, create_client_certificate
from app.provider.certstore import (
    CertStatus,
    load_client_certificate,
    local_certificates,
    overview,
    pick_usable,
    secret_key,
    store_client_certificate,
    store_client_certificate_async,
)
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from tests.core.provider_loopback import ChainStub

MNEMONIC = "abandon " * 11 + "about"
OWNER = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
PW = "correct horse battery staple"
FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)


class Secrets:
    """An UnlockedWallet-like source of secrets for the overview tests."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs = blobs

    def secret_names(self) -> list[str]:
        return sorted(self.blobs)

    def load_secret(self, key: str) -> bytes | None:
        return self.blobs.get(key)


async def test_keystore_round_trip_encrypted(tmp_path):
    ks = Keystore(tmp_path, kdf=FAST)
    ks.create("Main", MNEMONIC.strip(), PW)
    pair = create_client_certificate(OWNER)
    name = await store_client_certificate_async(ks, "Main", PW, pair)
    assert name == secret_key(OWNER, pair.certificate.serial) == f"mtls/{OWNER}/{pair.certificate.serial}"
    raw = ks.path_for("Main").read_bytes()
    assert b"PRIVATE KEY" not in raw and pair.key_pem.split("\r\n")[1].encode() not in raw  # encrypted at rest
    with ks.unlock("Main", PW) as wallet:
        loaded = load_client_certificate(wallet, OWNER, pair.certificate.serial)
        assert loaded is not None and loaded.key_pem == pair.key_pem
        pairs, damaged = local_certificates(wallet, OWNER)
        assert [p.certificate.serial for p in pairs] == [pair.certificate.serial] and damaged == []
    other = create_client_certificate(OWNER)
    with pytest.raises(CertificateInvalid, match="does not belong"):
        store_client_certificate(ks, "Main", PW, ClientKeyPair(pair.certificate, other.key_pem))


def test_damaged_secrets_are_reported_not_fatal():
    good = create_client_certificate(OWNER)
    blob = json.dumps({"cert": good.certificate.cert_pem, "pubkey": good.certificate.pubkey_pem, "key": good.key_pem})
    src = Secrets(
        {
            secret_key(OWNER, good.certificate.serial): blob.encode(),
            f"mtls/{OWNER}/1": b"not json",
            f"mtls/{OWNER}/2": json.dumps({"cert": good.certificate.cert_pem}).encode(),
            "other/secret": b"x",
        }
    )
    pairs, damaged = local_certificates(src, OWNER)
    assert len(pairs) == 1 and sorted(damaged) == [f"mtls/{OWNER}/1", f"mtls/{OWNER}/2"]


def _blob(pair: ClientKeyPair) -> bytes:
    c = pair.certificate
    return json.dumps({"cert": c.cert_pem, "pubkey": c.pubkey_pem, "key": pair.key_pem}).encode()


async def test_overview_statuses_and_pick():
    now = datetime.now(UTC)
    usable_old = create_client_certificate(OWNER, now=now - timedelta(days=100))
    usable_new = create_client_certificate(OWNER, now=now - timedelta(days=1))
    revoked = create_client_certificate(OWNER, now=now - timedelta(days=2))
    expired = create_client_certificate(OWNER, now=now - timedelta(days=800))
    unpublished = create_client_certificate(OWNER, now=now - timedelta(days=3))
    elsewhere = create_client_certificate(OWNER, now=now - timedelta(days=4))  # on chain, key not here
    stub = ChainStub()
    stub.publish(OWNER, usable_old)
    stub.publish(OWNER, usable_new)
    stub.publish(OWNER, revoked, state="revoked")
    stub.publish(OWNER, expired)
    stub.publish(OWNER, elsewhere)
    await stub.start()
    src = Secrets({secret_key(OWNER, p.certificate.serial): _blob(p) for p in (usable_old, usable_new, revoked, expired, unpublished)})
    try:
        async with ChainClient([stub.url]) as chain:
            entries = await overview(chain, src, OWNER, now=now)
    finally:
        await stub.stop()
    by_serial = {e.serial: e.status for e in entries}
    assert by_serial == {
        usable_old.certificate.serial: CertStatus.USABLE,
        usable_new.certificate.serial: CertStatus.USABLE,
        revoked.certificate.serial: CertStatus.REVOKED,
        expired.certificate.serial: CertStatus.EXPIRED,
        unpublished.certificate.serial: CertStatus.NOT_PUBLISHED,
        elsewhere.certificate.serial: CertStatus.KEY_MISSING,
    }
    assert [e.serial for e in entries] == sorted(by_serial, reverse=True)
    best = pick_usable(entries)
    assert best is not None and best.serial == usable_new.certificate.serial and best.local is not None
    assert "Publish" in next(e for e in entries if e.status is CertStatus.NOT_PUBLISHED).advice
    assert pick_usable([replace(e, status=CertStatus.REVOKED) for e in entries]) is None
