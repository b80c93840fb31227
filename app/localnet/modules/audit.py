"""akash audit v1: provider attributes signed by auditors (the genesis auditor signs the audited fleet)."""

from __future__ import annotations

from typing import Any

from app.localnet.errors import TxError, module_error, not_found
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules.auth import parse_address
from app.localnet.modules.bank import check_address
from app.localnet.modules.provider import validate_attributes
from app.localnet.providers.catalog import FLEET, auditor_key
from app.localnet.rest import Query, paged

AUDIT = "audit.attributes"  # "<owner>/<auditor>" -> [{"key", "value"}] sorted by key


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("audit", code, desc, msg)


def audited_json(key: str, attrs: list[dict[str, str]]) -> dict[str, Any]:
    owner, auditor = key.split("/", 1)
    return {"owner": owner, "auditor": auditor, "attributes": [dict(a) for a in attrs]}


class AuditModule(Module):
    name = "audit"
    order = 116

    def by_auditor(self, kv: View, owner: str) -> dict[str, list[dict[str, str]]]:
        """auditor -> the attributes it signed for owner."""
        return {k.split("/", 1)[1]: v for k, v in kv.items(AUDIT, owner + "/")}

    def genesis(self, ctx: Ctx, spec: Any) -> None:
        auditor = auditor_key().address
        ctx.module("auth").ensure_account(ctx.kv, auditor)
        for p in FLEET:
            if p.audited:
                ctx.kv.set(AUDIT, f"{p.address}/{auditor}", p.audited_attributes())

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        p = "/akash.audit.v1."
        return {
            p + "MsgSignProviderAttributes": MsgHandler(lambda m: [m.auditor], self.exec_sign, self._validate_sign),
            p + "MsgDeleteProviderAttributes": MsgHandler(lambda m: [m.auditor], self.exec_delete,
                                                          self._validate_delete),
        }

    def _validate_sign(self, msg: Any) -> None:
        check_address(msg.owner, "owner")
        check_address(msg.auditor, "auditor")
        validate_attributes(msg.attributes)

    def _validate_delete(self, msg: Any) -> None:
        check_address(msg.owner, "owner")
        check_address(msg.auditor, "auditor")

    def exec_sign(self, ctx: Ctx, msg: Any) -> None:
        if ctx.module("provider").get(ctx.kv, msg.owner) is None:
            raise err(1, "provider not found", msg.owner)
        key = f"{msg.owner}/{msg.auditor}"
        current = {a["key"]: a["value"] for a in ctx.kv.get(AUDIT, key) or []}
        current.update({a.key: a.value for a in msg.attributes})
        ctx.kv.set(AUDIT, key, [{"key": k, "value": v} for k, v in sorted(current.items())])
        ctx.emit("akash.audit.v1.EventTrustedAuditorCreated", ("owner", msg.owner), ("auditor", msg.auditor))

    def exec_delete(self, ctx: Ctx, msg: Any) -> None:
        key = f"{msg.owner}/{msg.auditor}"
        current = ctx.kv.get(AUDIT, key)
        if current is None:
            raise err(1, "provider not found", f"no attributes of {msg.owner} signed by {msg.auditor}")
        keys = set(msg.keys)
        left = [a for a in current if a["key"] not in keys] if keys else []
        if left:
            ctx.kv.set(AUDIT, key, left)
        else:
            ctx.kv.delete(AUDIT, key)
        ctx.emit("akash.audit.v1.EventTrustedAuditorDeleted", ("owner", msg.owner), ("auditor", msg.auditor))

    # -- REST --
    def routes(self) -> list[Route]:
        p = "/akash/audit/v1/audit/attributes"
        return [Route("GET", f"{p}/list", self.q_all), Route("GET", f"{p}/{{owner}}/list", self.q_owner),
                Route("GET", f"{p}/{{auditor}}/{{owner}}", self.q_pair),
                Route("GET", "/akash/provider/v1/auditor/{auditor}/list", self.q_auditor)]

    def _page(self, q: Query, entries: list[tuple[str, Any]]) -> dict:
        return paged(q, "providers", [(k, audited_json(k, v)) for k, v in entries])

    def q_all(self, q: Query) -> dict:
        return self._page(q, self.chain.root.items(AUDIT))

    def q_owner(self, q: Query) -> dict:
        owner = parse_address(q.path["owner"], "owner address")
        return self._page(q, self.chain.root.items(AUDIT, owner + "/"))

    def q_pair(self, q: Query) -> dict:
        owner = parse_address(q.path["owner"], "owner address")
        auditor = parse_address(q.path["auditor"], "auditor address")
        attrs = self.chain.root.get(AUDIT, f"{owner}/{auditor}")
        if attrs is None:
            raise not_found("provider not found")
        return {"providers": [audited_json(f"{owner}/{auditor}", attrs)], "pagination": None}

    def q_auditor(self, q: Query) -> dict:
        auditor = parse_address(q.path["auditor"], "auditor address")
        return self._page(q, [(k, v) for k, v in self.chain.root.items(AUDIT) if k.split("/", 1)[1] == auditor])


MODULE = AuditModule
