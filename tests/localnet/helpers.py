"""Helpers for local node tests and tools: signing txs with app.tx and making mTLS client certificates."""

from __future__ import annotations

import datetime
import time
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.tx.builder import Fee, sign_tx
from app.wallet.signer import Signer

DEMO_MNEMONIC = (
    "speak elegant rural family bacon code lava coral equal abuse around volcano company famous clog "
    "cigar stay priority coconut team income swamp increase razor"
)


def signed(client: Any, signer: Signer, msgs: list[Any], *, fee: int = 5000, gas: int = 200_000,
           sequence: int | None = None, chain_id: str | None = None, account_number: int | None = None,
           memo: str = "") -> bytes:
    """Tx bytes signed with the account's current number and sequence unless overridden."""
    if account_number is None or sequence is None:
        acc = client.account(signer.address)
        account_number = int(acc["account_number"]) if account_number is None else account_number
        sequence = int(acc["sequence"]) if sequence is None else sequence
    return sign_tx(signer, msgs, chain_id=chain_id or client.chain_id, account_number=account_number,
                   sequence=sequence,
                   fee=Fee(amount=(("uakt", fee),), gas=gas), memo=memo).tx_bytes


def client_certificate(address: str, cn: str | None = None) -> tuple[bytes, bytes]:
    """(cert PEM, "EC PUBLIC KEY" PEM) as the official libraries make them: P-256, self-signed, CN=address."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn or address)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(time.time_ns() // 1000).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.KeyUsage(False, False, True, True, False, False, False, False, False), True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).replace(b"\n", b"\r\n")
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pub_pem = pub.replace(b"PUBLIC KEY", b"EC PUBLIC KEY").replace(b"\n", b"\r\n")
    return cert_pem, pub_pem
