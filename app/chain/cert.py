"""Client certificates on chain (akash.cert.v1): list with filter.owner/serial/state; PEMs decoded lazily."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.chain.errors import MalformedResponse
from app.chain.jsonread import ChainEnum, Obj
from app.chain.pagination import Listing, fetch_all

if TYPE_CHECKING:
    from app.chain.client import ChainClient

LIST = "/akash/cert/v1/certificates/list"


class CertState(ChainEnum):
    INVALID = "invalid"
    VALID = "valid"
    REVOKED = "revoked"


STATE_NUMBERS = dict(enumerate(CertState))


@dataclass(frozen=True)
class Certificate:
    """`cert` and `pubkey` are the base64 of PEM text; kept opaque until asked for."""

    serial: str  # decimal
    state: CertState
    cert_b64: str
    pubkey_b64: str

    @classmethod
    def parse(cls, o: Obj) -> Certificate:
        c = o.need("certificate")
        return cls(o.text("serial"), c.enum("state", CertState, STATE_NUMBERS), c.text("cert"), c.text("pubkey"))

    @property
    def cert_pem(self) -> str:
        return _pem(self.cert_b64, "cert", self.serial)

    @property
    def pubkey_pem(self) -> str:
        return _pem(self.pubkey_b64, "pubkey", self.serial)


def _pem(value: str, field: str, serial: str) -> str:
    try:
        text = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        raise MalformedResponse(LIST, f"certificate[{serial}].{field}", "not a complete base64 PEM") from None
    if "-----BEGIN" not in text:
        raise MalformedResponse(LIST, f"certificate[{serial}].{field}", "the decoded value is not PEM text")
    return text


async def certificates(
    client: ChainClient, owner: str = "", *, serial: str = "", state: CertState | None = None, cap: int = 1000
) -> Listing[Certificate]:
    # The prefix is `filter.` here (singular), unlike market/deployment's `filters.`.
    params = {"filter.owner": owner or None, "filter.serial": serial or None, "filter.state": state.value if state else None}
    return await fetch_all(client, LIST, "certificates", Certificate.parse, params=params, cap=cap)
