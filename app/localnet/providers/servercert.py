"""The provider's self-signed server certificate (CN = its address), kept in the data dir, published on chain."""

from __future__ import annotations

import datetime
import ipaddress
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from app.fsutil import atomic_write_bytes

AKASH_VERSION_OID = ObjectIdentifier("2.23.133.2.6")  # the extra subject RDN the Go key pair manager writes


@dataclass(frozen=True)
class ServerCert:
    cert_pem: bytes
    key_pem: bytes
    pubkey_pem: bytes  # "EC PUBLIC KEY" PEM, what MsgCreateCertificate carries
    serial: int


def _pubkey_pem(key: ec.EllipticCurvePublicKey) -> bytes:
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.replace(b"PUBLIC KEY", b"EC PUBLIC KEY")


def create(address: str, hostname: str) -> ServerCert:
    """A P-256 certificate like `provider-services tx cert generate server`: CN and issuer = the address."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, address),
                      x509.NameAttribute(AKASH_VERSION_OID, "v0.0.1")])
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    serial = time.time_ns()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(serial).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                         data_encipherment=True, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname), x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return ServerCert(cert.public_bytes(serialization.Encoding.PEM),
                      key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()),
                      _pubkey_pem(key.public_key()), serial)


def load_or_create(directory: Path, address: str, hostname: str) -> ServerCert:
    """The certificate kept in `directory` (server.pem + server-key.pem, 0600), made at first start."""
    cert_path, key_path = directory / "server.pem", directory / "server-key.pem"
    if cert_path.exists() and key_path.exists():
        try:
            cert_pem, key_pem = cert_path.read_bytes(), key_path.read_bytes()
            cert = x509.load_pem_x509_certificate(cert_pem)
            key = serialization.load_pem_private_key(key_pem, None)
            cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            valid = cert.not_valid_after_utc > datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
            if cn and cn[0].value == address and valid and isinstance(key, ec.EllipticCurvePrivateKey):
                return ServerCert(cert_pem, key_pem, _pubkey_pem(key.public_key()), cert.serial_number)
        except (ValueError, TypeError):
            pass  # damaged or foreign files: make a new certificate below
    made = create(address, hostname)
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(key_path, made.key_pem)
    atomic_write_bytes(cert_path, made.cert_pem)
    return made
