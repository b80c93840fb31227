"""ES256K provider tokens: byte-identical to chain-sdk's JwtTokenManager, schema rules, verification, caching."""

from __future__ import annotations

import base64
import json

import pytest

from app.provider.jwt import (
    DeploymentPermission,
    JwtAuth,
    JwtError,
    LeaseAccess,
    ProviderPermission,
    b64url,
    b64url_decode,
    build_claims,
    check_claims,
    decode_token,
    encode_token,
    verify_token,
)
from app.wallet.signer import Signer
from tests.conftest import VECTORS

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
PROVIDER = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"


@pytest.fixture(scope="module")
def vector():
    return json.loads((VECTORS / "provider" / "jwt-chain-sdk.json").read_text())


@pytest.fixture(scope="module")
def signer(vector):
    return Signer.from_mnemonic(vector["mnemonic"])


def test_tokens_identical_to_chain_sdk(vector, signer):
    assert signer.address == vector["address"]
    for case in vector["tokens"]:
        assert encode_token(signer, case["claims"]) == case["token"], case["name"]


def test_chain_sdk_tokens_verify(vector):
    pub = base64.b64decode(vector["pubkey_b64"])
    for case in vector["tokens"]:
        claims = verify_token(case["token"], pub, now=case["claims"]["iat"])
        assert claims == case["claims"]


def test_header_and_payload_are_sorted_compact_json(signer):
    token = encode_token(signer, build_claims(signer.address, now=1_700_000_000, jti="x"))
    head, payload, sig = token.split(".")
    assert b64url_decode(head) == b'{"alg":"ES256K","typ":"JWT"}'
    text = b64url_decode(payload).decode()
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    assert "=" not in token and len(b64url_decode(sig)) == 64


def test_signatures_are_low_s(signer):
    for i in range(40):
        token = encode_token(signer, build_claims(signer.address, now=1_700_000_000 + i))
        s = int.from_bytes(decode_token(token).signature[32:], "big")
        assert s <= N // 2


def test_verification_refuses_tampering(vector, signer):
    pub = base64.b64decode(vector["pubkey_b64"])
    token = vector["tokens"][0]["token"]
    now = vector["tokens"][0]["claims"]["iat"]
    head, payload, sig = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["leases"] = {"access": "scoped", "scope": ["logs"]}
    forged = f"{head}.{b64url(json.dumps(claims, sort_keys=True, separators=(',', ':')).encode())}.{sig}"
    with pytest.raises(JwtError, match="signature"):
        verify_token(forged, pub, now=now)
    other = Signer.from_mnemonic(vector["mnemonic"], index=1)
    with pytest.raises(JwtError, match="signature"):
        verify_token(token, other.public_key, now=now)
    # high-S twin of a valid signature: same curve point maths, refused like Cosmos does
    raw = b64url_decode(sig)
    high = raw[:32] + (N - int.from_bytes(raw[32:], "big")).to_bytes(32, "big")
    with pytest.raises(JwtError, match="signature"):
        verify_token(f"{head}.{payload}.{b64url(high)}", pub, now=now)
    with pytest.raises(JwtError, match="algorithm"):
        none_header = b64url(b'{"alg":"none","typ":"JWT"}')
        verify_token(f"{none_header}.{payload}.", pub, now=now)


def test_time_window(signer):
    token = encode_token(signer, build_claims(signer.address, now=1000, lifetime_s=60))
    assert verify_token(token, signer.public_key, now=1000)
    assert verify_token(token, signer.public_key, now=1059)
    with pytest.raises(JwtError, match="expired"):
        verify_token(token, signer.public_key, now=1060)
    with pytest.raises(JwtError, match="not valid yet"):
        verify_token(token, signer.public_key, now=999)


def test_malformed_tokens():
    for bad in ["", "a.b", "a.b.c.d", "!!.e30.", "e30.bm90anNvbg.", 42]:
        with pytest.raises(JwtError):
            decode_token(bad)  # type: ignore[arg-type]


def test_issuer_must_be_the_signer(signer):
    claims = build_claims(PROVIDER, now=1000)
    with pytest.raises(JwtError, match="issuer"):
        encode_token(signer, claims)


def test_access_builders_and_schema(signer):
    granular = LeaseAccess.granular(
        [
            ProviderPermission(
                PROVIDER, "granular", deployments=(DeploymentPermission(7, ("logs", "status"), ("web",), gseq=1, oseq=1),)
            ),
            ProviderPermission(signer.address, "scoped", scope=("status",)),
        ]
    )
    claims = build_claims(signer.address, granular, now=5, lifetime_s=10)
    assert claims["leases"]["permissions"][0]["deployments"][0] == {
        "dseq": 7,
        "scope": ["logs", "status"],
        "services": ["web"],
        "gseq": 1,
        "oseq": 1,
    }
    assert build_claims(signer.address, now=5)["leases"] == {"access": "full"}
    assert build_claims(signer.address, LeaseAccess.scoped(), now=5)["leases"]["scope"][0] == "status"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda c: c.update(iss="cosmos1abc"), "iss"),
        (lambda c: c.update(version="v2"), "version"),
        (lambda c: c.update(extra=1), "unknown field"),
        (lambda c: c.pop("exp"), "exp"),
        (lambda c: c.update(exp=-1), "exp"),
        (lambda c: c.update(iat=True), "iat"),
        (lambda c: c.update(nbf=c["iat"] + 5), "nbf <= iat"),
        (lambda c: c.update(jti=""), "jti"),
        (lambda c: c.update(leases={"access": "full", "scope": ["logs"]}), "full access"),
        (lambda c: c.update(leases={"access": "scoped"}), "leases.scope"),
        (lambda c: c.update(leases={"access": "scoped", "scope": ["logs", "logs"]}), "duplicates"),
        (lambda c: c.update(leases={"access": "scoped", "scope": ["root"]}), "unknown scope"),
        (lambda c: c.update(leases={"access": "granular"}), "permissions"),
        (lambda c: c.update(leases={"access": "admin"}), "leases.access"),
        (
            lambda c: c.update(
                leases={"access": "granular", "permissions": [{"provider": PROVIDER, "access": "full"}] * 2}
            ),
            "twice",
        ),
        (
            lambda c: c.update(
                leases={
                    "access": "granular",
                    "permissions": [
                        {"provider": PROVIDER, "access": "granular", "deployments": [{"dseq": 1, "scope": ["logs"]}]}
                    ],
                }
            ),
            "services",
        ),
        (
            lambda c: c.update(
                leases={
                    "access": "granular",
                    "permissions": [
                        {
                            "provider": PROVIDER,
                            "access": "granular",
                            "deployments": [{"dseq": 1, "scope": ["logs"], "services": ["w"], "oseq": 1}],
                        }
                    ],
                }
            ),
            "oseq needs gseq",
        ),
        (
            lambda c: c.update(
                leases={"access": "granular", "permissions": [{"provider": PROVIDER, "access": "scoped"}]}
            ),
            "scope",
        ),
    ],
)
def test_schema_rejections(signer, mutate, message):
    claims = build_claims(signer.address, now=1000)
    mutate(claims)
    with pytest.raises(JwtError, match=message):
        check_claims(claims)


def test_jwt_auth_caches_and_renews(signer):
    now = [1_000_000.0]
    auth = JwtAuth(signer, lifetime_s=900, clock=lambda: now[0])
    first = auth.token()
    assert auth.token() is first
    now[0] += 900 - 61
    assert auth.token() is first
    now[0] += 2  # less than a minute left
    second = auth.token()
    assert second != first
    claims = verify_token(second, signer.public_key, now=int(now[0]))
    assert claims["leases"]["access"] == "scoped" and claims["jti"]
    assert auth.headers() == {"Authorization": f"Bearer {second}"}
    auth.forget()
    assert auth.token() != second
    assert second not in repr(auth) and "eyJ" not in repr(auth)


def test_lifetime_must_be_positive(signer):
    with pytest.raises(JwtError):
        build_claims(signer.address, lifetime_s=0)
