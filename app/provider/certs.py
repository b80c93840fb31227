"""mTLS client certificates as the official libraries make them, the chain's validation rules, cert messages.

Structure (chain-sdk / akashjs `certificateManager.generatePEM(address)`, both jsrsasign): a fresh
EC P-256 key; a self-signed X.509 v3 certificate signed with ecdsa-with-SHA256; subject = issuer =
CN=<akash address> (UTF8String, nothing else); serial = unix milliseconds x 1000; valid from now
(second precision) for one calendar year; extensions in this order: keyUsage (critical) =
keyEncipherment + dataEncipherment, extKeyUsage = clientAuth, basicConstraints (critical) CA:TRUE.
PEMs use CRLF line endings and a trailing CRLF; the public key is SPKI DER labelled
"EC PUBLIC KEY"; the private key is unencrypted PKCS#8 "PRIVATE KEY" (it only ever leaves memory
encrypted, inside the keystore: see app.provider.certstore).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.config import BECH32_PREFIX
from app.proto.gen.akash.cert.v1 import msg_pb2
from app.tx import msgs as tx_msgs
from app.wallet.address import AddressError, validate_address

PEM_CERTIFICATE = "CERTIFICATE"
PEM_EC_PUBLIC_KEY = "EC PUBLIC KEY"
PEM_PRIVATE_KEY = "PRIVATE KEY"
AUTH_VERSION_OID = x509.ObjectIdentifier("2.23.133.2.6")
_PEM_RE = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----[ \t\r]*(?:\n|$)", re.S)


class CertificateInvalid(ValueError):
    """A certificate or public key the chain would refuse (or that is not an Akash client certificate)."""


@dataclass(frozen=True)
class ClientCertificate:
    """The public half: what goes on chain (cert and pubkey PEM texts) and what we know about it."""

    owner: str
    serial: int
    cert_pem: str
    pubkey_pem: str
    not_before: datetime
    not_after: datetime

    @property
    def serial_str(self) -> str:
        return str(self.serial)

    @property
    def fingerprint_sha256(self) -> str:
        return hashlib.sha256(pem_to_der(self.cert_pem, PEM_CERTIFICATE)).hexdigest()

    def valid_at(self, when: datetime) -> bool:
        return self.not_before <= when <= self.not_after


@dataclass(frozen=True)
class ClientKeyPair:
    """A client certificate with its private key (PKCS#8 PEM). repr() never shows the key."""

    certificate: ClientCertificate
    key_pem: str

    def __repr__(self) -> str:
        c = self.certificate
        return f"ClientKeyPair(owner={c.owner!r}, serial={c.serial}, key=<redacted>)"

    __str__ = __repr__

    def __reduce__(self):  # never pickled with its key
        raise TypeError("a ClientKeyPair cannot be pickled")


def _crlf(pem: bytes) -> str:
    return pem.decode("ascii").replace("\r\n", "\n").replace("\n", "\r\n")


def _add_one_year(when: datetime) -> datetime:
    # JS Date.setFullYear(+1): 29 February rolls over to 1 March.
    try:
        return when.replace(year=when.year + 1)
    except ValueError:
        return when.replace(year=when.year + 1, month=3, day=1)


def create_client_certificate(
    owner: str, *, now: datetime | None = None, valid_from: datetime | None = None, valid_to: datetime | None = None
) -> ClientKeyPair:
    """A new key pair and self-signed client certificate for `owner`, structured like the official libraries'."""
    validate_address(owner, BECH32_PREFIX)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    not_before = (valid_from or moment).astimezone(UTC).replace(microsecond=0)
    not_after = (valid_to.astimezone(UTC) if valid_to else _add_one_year(not_before)).replace(microsecond=0)
    if not_after <= not_before:
        raise CertificateInvalid("the certificate must end after it starts")
    serial = int(moment.timestamp() * 1000) * 1000  # Date.now() * 1000
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, owner)])
    usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=True,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = _crlf(cert.public_bytes(serialization.Encoding.PEM))
    spki = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pubkey_pem = _crlf(spki).replace("PUBLIC KEY-----", f"{PEM_EC_PUBLIC_KEY}-----")
    key_pem = _crlf(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    info = ClientCertificate(owner, serial, cert_pem, pubkey_pem, not_before, not_after)
    return ClientKeyPair(info, key_pem)


def now_serial() -> int:
    """The serial the official libraries would give a certificate made now (for display / tests)."""
    return int(time.time() * 1000) * 1000


# ---- PEM and the chain's ParseAndValidateCertificate ------------------------------------------------


def pem_blocks(text: str) -> list[tuple[str, bytes, str]]:
    """[(label, DER, text after the block)] in order, like Go's pem.Decode (leading junk ignored)."""
    out = []
    pos = 0
    while True:
        m = _PEM_RE.search(text, pos)
        if m is None:
            return out
        body = m.group(2)
        if ":" in body:  # RFC 1421 headers (e.g. Proc-Type): only the data after the blank line counts
            body = body.split("\n\n", 1)[-1] if "\n\n" in body else body.split("\r\n\r\n", 1)[-1]
        try:
            der = base64.b64decode("".join(body.split()), validate=True)
        except (binascii.Error, ValueError):
            raise CertificateInvalid(f"the {m.group(1)} PEM block is not valid base64") from None
        out.append((m.group(1), der, text[m.end() :]))
        pos = m.end()


def pem_to_der(text: str, label: str) -> bytes:
    """The DER of the one PEM block of type `label`, with nothing after it (the chain's rule)."""
    if not isinstance(text, str):
        raise CertificateInvalid(f"expected PEM text for {label}")
    blocks = pem_blocks(text)
    if not blocks:
        raise CertificateInvalid(f"no PEM block found (expected {label})")
    found, der, rest = blocks[0]
    if rest:
        raise CertificateInvalid(f"unexpected data after the {found} PEM block")
    if found != label:
        raise CertificateInvalid(f"the PEM block is {found!r}, expected {label!r}")
    return der


@dataclass(frozen=True)
class ParsedCertificate:
    """A certificate that passed the chain's checks, with the facts a client needs."""

    cert: x509.Certificate
    owner: str
    serial: int
    not_before: datetime
    not_after: datetime
    fingerprint_sha256: str


def parse_and_validate(owner: str, cert_pem: str | bytes, pubkey_pem: str | bytes) -> ParsedCertificate:
    """The chain's ParseAndValidateCertificate (akash cert module): CertificateInvalid on any broken rule.

    Exactly one PEM block each with nothing after it; the public key is ECDSA in an "EC PUBLIC KEY"
    block; the certificate (block "CERTIFICATE") is signed by that key; its subject CN is a bech32
    address equal to `owner`.
    """
    cert_text = cert_pem.decode("utf-8", "replace") if isinstance(cert_pem, bytes) else cert_pem
    pub_text = pubkey_pem.decode("utf-8", "replace") if isinstance(pubkey_pem, bytes) else pubkey_pem
    pub_der = pem_to_der(pub_text, PEM_EC_PUBLIC_KEY)
    try:
        pub = serialization.load_der_public_key(pub_der)
    except ValueError:
        raise CertificateInvalid("the public key is not a valid SubjectPublicKeyInfo") from None
    if not isinstance(pub, ec.EllipticCurvePublicKey):
        raise CertificateInvalid("the public key is not an ECDSA key")
    der = pem_to_der(cert_text, PEM_CERTIFICATE)
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise CertificateInvalid(f"the certificate cannot be parsed: {exc}") from None
    try:
        pub.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise CertificateInvalid("the certificate is not signed by the given public key") from None
    cn = common_name(cert)
    try:
        validate_address(cn, BECH32_PREFIX)
    except AddressError as exc:
        raise CertificateInvalid(f"the certificate's common name is not an account address: {exc}") from None
    if cn != owner:
        raise CertificateInvalid(f"the certificate's common name {cn} does not match the owner {owner}")
    return ParsedCertificate(
        cert,
        cn,
        cert.serial_number,
        cert.not_valid_before_utc,
        cert.not_valid_after_utc,
        hashlib.sha256(der).hexdigest(),
    )


def common_name(cert: x509.Certificate, *, issuer: bool = False) -> str:
    """The (first) CN of the subject or issuer, or "" when there is none."""
    name = cert.issuer if issuer else cert.subject
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = attrs[0].value if attrs else ""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def certificate_from_chain(owner: str, cert_pem: str, pubkey_pem: str) -> ClientCertificate:
    """A ClientCertificate for an on-chain entry (validated like the chain does)."""
    p = parse_and_validate(owner, cert_pem, pubkey_pem)
    return ClientCertificate(owner, p.serial, cert_pem, pubkey_pem, p.not_before, p.not_after)


def key_matches(pair: ClientKeyPair) -> bool:
    """True when the private key belongs to the certificate (a damaged or mixed-up secret is refused)."""
    try:
        key = serialization.load_pem_private_key(pair.key_pem.encode("ascii"), password=None)
        cert = x509.load_der_x509_certificate(pem_to_der(pair.certificate.cert_pem, PEM_CERTIFICATE))
    except (ValueError, TypeError, CertificateInvalid):
        return False
    pub = serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_key().public_bytes(serialization.Encoding.DER, pub) == cert.public_key().public_bytes(
        serialization.Encoding.DER, pub
    )


# ---- messages ---------------------------------------------------------------------------------------


def msg_create_certificate(cert: ClientCertificate) -> msg_pb2.MsgCreateCertificate:
    """MsgCreateCertificate{owner, cert: PEM text bytes, pubkey: PEM text bytes} (as Console builds it)."""
    parse_and_validate(cert.owner, cert.cert_pem, cert.pubkey_pem)  # never publish what the chain refuses
    return tx_msgs.msg_create_certificate(cert.owner, cert.cert_pem, cert.pubkey_pem)


def msg_revoke_certificate(owner: str, serial: int | str) -> msg_pb2.MsgRevokeCertificate:
    """MsgRevokeCertificate{id: {owner, serial (decimal string)}}."""
    validate_address(owner, BECH32_PREFIX)
    text = str(serial)
    if not text.isdigit() or int(text) <= 0:
        raise CertificateInvalid(f"a certificate serial is a positive decimal number, not {text!r}")
    return tx_msgs.msg_revoke_certificate(owner, int(text))


def expires_in(cert: ClientCertificate, now: datetime | None = None) -> timedelta:
    return cert.not_after - (now or datetime.now(UTC))


def create_server_certificate(
    owner: str, domains: Sequence[str], *, now: datetime | None = None, valid_for: timedelta = timedelta(days=365)
) -> ClientKeyPair:
    """A provider's gateway certificate as the Go provider makes it (`provider-services tx cert generate server`).

    chain-sdk go/util/tls key_pair_manager: P-256; serial = unix nanoseconds; subject CN = owner plus the
    auth-version RDN (2.23.133.2.6 = "v0.0.1"); issuer CN = owner; keyUsage keyEncipherment +
    dataEncipherment; extKeyUsage clientAuth + serverAuth; basicConstraints CA:FALSE; the domains (and
    IPs) as SANs and as critical permitted DNS name constraints. Used by the local network's providers.
    """
    validate_address(owner, BECH32_PREFIX)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    dns, ips = [], []
    for d in domains:
        try:
            ips.append(ipaddress.ip_address(d))
        except ValueError:
            dns.append(d)
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, owner), x509.NameAttribute(AUTH_VERSION_OID, "v0.0.1")]
    )
    usage = x509.KeyUsage(False, False, True, True, False, False, False, False, False)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, owner)]))
        .public_key(key.public_key())
        .serial_number(int(moment.timestamp() * 1_000_000) * 1000)
        .not_valid_before(moment.replace(microsecond=0))
        .not_valid_after((moment + valid_for).replace(microsecond=0))
        .add_extension(usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if dns or ips:
        sans: list[x509.GeneralName] = [x509.DNSName(d) for d in dns] + [x509.IPAddress(i) for i in ips]
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        if dns:
            builder = builder.add_extension(
                x509.NameConstraints(permitted_subtrees=[x509.DNSName(d) for d in dns], excluded_subtrees=None),
                critical=True,
            )
    cert = builder.sign(key, hashes.SHA256())
    cert_pem = _crlf(cert.public_bytes(serialization.Encoding.PEM))
    spki = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pubkey_pem = _crlf(spki).replace("PUBLIC KEY-----", f"{PEM_EC_PUBLIC_KEY}-----")
    key_pem = _crlf(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    info = ClientCertificate(owner, cert.serial_number, cert_pem, pubkey_pem, cert.not_valid_before_utc, cert.not_valid_after_utc)
    return ClientKeyPair(info, key_pem)
