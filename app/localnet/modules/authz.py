"""x/authz: grants (GenericAuthorization, akash DepositAuthorization, others stored as given), exec, REST."""

from __future__ import annotations

import base64
from typing import Any

from google.protobuf import any_pb2

from app.localnet.errors import TxError, invalid_argument, module_error, not_found, sdk_error
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules.auth import parse_address
from app.localnet.modules.bank import check_address
from app.localnet.protojson import any_to_json
from app.localnet.rest import Query, paged, rfc3339
from app.proto import registry
from app.proto.gen.cosmos.authz.v1beta1 import tx_pb2

GRANT = "authz.grant"  # "<granter>/<grantee>/<msg type url>" -> {"auth": {...}, "expiration_ns": int | None}
GENERIC_URL = "/cosmos.authz.v1beta1.GenericAuthorization"
DEPOSIT_URL = "/akash.escrow.v1.DepositAuthorization"
DEPOSIT_MSG = "/akash.escrow.v1.MsgAccountDeposit"
DEPOSIT_SCOPES = ["invalid", "deployment", "bid"]


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("authz", code, desc, msg)


def grant_key(granter: str, grantee: str, msg_type: str) -> str:
    return f"{granter}/{grantee}/{msg_type}"


def authorization_from_any(packed: any_pb2.Any) -> dict[str, Any]:
    """The stored form of an authorization; raises TxError for unknown or invalid ones (ValidateBasic)."""
    try:
        inner = registry.unpack_any(packed)
    except (registry.UnknownTypeUrl, ValueError) as exc:
        raise err(4, "unknown authorization type", str(exc)) from None
    url = packed.type_url
    if url == GENERIC_URL:
        return {"type": url, "msg": inner.msg}
    if url == DEPOSIT_URL:
        scopes = list(inner.scopes)
        if not scopes:
            raise module_error("escrow", 17, "invalid authz scope", "empty scope")
        if len(set(scopes)) != len(scopes) or any(s not in (1, 2) for s in scopes):
            raise module_error("escrow", 17, "invalid authz scope", "invalid or duplicate scope")
        limits = [{"denom": c.denom, "amount": c.amount or "0"} for c in inner.spend_limits]
        limit = {"denom": inner.spend_limit.denom, "amount": inner.spend_limit.amount or "0"}
        positive = [c for c in [limit, *limits] if c["amount"].isdigit() and int(c["amount"]) > 0]
        if not positive:
            raise sdk_error(10, "spend limit cannot be negative")
        return {"type": url, "spend_limit": limit, "scopes": [DEPOSIT_SCOPES[s] for s in scopes],
                "spend_limits": limits}
    return {"type": url, "raw": base64.b64encode(packed.value).decode()}


def msg_type_of(auth: dict[str, Any]) -> str:
    """Authorization.MsgTypeURL()."""
    if auth["type"] == GENERIC_URL:
        return auth["msg"]
    if auth["type"] == DEPOSIT_URL:
        return DEPOSIT_MSG
    packed = any_pb2.Any(type_url=auth["type"], value=base64.b64decode(auth["raw"]))
    inner = registry.unpack_any(packed)
    return {"/cosmos.bank.v1beta1.SendAuthorization": "/cosmos.bank.v1beta1.MsgSend"}.get(
        auth["type"], getattr(inner, "msg", ""))


def authorization_json(auth: dict[str, Any]) -> dict[str, Any]:
    if auth["type"] == GENERIC_URL:
        return {"@type": GENERIC_URL, "msg": auth["msg"]}
    if auth["type"] == DEPOSIT_URL:
        out: dict[str, Any] = {"@type": DEPOSIT_URL, "spend_limit": auth["spend_limit"], "scopes": auth["scopes"]}
        if auth["spend_limits"]:
            out["spend_limits"] = auth["spend_limits"]
        return out
    return any_to_json(any_pb2.Any(type_url=auth["type"], value=base64.b64decode(auth["raw"])))


class AuthzModule(Module):
    name = "authz"
    order = 100

    # -- keeper --
    def grant(self, kv: View, granter: str, grantee: str, msg_type: str, now_ns: int) -> dict[str, Any] | None:
        g = kv.get(GRANT, grant_key(granter, grantee, msg_type))
        if g is None or (g["expiration_ns"] is not None and g["expiration_ns"] <= now_ns):
            return None
        return g

    def save_grant(self, kv: View, granter: str, grantee: str, g: dict[str, Any]) -> None:
        kv.set(GRANT, grant_key(granter, grantee, msg_type_of(g["auth"])), g)

    def grants_to(self, kv: View, grantee: str, msg_type: str, now_ns: int) -> list[tuple[str, dict[str, Any]]]:
        """(granter, grant) of every live grant to grantee for msg_type (GetGranteeGrantsByMsgType)."""
        out = []
        for key, g in kv.items(GRANT):
            granter, to, url = key.split("/", 2)
            if to == grantee and url == msg_type and (g["expiration_ns"] is None or g["expiration_ns"] > now_ns):
                out.append((granter, g))
        return out

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {
            "/cosmos.authz.v1beta1.MsgGrant": MsgHandler(lambda m: [m.granter], self.exec_grant, self._validate_grant),
            "/cosmos.authz.v1beta1.MsgRevoke": MsgHandler(lambda m: [m.granter], self.exec_revoke,
                                                          self._validate_revoke),
            "/cosmos.authz.v1beta1.MsgExec": MsgHandler(lambda m: [m.grantee], self.exec_exec, self._validate_exec),
        }

    def _validate_grant(self, msg: tx_pb2.MsgGrant) -> None:
        check_address(msg.granter, "granter")
        check_address(msg.grantee, "grantee")
        if msg.granter == msg.grantee:
            raise err(7, "grantee and granter should be different")
        if not msg.grant.HasField("authorization"):
            raise err(4, "unknown authorization type", "missing authorization")
        authorization_from_any(msg.grant.authorization)

    def exec_grant(self, ctx: Ctx, msg: tx_pb2.MsgGrant) -> None:
        auth = authorization_from_any(msg.grant.authorization)
        expiration = None
        if msg.grant.HasField("expiration"):
            expiration = msg.grant.expiration.seconds * 1_000_000_000 + msg.grant.expiration.nanos
            if expiration <= ctx.time_ns:
                raise err(3, "expiration time of authorization should be more than current time")
        url = msg_type_of(auth)
        if url not in ctx.chain.router:
            raise sdk_error(18, f"{url} doesn't exist")
        self.save_grant(ctx.kv, msg.granter, msg.grantee, {"auth": auth, "expiration_ns": expiration})
        ctx.emit("cosmos.authz.v1beta1.EventGrant", ("msg_type_url", f'"{url}"'),
                 ("granter", f'"{msg.granter}"'), ("grantee", f'"{msg.grantee}"'))

    def _validate_revoke(self, msg: tx_pb2.MsgRevoke) -> None:
        check_address(msg.granter, "granter")
        check_address(msg.grantee, "grantee")
        if msg.granter == msg.grantee:
            raise err(7, "grantee and granter should be different")
        if not msg.msg_type_url:
            raise sdk_error(18, "missing msg method name")

    def exec_revoke(self, ctx: Ctx, msg: tx_pb2.MsgRevoke) -> None:
        key = grant_key(msg.granter, msg.grantee, msg.msg_type_url)
        if not ctx.kv.has(GRANT, key):
            raise err(2, "authorization not found", f"authorization for {msg.msg_type_url} not found")
        ctx.kv.delete(GRANT, key)
        ctx.emit("cosmos.authz.v1beta1.EventRevoke", ("msg_type_url", f'"{msg.msg_type_url}"'),
                 ("granter", f'"{msg.granter}"'), ("grantee", f'"{msg.grantee}"'))

    def _validate_exec(self, msg: tx_pb2.MsgExec) -> None:
        check_address(msg.grantee, "grantee")
        if not msg.msgs:
            raise sdk_error(18, "messages cannot be empty")

    def exec_exec(self, ctx: Ctx, msg: tx_pb2.MsgExec) -> Any:
        """Run each inner message as its signer, if a live grant from that signer to the grantee accepts it."""
        results = []
        for packed in msg.msgs:
            try:
                inner = registry.unpack_any(packed)
            except (registry.UnknownTypeUrl, ValueError) as exc:
                raise sdk_error(2, str(exc)) from None
            handler = ctx.chain.router.get(packed.type_url)
            if handler is None:
                raise sdk_error(6, f"unrecognized message type: {packed.type_url}")
            if handler.validate is not None:
                handler.validate(inner)
            signers = handler.signers(inner)
            if len(signers) != 1:
                raise err(9, "authorization can be given to msg with only one signer")
            granter = signers[0]
            if granter != msg.grantee:
                self._accept(ctx, granter, msg.grantee, packed.type_url, inner)
            handler.execute(ctx, inner)
            results.append(b"")
        return tx_pb2.MsgExecResponse(results=results)

    def _accept(self, ctx: Ctx, granter: str, grantee: str, url: str, inner: Any) -> None:
        g = self.grant(ctx.kv, granter, grantee, url, ctx.time_ns)
        if g is None:
            raise err(2, "authorization not found", "failed to get grant with given granter: "
                      f"{granter}, grantee: {grantee} & msgType: {url} ")
        auth = g["auth"]
        if auth["type"] == GENERIC_URL:
            return
        if auth["type"] == DEPOSIT_URL:
            scope = DEPOSIT_SCOPES[inner.id.scope] if 0 <= inner.id.scope < 3 else "invalid"
            if scope not in auth["scopes"]:
                raise module_error("escrow", 15, "unauthorized deposit scope")
            ctx.module("escrow").spend_from_grant(ctx, g, inner.deposit.amount.denom,
                                                  int(inner.deposit.amount.amount or 0), partial=False)
            self.save_grant(ctx.kv, granter, grantee, g)
            return
        raise err(4, "unknown authorization type", f"{auth['type']} cannot be executed by the local node")

    # -- REST --
    def routes(self) -> list[Route]:
        p = "/cosmos/authz/v1beta1/grants"
        return [Route("GET", p, self.q_grants), Route("GET", f"{p}/granter/{{granter}}", self.q_by_granter),
                Route("GET", f"{p}/grantee/{{grantee}}", self.q_by_grantee)]

    @staticmethod
    def _grant_json(g: dict[str, Any]) -> dict[str, Any]:
        exp = g["expiration_ns"]
        return {"authorization": authorization_json(g["auth"]), "expiration": rfc3339(exp) if exp else None}

    def q_grants(self, q: Query) -> dict:
        granter = parse_address(q.str("granter"), "granter address")
        grantee = parse_address(q.str("grantee"), "grantee address")
        url = q.str("msg_type_url")
        if url:
            g = self.chain.root.get(GRANT, grant_key(granter, grantee, url))
            if g is None:
                raise not_found(f"authorization not found for {url} type")
            return {"grants": [self._grant_json(g)], "pagination": None}
        entries = self.chain.root.items(GRANT, f"{granter}/{grantee}/")
        return paged(q, "grants", entries, self._grant_json)

    def _listing(self, q: Query, keep: int, who: str) -> dict:
        entries = []
        for key, g in self.chain.root.items(GRANT):
            granter, grantee, _ = key.split("/", 2)
            if (granter, grantee)[keep] == who:
                entries.append((key, {"granter": granter, "grantee": grantee, **self._grant_json(g)}))
        return paged(q, "grants", entries)

    def q_by_granter(self, q: Query) -> dict:
        return self._listing(q, 0, parse_address(q.path["granter"], "granter address"))

    def q_by_grantee(self, q: Query) -> dict:
        if not q.path["grantee"]:
            raise invalid_argument("empty grantee address")
        return self._listing(q, 1, parse_address(q.path["grantee"], "grantee address"))


MODULE = AuthzModule
