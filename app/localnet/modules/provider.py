"""akash provider v1beta4: the provider registry (host_uri, attributes, info); the simulated fleet at genesis."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from app.config import DENOM_AKT
from app.localnet.errors import TxError, module_error, not_found
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules.auth import parse_address
from app.localnet.modules.bank import check_address
from app.localnet.providers.catalog import FLEET, free_port
from app.localnet.rest import Query, paged

PROVIDER = "provider.provider"  # owner -> {"owner", "host_uri", "attributes", "info"}
ATTR_KEY = re.compile(r"^([a-zA-Z][\w/.\-]{1,126})$")
PROVIDER_FUNDS_UAKT = 5_000_000_000  # 5,000 AKT each for fees and bid deposits


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("provider", code, desc, msg)


def validate_attributes(attrs: Any) -> None:
    keys = set()
    for a in attrs:
        if not ATTR_KEY.match(a.key):
            raise err(6, "attribute specification error", f"attribute key {a.key!r} does not match regexp")
        if a.key in keys:
            raise err(6, "attribute specification error", f"duplicate attribute key {a.key!r}")
        keys.add(a.key)


def validate_host_uri(uri: str) -> None:
    parsed = urlparse(uri)
    if not parsed.scheme or not parsed.netloc:
        raise err(2, "invalid provider: not absolute host uri", uri)
    if parsed.scheme not in ("http", "https"):
        raise err(1, "invalid provider: invalid host uri", uri)


def provider_json(p: dict[str, Any]) -> dict[str, Any]:
    return {"owner": p["owner"], "host_uri": p["host_uri"],
            "attributes": [dict(a) for a in p["attributes"]], "info": dict(p["info"])}


class ProviderModule(Module):
    name = "provider"
    order = 115

    def get(self, kv: View, owner: str) -> dict[str, Any] | None:
        return kv.get(PROVIDER, owner)

    def set(self, kv: View, p: dict[str, Any]) -> None:
        kv.set(PROVIDER, p["owner"], p)

    def genesis(self, ctx: Ctx, spec: Any) -> None:
        """Register the simulated fleet; each gateway gets a free loopback port, kept in its host_uri."""
        bank = ctx.module("bank")
        for p in FLEET:
            bank.fund(ctx, p.address, {DENOM_AKT: PROVIDER_FUNDS_UAKT})
            self.set(ctx.kv, {"owner": p.address, "host_uri": f"https://127.0.0.1:{free_port()}",
                              "attributes": p.attributes(), "info": {"email": p.email, "website": p.website}})

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        p = "/akash.provider.v1beta4."
        return {
            p + "MsgCreateProvider": MsgHandler(lambda m: [m.owner], self.exec_create, self._validate),
            p + "MsgUpdateProvider": MsgHandler(lambda m: [m.owner], self.exec_update, self._validate),
            p + "MsgDeleteProvider": MsgHandler(lambda m: [m.owner], self.exec_delete,
                                                lambda m: check_address(m.owner, "owner")),
        }

    def _validate(self, msg: Any) -> None:
        check_address(msg.owner, "owner")
        validate_host_uri(msg.host_uri)
        validate_attributes(msg.attributes)
        if msg.info.website and not urlparse(msg.info.website).scheme:
            raise err(8, "invalid provider: invalid info website", msg.info.website)

    @staticmethod
    def _record(msg: Any) -> dict[str, Any]:
        return {"owner": msg.owner, "host_uri": msg.host_uri,
                "attributes": [{"key": a.key, "value": a.value} for a in msg.attributes],
                "info": {"email": msg.info.email, "website": msg.info.website}}

    def exec_create(self, ctx: Ctx, msg: Any) -> None:
        if self.get(ctx.kv, msg.owner) is not None:
            raise err(4, "invalid provider: already exists", msg.owner)
        self.set(ctx.kv, self._record(msg))
        ctx.emit("akash.provider.v1beta4.EventProviderCreated", ("owner", msg.owner))

    def exec_update(self, ctx: Ctx, msg: Any) -> None:
        if self.get(ctx.kv, msg.owner) is None:
            raise err(3, "invalid provider: address not found", msg.owner)
        self.set(ctx.kv, self._record(msg))
        ctx.emit("akash.provider.v1beta4.EventProviderUpdated", ("owner", msg.owner))

    def exec_delete(self, ctx: Ctx, msg: Any) -> None:
        if self.get(ctx.kv, msg.owner) is None:
            raise err(3, "invalid provider: address not found", msg.owner)
        raise err(10, "internal error", "NOTIMPLEMENTED")

    # -- REST --
    def routes(self) -> list[Route]:
        p = "/akash/provider/v1beta4/providers"
        return [Route("GET", p, self.q_list), Route("GET", f"{p}/{{owner}}", self.q_one)]

    def q_list(self, q: Query) -> dict:
        return paged(q, "providers", self.chain.root.items(PROVIDER), provider_json)

    def q_one(self, q: Query) -> dict:
        owner = parse_address(q.path["owner"], "owner address")
        p = self.get(self.chain.root, owner)
        if p is None:
            raise not_found("invalid provider: address not found")
        return {"provider": provider_json(p)}


MODULE = ProviderModule
