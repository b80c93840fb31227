"""Trusting a provider's gateway over real loopback TLS: on-chain certificate, public PKI, impostors, mTLS."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.chain.client import ChainClient
from app.provider.certs import (
    ClientCertificate,
    ClientKeyPair,
    create_client_certificate,
    create_server_certificate,
)
from app.provider.client import MtlsAuth, ProviderClient
from app.provider.errors import ProviderAuthError, ProviderTlsError, ProviderUnreachable
from app.provider.jwt import JwtAuth, verify_token
from app.provider.tls import (
    MODE_CHAIN,
    MODE_PKI,
    ClientIdentity,
    chain_context,
    load_identity,
    peer_problem,
    pki_context,
)
from app.wallet.signer import Signer
from tests.core.provider_loopback import ChainStub, Gateway, MtlsGateway, json_handler

PROVIDER = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
TENANT_MNEMONIC = "abandon " * 11 + "about"
OTHER = "akash1kng7tv83qesgvv2ze7hxlw4urfrjk8vqdgv853"  # abandon mnemonic, index 2
STATUS = {"cluster": {"leases": 2}, "bidengine": {"orders": 1}, "manifest": {"deployments": 2}, "address": PROVIDER}


@pytest.fixture
async def chain():
    stub = ChainStub()
    await stub.start()
    client = ChainClient([stub.url])
    yield stub, client
    await client.aclose()
    await stub.stop()


@pytest.fixture
def signer():
    return Signer.from_mnemonic(TENANT_MNEMONIC.strip())


async def _gateway(pair: ClientKeyPair) -> Gateway:
    gw = Gateway(pair)
    gw.route("GET", "/status", json_handler(STATUS))
    gw.route("GET", "/lease/*/*/*/status", json_handler({"services": {}, "forwarded_ports": {}, "ips": {}}))
    await gw.start()
    return gw


async def test_accepts_the_certificate_published_on_chain(chain, signer):
    stub, rest = chain
    pair = create_server_certificate(PROVIDER, ["localhost", "127.0.0.1"])
    stub.publish(PROVIDER, create_server_certificate(PROVIDER, ["old.example.com"]))  # another valid one
    stub.publish(PROVIDER, pair)
    gw = await _gateway(pair)
    try:
        async with ProviderClient(gw.uri, PROVIDER, auth=JwtAuth(signer), chain=rest) as client:
            status = await client.status()
            assert status.active_leases == 2 and status.address == PROVIDER
            decision = await client.trust.decision()
            assert decision.mode == MODE_CHAIN and len(decision.fingerprints) == 2
            await client.lease_status(5, 1, 1)
        q = stub.requests[0]
        assert (q["filter.owner"], q["filter.state"]) == (PROVIDER, "valid")
        auth_header = gw.seen[-1][2]["Authorization"]
        assert verify_token(auth_header.removeprefix("Bearer "), signer.public_key)["iss"] == signer.address
        assert "Authorization" not in gw.seen[0][2]  # /status needs no token
    finally:
        await gw.stop()


@pytest.mark.parametrize("case", ["not published", "revoked", "other owner's cert", "other cert of the provider"])
async def test_refuses_a_certificate_that_is_not_the_providers_on_chain(chain, signer, case):
    stub, rest = chain
    served = create_server_certificate(PROVIDER, ["127.0.0.1"])
    if case == "revoked":
        stub.publish(PROVIDER, served, state="revoked")
    elif case == "other owner's cert":
        served = create_server_certificate(OTHER, ["127.0.0.1"])
        stub.publish(OTHER, served)  # valid on chain, but for another account
        stub.publish(PROVIDER, create_server_certificate(PROVIDER, ["127.0.0.1"]))
    elif case == "other cert of the provider":
        stub.publish(PROVIDER, create_server_certificate(PROVIDER, ["127.0.0.1"]))
    gw = await _gateway(served)
    try:
        async with ProviderClient(gw.uri, PROVIDER, auth=JwtAuth(signer), chain=rest) as client:
            with pytest.raises(ProviderTlsError) as err:
                await client.lease_status(5, 1, 1)
        assert "Do not trust this provider" in str(err.value)
        assert gw.seen == []  # not one request (nor the token) reached the impostor
    finally:
        await gw.stop()


async def test_refuses_a_self_signed_cert_of_the_right_key_but_not_on_chain(chain, signer):
    """Same key as the published certificate, different certificate: the fingerprint check refuses it."""
    stub, rest = chain
    published = create_server_certificate(PROVIDER, ["127.0.0.1"])
    stub.publish(PROVIDER, published)
    key = serialization.load_pem_private_key(published.key_pem.encode(), password=None)
    original = x509.load_pem_x509_certificate(published.certificate.cert_pem.encode())
    builder = (
        x509.CertificateBuilder()
        .subject_name(original.subject)
        .issuer_name(original.issuer)
        .public_key(key.public_key())
        .serial_number(original.serial_number + 1)
        .not_valid_before(original.not_valid_before_utc)
        .not_valid_after(original.not_valid_after_utc)
    )
    for ext in original.extensions:
        builder = builder.add_extension(ext.value, ext.critical)
    twin = builder.sign(key, hashes.SHA256())
    twin_pair = ClientKeyPair(
        ClientCertificate(
            PROVIDER,
            twin.serial_number,
            twin.public_bytes(serialization.Encoding.PEM).decode(),
            published.certificate.pubkey_pem,
            original.not_valid_before_utc,
            original.not_valid_after_utc,
        ),
        published.key_pem,
    )
    gw = await _gateway(twin_pair)
    try:
        async with ProviderClient(gw.uri, PROVIDER, chain=rest) as client:
            with pytest.raises(ProviderTlsError, match="Do not trust"):
                await client.status()
        assert gw.seen == []
    finally:
        await gw.stop()
    # The after-handshake check refuses it by itself too (SHA-256 equality with the on-chain cert).
    fp = frozenset({published.certificate.fingerprint_sha256})
    assert "not one the provider published" in peer_problem(twin.public_bytes(serialization.Encoding.DER), PROVIDER, fp)


async def test_client_certificate_style_server_cert_is_refused(chain):
    """A cert without serverAuth (the TS client-cert layout) fails OpenSSL's purpose check, as Go's."""
    stub, rest = chain
    pair = create_client_certificate(PROVIDER)
    stub.publish(PROVIDER, pair)
    gw = await _gateway(pair)
    try:
        async with ProviderClient(gw.uri, PROVIDER, chain=rest) as client:
            with pytest.raises(ProviderTlsError, match="purpose"):
                await client.status()
    finally:
        await gw.stop()


def _test_ca(tmp_path) -> tuple[str, ClientKeyPair]:
    """A private CA (standing in for the system roots) and a leaf for 127.0.0.1 it signed."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Root CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    import ipaddress

    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "provider.test")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=10))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = tmp_path / "roots.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    pair = ClientKeyPair(
        ClientCertificate(PROVIDER, 2, leaf.public_bytes(serialization.Encoding.PEM).decode(), "", now, now), key_pem
    )
    return str(ca_file), pair


async def test_publicly_trusted_certificate_needs_no_chain(tmp_path, monkeypatch, chain):
    stub, rest = chain
    roots, pair = _test_ca(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", roots)  # the "system roots" of this test
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    gw = await _gateway(pair)
    try:
        async with ProviderClient(gw.uri, PROVIDER, chain=rest) as client:
            assert (await client.status()).address == PROVIDER
            assert (await client.trust.decision()).mode == MODE_PKI
        assert stub.requests == []  # PKI sufficed: the chain was not asked
        # The same certificate under another host name is not trusted by PKI, and not on chain either.
        async with ProviderClient(f"https://localhost:{gw.port}", PROVIDER, chain=rest) as client:
            with pytest.raises(ProviderTlsError):
                await client.status()
    finally:
        await gw.stop()


async def test_rotated_certificate_is_looked_up_again(chain):
    stub, rest = chain
    first = create_server_certificate(PROVIDER, ["127.0.0.1"])
    stub.publish(PROVIDER, first)
    gw = await _gateway(first)
    try:
        async with ProviderClient(gw.uri, PROVIDER, chain=rest) as client:
            await client.status()
            second = create_server_certificate(PROVIDER, ["127.0.0.1"])
            stub.publish(PROVIDER, second)
            await gw.restart_with(second)
            assert (await client.status()).address == PROVIDER
            assert len(stub.requests) == 2
            # a rotation to a certificate that is NOT on chain is refused
            await gw.restart_with(create_server_certificate(PROVIDER, ["127.0.0.1"]))
            with pytest.raises(ProviderTlsError):
                await client.status()
    finally:
        await gw.stop()


async def test_unreachable_provider(chain):
    _stub, rest = chain
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    async with ProviderClient(f"https://127.0.0.1:{port}", PROVIDER, chain=rest) as client:
        with pytest.raises(ProviderUnreachable, match="refused"):
            await client.status()
    with pytest.raises(ProviderUnreachable, match="https"):
        ProviderClient("http://127.0.0.1:1", PROVIDER)


# ---- mTLS -------------------------------------------------------------------------------------------


async def test_mtls_client_certificate_and_sni(chain, signer):
    stub, rest = chain
    server = create_server_certificate(PROVIDER, ["127.0.0.1"])
    stub.publish(PROVIDER, server)
    client_pair = create_client_certificate(signer.address)
    gw = MtlsGateway(server, {"/status": (200, STATUS), "/lease/9/1/1/status": (200, {"services": None})})
    gw.allowed.add(client_pair.certificate.fingerprint_sha256)
    gw.start()
    try:
        async with ProviderClient(gw.uri, PROVIDER, auth=MtlsAuth.from_pair(client_pair), chain=rest) as client:
            assert (await client.status()).open_orders == 1
            lease = await client.lease_status(9, 1, 1)
            assert lease.services == {}
        assert gw.clients and set(gw.clients) == {signer.address}
        assert set(gw.sni) == {"mtls.127.0.0.1"}  # as the Go client: the provider then asks for our cert
        assert all("Authorization" not in h for _p, h in gw.requests)  # never both cert and token
        # A certificate the provider does not accept (unpublished or revoked): typed auth error with advice.
        stranger = create_client_certificate(signer.address)
        async with ProviderClient(gw.uri, PROVIDER, auth=MtlsAuth.from_pair(stranger), chain=rest) as client:
            with pytest.raises(ProviderAuthError) as err:
                await client.lease_status(9, 1, 1)
        assert err.value.method == "mtls" and "publish" in str(err.value)
    finally:
        gw.stop()


def test_identity_loading_leaves_no_key_file(tmp_path, monkeypatch):
    pair = create_client_certificate("akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0")
    identity = ClientIdentity(pair.certificate.cert_pem, pair.key_pem)
    assert "PRIVATE" not in repr(identity)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    load_identity(pki_context(), identity)  # memfd where available
    monkeypatch.delattr(os, "memfd_create", raising=False)
    load_identity(pki_context(), identity)  # private temp dir, deleted at once
    assert list(tmp_path.iterdir()) == []
    ctx = chain_context([pair.certificate.cert_pem], identity)
    assert ctx.check_hostname is False and ctx.verify_mode.name == "CERT_REQUIRED"
    assert ctx.minimum_version.name == "TLSv1_3"


def test_peer_problem_rules():
    mine = create_server_certificate(PROVIDER, ["127.0.0.1"]).certificate
    der = x509.load_pem_x509_certificate(mine.cert_pem.encode()).public_bytes(serialization.Encoding.DER)
    fps = frozenset({mine.fingerprint_sha256})
    assert peer_problem(der, PROVIDER, fps) == ""
    assert "no certificate" in peer_problem(None, PROVIDER, fps)
    assert "cannot be parsed" in peer_problem(b"junk", PROVIDER, fps)
    assert f"not to the provider {OTHER}" in peer_problem(der, OTHER, fps)
    assert "not one the provider published" in peer_problem(der, PROVIDER, frozenset({"00" * 32}))
