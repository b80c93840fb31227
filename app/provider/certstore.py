"""Client certificates kept encrypted in the keystore, joined with the chain's list: which one is usable.

A certificate's private key lives only inside the wallet's encrypted payload, as the secret
`mtls/<address>/<serial>` (JSON with the cert, pubkey and key PEMs). `overview()` joins those with
the owner's certificates on chain and says, for each, whether it can be used for mTLS now and if
not why (expired, revoked, not published, key not on this computer, damaged).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from app.chain import cert as chain_cert
from app.chain.errors import MalformedResponse
from app.provider.certs import (
    CertificateInvalid,
    ClientCertificate,
    ClientKeyPair,
    certificate_from_chain,
    key_matches,
    parse_and_validate,
)

if TYPE_CHECKING:
    from app.chain.client import ChainClient
    from app.wallet.keystore import Keystore

log = logging.getLogger(__name__)
SECRET_PREFIX = "mtls/"


class SecretSource(Protocol):
    """What holds the secrets: an UnlockedWallet (secret_names(), load_secret(key))."""

    def secret_names(self) -> list[str]: ...

    def load_secret(self, key: str) -> bytes | None: ...


def secret_key(owner: str, serial: int | str) -> str:
    return f"{SECRET_PREFIX}{owner}/{int(serial)}"


def _encode(pair: ClientKeyPair) -> bytes:
    c = pair.certificate
    return json.dumps({"v": 1, "cert": c.cert_pem, "pubkey": c.pubkey_pem, "key": pair.key_pem}).encode("utf-8")


def _decode(owner: str, blob: bytes) -> ClientKeyPair:
    try:
        data = json.loads(blob)
        cert_pem, pubkey_pem, key_pem = data["cert"], data["pubkey"], data["key"]
    except (ValueError, KeyError, TypeError):
        raise CertificateInvalid("the stored client certificate is damaged (not the expected JSON)") from None
    pair = ClientKeyPair(certificate_from_chain(owner, cert_pem, pubkey_pem), key_pem)
    if not key_matches(pair):
        raise CertificateInvalid("the stored private key does not belong to the stored certificate")
    return pair


def store_client_certificate(keystore: Keystore, wallet: str, password: str, pair: ClientKeyPair) -> str:
    """Encrypt the key pair into the wallet file; returns the secret's name. Blocking (KDF): see *_async."""
    parse_and_validate(pair.certificate.owner, pair.certificate.cert_pem, pair.certificate.pubkey_pem)
    if not key_matches(pair):
        raise CertificateInvalid("the private key does not belong to the certificate")
    name = secret_key(pair.certificate.owner, pair.certificate.serial)
    keystore.store_secret(wallet, password, name, _encode(pair))
    log.info("stored mTLS client certificate %s in wallet %r", name, wallet)
    return name


async def store_client_certificate_async(keystore: Keystore, wallet: str, password: str, pair: ClientKeyPair) -> str:
    return await asyncio.to_thread(store_client_certificate, keystore, wallet, password, pair)


def delete_client_certificate(keystore: Keystore, wallet: str, password: str, owner: str, serial: int | str) -> bool:
    """Forget a local key (e.g. after revoking it on chain); False if there was none."""
    return keystore.delete_secret(wallet, password, secret_key(owner, serial))


def local_certificates(source: SecretSource, owner: str) -> tuple[list[ClientKeyPair], list[str]]:
    """The owner's stored key pairs, and the names of stored entries that are damaged."""
    pairs, damaged = [], []
    prefix = f"{SECRET_PREFIX}{owner}/"
    for name in source.secret_names():
        if not name.startswith(prefix):
            continue
        blob = source.load_secret(name)
        try:
            pairs.append(_decode(owner, blob or b""))
        except CertificateInvalid as exc:
            log.warning("client certificate %s: %s", name, exc)
            damaged.append(name)
    return pairs, damaged


def load_client_certificate(source: SecretSource, owner: str, serial: int | str) -> ClientKeyPair | None:
    blob = source.load_secret(secret_key(owner, serial))
    return None if blob is None else _decode(owner, blob)


# ---- joined view ------------------------------------------------------------------------------------


class CertStatus(StrEnum):
    USABLE = "usable"
    NOT_PUBLISHED = "not published"  # only local: publish it with MsgCreateCertificate
    KEY_MISSING = "key not on this computer"  # on chain, valid, but we do not hold the key
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not valid yet"
    INVALID_ON_CHAIN = "refused by the chain's rules"


_ADVICE = {
    CertStatus.USABLE: "Ready for mTLS.",
    CertStatus.NOT_PUBLISHED: "Publish it (a MsgCreateCertificate transaction) before a provider will accept it.",
    CertStatus.KEY_MISSING: "Made on another computer or wallet; create a new one here, or revoke it if it is lost.",
    CertStatus.REVOKED: "Revoked on chain; providers refuse it. Delete the local copy and create a new one.",
    CertStatus.EXPIRED: "Expired; revoke it and create a new one.",
    CertStatus.NOT_YET_VALID: "Its validity starts in the future; check the computer's clock.",
    CertStatus.INVALID_ON_CHAIN: "The chain entry cannot be parsed; ignore it or revoke it.",
}


@dataclass(frozen=True)
class CertificateEntry:
    owner: str
    serial: int
    status: CertStatus
    on_chain_state: str | None  # "valid" / "revoked" / None when not on chain
    local: ClientKeyPair | None
    not_before: datetime | None
    not_after: datetime | None

    @property
    def advice(self) -> str:
        return _ADVICE[self.status]


def _status(on_chain: str | None, local: ClientKeyPair | None, cert: ClientCertificate | None, now: datetime) -> CertStatus:
    if on_chain == chain_cert.CertState.REVOKED.value:
        return CertStatus.REVOKED
    if cert is None:
        return CertStatus.INVALID_ON_CHAIN
    if now > cert.not_after:
        return CertStatus.EXPIRED
    if now < cert.not_before:
        return CertStatus.NOT_YET_VALID
    if on_chain is None:
        return CertStatus.NOT_PUBLISHED
    if local is None:
        return CertStatus.KEY_MISSING
    return CertStatus.USABLE


async def overview(
    chain: ChainClient, source: SecretSource | None, owner: str, *, now: datetime | None = None
) -> list[CertificateEntry]:
    """Every certificate of `owner` known locally or on chain, newest serial first, with its status."""
    moment = now or datetime.now(UTC)
    listing = await chain_cert.certificates(chain, owner)
    locals_, _damaged = local_certificates(source, owner) if source is not None else ([], [])
    by_serial = {p.certificate.serial: p for p in locals_}
    entries: dict[int, CertificateEntry] = {}
    for item in listing.items:
        if not item.serial.isdigit():
            continue
        serial = int(item.serial)
        try:
            cert: ClientCertificate | None = certificate_from_chain(owner, item.cert_pem, item.pubkey_pem)
        except (CertificateInvalid, MalformedResponse) as exc:  # a damaged entry must not hide the others
            log.warning("on-chain certificate %s/%s unusable: %s", owner, serial, exc)
            cert = None
        local = by_serial.get(serial)
        if local is not None and cert is not None and local.certificate.cert_pem.strip() != cert.cert_pem.strip():
            local = None  # same serial, different certificate: ours is not the one on chain
        entries[serial] = CertificateEntry(
            owner,
            serial,
            _status(item.state.value, local, cert, moment),
            item.state.value,
            local,
            cert.not_before if cert else None,
            cert.not_after if cert else None,
        )
    for serial, pair in by_serial.items():
        if serial not in entries:
            c = pair.certificate
            entries[serial] = CertificateEntry(
                owner, serial, _status(None, pair, c, moment), None, pair, c.not_before, c.not_after
            )
    return sorted(entries.values(), key=lambda e: e.serial, reverse=True)


def pick_usable(entries: list[CertificateEntry]) -> CertificateEntry | None:
    """The usable certificate that stays valid the longest (None when there is none)."""
    usable = [e for e in entries if e.status is CertStatus.USABLE and e.local is not None]
    return max(usable, key=lambda e: (e.not_after or datetime.min.replace(tzinfo=UTC), e.serial), default=None)
