"""Providers (akash.provider.v1beta4) and their audited attributes (akash.audit.v1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.chain.common import Attribute, attributes
from app.chain.jsonread import Obj
from app.chain.pagination import Listing, fetch_all
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

PROVIDERS = "/akash/provider/v1beta4/providers"
PROVIDER = "/akash/provider/v1beta4/providers/{owner}"
AUDIT_ALL = "/akash/audit/v1/audit/attributes/list"
AUDIT_OF = "/akash/audit/v1/audit/attributes/{owner}/list"
AUDIT_BY = "/akash/audit/v1/audit/attributes/{auditor}/{owner}"
AUDITOR_LIST = "/akash/provider/v1/auditor/{auditor}/list"  # the real path is under /akash/provider/v1/


@dataclass(frozen=True)
class Provider:
    owner: str
    host_uri: str  # the gateway, e.g. https://provider.example.com:8443
    attributes: tuple[Attribute, ...]
    email: str
    website: str

    @classmethod
    def parse(cls, o: Obj) -> Provider:
        info = o.child("info")
        return cls(
            o.text("owner", required=True),
            o.text("host_uri"),
            attributes(o),
            info.text("email") if info is not None else "",
            info.text("website") if info is not None else "",
        )

    def attribute(self, key: str) -> str:
        return next((a.value for a in self.attributes if a.key == key), "")


@dataclass(frozen=True)
class AuditedProvider:
    owner: str
    auditor: str
    attributes: tuple[Attribute, ...]

    @classmethod
    def parse(cls, o: Obj) -> AuditedProvider:
        return cls(o.text("owner"), o.text("auditor"), attributes(o))


async def providers(client: ChainClient, *, cap: int = 5000) -> Listing[Provider]:
    return await fetch_all(client, PROVIDERS, "providers", Provider.parse, page_size=500, cap=cap)


async def provider(client: ChainClient, owner: str) -> Provider:
    path = PROVIDER.format(owner=segment(owner))
    return Provider.parse(Obj(await client.get(path), path).need("provider"))


async def audited_attributes(client: ChainClient, owner: str = "", *, cap: int = 5000) -> Listing[AuditedProvider]:
    """Signed attributes of one provider (or of every provider when owner is empty)."""
    path = AUDIT_OF.format(owner=segment(owner)) if owner else AUDIT_ALL
    return await fetch_all(client, path, "providers", AuditedProvider.parse, cap=cap)


async def audited_by(client: ChainClient, auditor: str, owner: str) -> Listing[AuditedProvider]:
    path = AUDIT_BY.format(auditor=segment(auditor), owner=segment(owner))
    return await fetch_all(client, path, "providers", AuditedProvider.parse, cap=1000)
