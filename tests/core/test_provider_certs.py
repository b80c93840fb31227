"""mTLS client certificates: same structure as the official libraries', the chain's validation rules, messages."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from app.provider.certs import (
    AUTH_VERSION_OID,
    CertificateInvalid,
    ClientKeyPair,
    create_client_certificate,
    create_server_certificate,
    key_matches,
    msg_create_certificate,
    msg_revoke_certificate,
    parse_and_validate,
    pem_to_der,
)
from tests.conftest import VECTORS

OWNER = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
OTHER = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"


def _vector(name: str) -> dict:
    return json.loads((VECTORS / "provider" / name).read_text())


def _skeleton(der: bytes) -> list:
    """The DER tag tree (tags and nesting, not lengths or values): the certificate's structure."""
    out, i = [], 0
    while i < len(der):
        tag = der[i]
        length = der[i + 1]
        j = i + 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(der[j : j + n], "big")
            j += n
        body = der[j : j + length]
        if tag & 0x20:  # constructed: recurse
            out.append((tag, _skeleton(body)))
        elif tag in (0x06, 0x01):  # OIDs and booleans are structure too
            out.append((tag, body.hex()))
        else:
            out.append(tag)
        i = j + length
    return out


@pytest.mark.parametrize("vector_name", ["cert-chain-sdk.json", "cert-akashjs.json", "cert-chain-sdk-now.json"])
def test_structure_matches_official_library(vector_name):
    ref = _vector(vector_name)
    ours = create_client_certificate(OWNER)
    ref_der = pem_to_der(ref["cert_pem"], "CERTIFICATE")
    our_der = pem_to_der(ours.certificate.cert_pem, "CERTIFICATE")
    assert _skeleton(our_der) == _skeleton(ref_der)
    a, b = x509.load_der_x509_certificate(ref_der), x509.load_der_x509_certificate(our_der)
    assert b.version == a.version == x509.Version.v3
    assert b.signature_algorithm_oid == a.signature_algorithm_oid
    assert b.subject == b.issuer and b.subject.rfc4514_string() == f"CN={OWNER}"
    assert [(r.oid, r._type) for r in b.subject] == [(r.oid, r._type) for r in a.subject]
    assert [(e.oid, e.critical, e.value) for e in b.extensions] == [(e.oid, e.critical, e.value) for e in a.extensions]
    assert isinstance(b.public_key(), ec.EllipticCurvePublicKey) and b.public_key().curve.name == "secp256r1"


@pytest.mark.parametrize("vector_name", ["cert-chain-sdk.json", "cert-akashjs.json"])
def test_pem_text_conventions_match(vector_name):
    ref = _vector(vector_name)
    ours = create_client_certificate(OWNER)
    pairs = [
        (ref["cert_pem"], ours.certificate.cert_pem),
        (ref["public_key_pem"], ours.certificate.pubkey_pem),
        (ref["private_key_pem"], ours.key_pem),
    ]
    for theirs, mine in pairs:
        assert mine.splitlines()[0] == theirs.splitlines()[0]  # BEGIN labels
        assert mine.endswith("\r\n") and "\n" not in mine.replace("\r\n", "")
        assert max(len(line) for line in mine.split("\r\n")) == max(len(line) for line in theirs.split("\r\n")) == 64
    assert ours.certificate.pubkey_pem.startswith("-----BEGIN EC PUBLIC KEY-----\r\n")
    assert ours.key_pem.startswith("-----BEGIN PRIVATE KEY-----\r\n")


def test_serial_and_validity_like_the_libraries():
    now = datetime(2026, 3, 4, 5, 6, 7, 891234, tzinfo=UTC)
    pair = create_client_certificate(OWNER, now=now)
    c = pair.certificate
    assert c.serial == int(now.timestamp() * 1000) * 1000 and c.serial % 1000 == 0
    assert c.not_before == now.replace(microsecond=0)
    assert c.not_after == datetime(2027, 3, 4, 5, 6, 7, tzinfo=UTC)
    leap = create_client_certificate(OWNER, now=datetime(2028, 2, 29, 12, tzinfo=UTC)).certificate
    assert leap.not_after == datetime(2029, 3, 1, 12, tzinfo=UTC)  # JS setFullYear rolls 29 Feb over
    ref = _vector("cert-chain-sdk.json")["details"]
    assert int(ref["serial_decimal"]) % 1000 == 0
    fixed = create_client_certificate(
        OWNER, valid_from=datetime(2025, 1, 1, tzinfo=UTC), valid_to=datetime(2026, 1, 1, tzinfo=UTC)
    ).certificate
    cert = x509.load_der_x509_certificate(pem_to_der(fixed.cert_pem, "CERTIFICATE"))
    assert cert.not_valid_before_utc.strftime("%y%m%d%H%M%SZ") == ref["not_before"]
    assert cert.not_valid_after_utc.strftime("%y%m%d%H%M%SZ") == ref["not_after"]


def test_key_pair_and_repr():
    pair = create_client_certificate(OWNER)
    assert key_matches(pair)
    assert "PRIVATE" not in repr(pair) and "redacted" in repr(pair)
    other = create_client_certificate(OWNER)
    assert not key_matches(ClientKeyPair(pair.certificate, other.key_pem))
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(pair)
    with pytest.raises(ValueError):
        create_client_certificate("cosmos1notakash")


# ---- the chain's ParseAndValidateCertificate --------------------------------------------------------


def test_official_and_own_certificates_validate():
    ref = _vector("cert-chain-sdk.json")
    parsed = parse_and_validate(OWNER, ref["cert_pem"], ref["public_key_pem"])
    assert parsed.serial == int(ref["details"]["serial_decimal"])
    ours = create_client_certificate(OWNER).certificate
    assert parse_and_validate(OWNER, ours.cert_pem.encode(), ours.pubkey_pem.encode()).owner == OWNER
    # LF line endings and text before the block are accepted, as by Go's pem.Decode
    lf = "junk\n" + ours.cert_pem.replace("\r\n", "\n")
    assert parse_and_validate(OWNER, lf, ours.pubkey_pem).serial == ours.serial


def _pub_pem(key) -> str:
    spki = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return spki.decode().replace("PUBLIC KEY-----", "EC PUBLIC KEY-----")


def test_chain_rules_refuse():
    c = create_client_certificate(OWNER).certificate
    cases = {
        "owner": (OTHER, c.cert_pem, c.pubkey_pem, "does not match the owner"),
        "trailing data": (OWNER, c.cert_pem + "\r\n", c.pubkey_pem, "after"),
        "two blocks": (OWNER, c.cert_pem + c.cert_pem, c.pubkey_pem, "after"),
        "pubkey label": (OWNER, c.cert_pem, c.pubkey_pem.replace("EC PUBLIC KEY", "PUBLIC KEY"), "expected 'EC PUBLIC KEY'"),
        "cert label": (OWNER, c.cert_pem.replace("CERTIFICATE", "X509 CRL"), c.pubkey_pem, "expected 'CERTIFICATE'"),
        "no pem": (OWNER, "hello", c.pubkey_pem, "no PEM block"),
        "other key": (OWNER, c.cert_pem, _pub_pem(ec.generate_private_key(ec.SECP256R1())), "not signed"),
        "rsa key": (OWNER, c.cert_pem, _pub_pem(rsa.generate_private_key(65537, 2048)), "not an ECDSA"),
        "bad base64": (OWNER, "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n", c.pubkey_pem, "base64"),
    }
    for name, (owner, cert_pem, pub_pem, message) in cases.items():
        with pytest.raises(CertificateInvalid, match=message):
            parse_and_validate(owner, cert_pem, pub_pem)
        assert name


def test_common_name_must_be_an_address():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "provider.example.com")])
    now = datetime.now(UTC)
    from cryptography.hazmat.primitives import hashes

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(5)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    with pytest.raises(CertificateInvalid, match="not an account address"):
        parse_and_validate(OWNER, pem, _pub_pem(key))


# ---- messages ---------------------------------------------------------------------------------------


def test_messages_encode_like_the_official_library():
    ref = _vector("cert-chain-sdk.json")
    pair = parse_and_validate(OWNER, ref["cert_pem"], ref["public_key_pem"])
    from app.provider.certs import ClientCertificate

    cert = ClientCertificate(OWNER, pair.serial, ref["cert_pem"], ref["public_key_pem"], pair.not_before, pair.not_after)
    msg = msg_create_certificate(cert)
    expected = _vector("tx-cert-v1-create.out.json")["msgs"][0]
    assert expected["typeUrl"] == "/" + msg.DESCRIPTOR.full_name
    assert msg.SerializeToString().hex() == expected["value_hex"]
    assert base64.b64encode(msg.cert).decode() == ref["msg_create_certificate_value"]["cert"]
    revoke = msg_revoke_certificate(OWNER, ref["details"]["serial_decimal"])
    expected = _vector("tx-cert-v1-revoke.out.json")["msgs"][0]
    assert "/" + revoke.DESCRIPTOR.full_name == expected["typeUrl"]
    assert revoke.SerializeToString().hex() == expected["value_hex"]
    assert msg_revoke_certificate(OWNER, int(ref["details"]["serial_decimal"])) == revoke
    for bad in ("0", "-5", "12a", ""):
        with pytest.raises(CertificateInvalid):
            msg_revoke_certificate(OWNER, bad)


def test_create_message_refuses_what_the_chain_would():
    c = create_client_certificate(OWNER).certificate
    from dataclasses import replace

    with pytest.raises(CertificateInvalid):
        msg_create_certificate(replace(c, owner=OTHER))


def test_server_certificate_like_the_go_provider():
    pair = create_server_certificate(OTHER, ["provider.example.com", "127.0.0.1"])
    cert = x509.load_der_x509_certificate(pem_to_der(pair.certificate.cert_pem, "CERTIFICATE"))
    assert cert.subject.get_attributes_for_oid(AUTH_VERSION_OID)[0].value == "v0.0.1"
    assert cert.issuer.rfc4514_string() == f"CN={OTHER}"
    eku = cert.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE).value
    assert {u.dotted_string for u in eku} == {"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"}
    assert cert.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value.ca is False
    san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    assert san.get_values_for_type(x509.DNSName) == ["provider.example.com"]
    assert parse_and_validate(OTHER, pair.certificate.cert_pem, pair.certificate.pubkey_pem).owner == OTHER
