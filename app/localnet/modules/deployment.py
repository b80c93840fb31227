"""akash deployment v1beta4: deployments and groups, their messages and handler rules, params and REST."""

from __future__ import annotations

import base64
from typing import Any

from app.config import DENOM_ACT, DENOM_AKT
from app.localnet.errors import TxError, module_error, sdk_error
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules._deployment_query import DeploymentQueries
from app.localnet.modules._groupspec import GroupSpecError, group_price, spec_from_proto, validate_groups
from app.localnet.modules.bank import check_address
from app.localnet.modules.escrow import validate_deposit

DEPLOYMENT = "deployment.deployment"  # "<owner>/<dseq:020>" -> deployment
GROUP = "deployment.group"  # "<owner>/<dseq:020>/<gseq:010>" -> group
PARAMS = "deployment.params"
DEFAULT_PARAMS = {"min_deposits": [{"denom": DENOM_ACT, "amount": "500000"}, {"denom": DENOM_AKT, "amount": "500000"}]}
HASH_LENGTH = 32


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("deployment", code, desc, msg)


ERR_DEPLOYMENT_EXISTS = (3, "Deployment exists")
ERR_DEPLOYMENT_NOT_FOUND = (4, "Deployment not found")
ERR_DEPLOYMENT_CLOSED = (5, "Deployment closed")
ERR_INVALID_GROUPS = (7, "Invalid groups")
ERR_EMPTY_HASH = (9, "Invalid: empty hash")
ERR_INVALID_HASH = (10, "Invalid: deployment hash")
ERR_GROUP_NOT_FOUND = (14, "Group not found")
ERR_GROUP_CLOSED = (15, "Group already closed")
ERR_GROUP_OPEN = (16, "Group open")
ERR_GROUP_PAUSED = (17, "Group paused")
ERR_INVALID_DEPOSIT = (20, "Deposit invalid")
ERR_INVALID_REQUEST = (2, "Invalid request")
ERR_INVALID_RECLAMATION = (26, "invalid reclamation configuration")


def dkey(owner: str, dseq: int) -> str:
    return f"{owner}/{dseq:020d}"


def gkey(owner: str, dseq: int, gseq: int) -> str:
    return f"{dkey(owner, dseq)}/{gseq:010d}"


def validate_deployment_id(owner: str, dseq: int) -> None:
    check_address(owner, "owner")
    if dseq == 0:
        raise sdk_error(3, "DeploymentID: Invalid Deployment Sequence")


def specs_of(msg: Any) -> list[dict[str, Any]]:
    """The message's GroupSpecs in stored form, validated like ValidateBasic does (ErrInvalidGroups)."""
    try:
        specs = [spec_from_proto(g) for g in msg.groups]
        validate_groups(specs)
    except GroupSpecError as exc:
        raise err(*ERR_INVALID_GROUPS, str(exc)) from None
    return specs


class DeploymentModule(Module, DeploymentQueries):
    name = "deployment"
    order = 120

    # -- keeper --
    def params(self, kv: View) -> dict[str, Any]:
        return kv.get(PARAMS, "params") or DEFAULT_PARAMS

    def get(self, kv: View, owner: str, dseq: int) -> dict[str, Any] | None:
        return kv.get(DEPLOYMENT, dkey(owner, dseq))

    def groups(self, kv: View, owner: str, dseq: int) -> list[dict[str, Any]]:
        return [g for _, g in kv.items(GROUP, dkey(owner, dseq) + "/")]

    def get_group(self, kv: View, owner: str, dseq: int, gseq: int) -> dict[str, Any] | None:
        return kv.get(GROUP, gkey(owner, dseq, gseq))

    def set_group(self, kv: View, g: dict[str, Any]) -> None:
        kv.set(GROUP, gkey(g["owner"], g["dseq"], g["gseq"]), g)

    def genesis(self, ctx: Ctx, spec: Any) -> None:
        ctx.kv.set(PARAMS, "params", DEFAULT_PARAMS)

    def close(self, ctx: Ctx, d: dict[str, Any]) -> None:
        d["state"] = "closed"
        ctx.kv.set(DEPLOYMENT, dkey(d["owner"], d["dseq"]), d)
        ctx.emit("akash.deployment.v1.EventDeploymentClosed", ("owner", d["owner"]), ("dseq", d["dseq"]))

    def on_group_state(self, ctx: Ctx, g: dict[str, Any], state: str) -> None:
        g["state"] = state
        self.set_group(ctx.kv, g)
        event = {"closed": "EventGroupClosed", "paused": "EventGroupPaused", "open": "EventGroupStarted",
                 "insufficient_funds": "EventGroupClosed"}[state]
        ctx.emit(f"akash.deployment.v1.{event}", ("owner", g["owner"]), ("dseq", g["dseq"]), ("gseq", g["gseq"]))

    def on_lease_closed(self, ctx: Ctx, owner: str, dseq: int, gseq: int) -> None:
        """A lease closed by its tenant or provider pauses its group (MsgStartGroup opens a new order)."""
        g = self.get_group(ctx.kv, owner, dseq, gseq)
        if g is not None and g["state"] == "open":
            self.on_group_state(ctx, g, "paused")

    def check_depositable(self, ctx: Ctx, xid: str) -> None:
        owner, _, dseq = xid.partition("/")
        if not dseq.isdigit() or self.get(ctx.kv, owner, int(dseq)) is None:
            raise err(*ERR_DEPLOYMENT_NOT_FOUND, xid)

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        p = "/akash.deployment.v1beta4."
        gid = lambda m: [m.id.owner]  # noqa: E731 - every deployment Msg is signed by id.owner
        return {
            p + "MsgCreateDeployment": MsgHandler(gid, self.exec_create, self._validate_create),
            p + "MsgUpdateDeployment": MsgHandler(gid, self.exec_update, self._validate_update),
            p + "MsgCloseDeployment": MsgHandler(gid, self.exec_close, lambda m: validate_deployment_id(
                m.id.owner, m.id.dseq)),
            p + "MsgCloseGroup": MsgHandler(gid, self.exec_close_group, self._validate_group_id),
            p + "MsgPauseGroup": MsgHandler(gid, self.exec_pause_group, self._validate_group_id),
            p + "MsgStartGroup": MsgHandler(gid, self.exec_start_group, self._validate_group_id),
        }

    def _validate_create(self, msg: Any) -> None:
        validate_deployment_id(msg.id.owner, msg.id.dseq)
        validate_deposit(msg.deposit)
        if not msg.groups:
            raise err(*ERR_INVALID_GROUPS)
        if not msg.hash:
            raise err(*ERR_EMPTY_HASH)
        if len(msg.hash) != HASH_LENGTH:
            raise err(*ERR_INVALID_HASH)
        if msg.HasField("reclamation") and msg.reclamation.min_window.seconds < 0:
            raise err(*ERR_INVALID_RECLAMATION, "min_window must be >= 0")
        specs = specs_of(msg)
        amount = int(msg.deposit.amount.amount or 0)
        for spec in specs:
            denom, _ = group_price(spec)
            if amount and denom != msg.deposit.amount.denom:
                raise err(*ERR_INVALID_DEPOSIT, f"Mismatched denominations ({msg.deposit.amount.denom} != {denom})")

    def exec_create(self, ctx: Ctx, msg: Any) -> None:
        owner, dseq = msg.id.owner, msg.id.dseq
        if self.get(ctx.kv, owner, dseq) is not None:
            raise err(*ERR_DEPLOYMENT_EXISTS)
        deposit = msg.deposit.amount
        if deposit.denom == DENOM_AKT:
            raise err(*ERR_INVALID_DEPOSIT, "AKT deposits are only allowed via AccountDeposit")
        minimum = next((int(c["amount"]) for c in self.params(ctx.kv)["min_deposits"] if c["denom"] == deposit.denom),
                       None)
        if minimum is None:
            raise err(*ERR_INVALID_DEPOSIT, f"invalid deposit denomination {deposit.denom!r}")
        if int(deposit.amount or 0) < minimum:
            raise err(*ERR_INVALID_DEPOSIT, f"deposit {deposit.amount}{deposit.denom} is below the minimum "
                      f"{minimum}{deposit.denom}")
        specs = specs_of(msg)
        for spec in specs:
            if group_price(spec)[0] != DENOM_ACT:
                raise err(*ERR_INVALID_DEPOSIT, f"unsupported denomination {group_price(spec)[0]}")
        reclamation = self._reclamation(ctx, msg)
        d = {"owner": owner, "dseq": dseq, "state": "active", "hash": base64.b64encode(msg.hash).decode(),
             "created_at": ctx.height, "reclamation": reclamation}
        ctx.kv.set(DEPLOYMENT, dkey(owner, dseq), d)
        market = ctx.module("market")
        for i, spec in enumerate(specs, start=1):
            g = {"owner": owner, "dseq": dseq, "gseq": i, "state": "open", "spec": spec, "created_at": ctx.height}
            self.set_group(ctx.kv, g)
            market.create_order(ctx, g, reclamation)
        escrow = ctx.module("escrow")
        depositors = escrow.authorize_deposits(ctx, owner, msg.deposit, "deployment")
        escrow.account_create(ctx, "deployment", f"{owner}/{dseq}", owner, depositors)
        ctx.emit("akash.deployment.v1.EventDeploymentCreated", ("owner", owner), ("dseq", dseq),
                 ("hash", d["hash"]))

    def _reclamation(self, ctx: Ctx, msg: Any) -> dict[str, Any] | None:
        if not msg.HasField("reclamation"):
            return None
        window = msg.reclamation.min_window.seconds
        lo, hi = ctx.module("market").reclamation_bounds(ctx.kv)
        if not lo <= window <= hi:
            raise err(*ERR_INVALID_RECLAMATION, f"min_window {window}s outside [{lo}s, {hi}s]")
        return {"min_window": f"{window}s"}

    def _validate_update(self, msg: Any) -> None:
        validate_deployment_id(msg.id.owner, msg.id.dseq)
        if not msg.hash:
            raise err(*ERR_EMPTY_HASH)
        if len(msg.hash) != HASH_LENGTH:
            raise err(*ERR_INVALID_HASH)

    def _active(self, ctx: Ctx, owner: str, dseq: int) -> dict[str, Any]:
        d = self.get(ctx.kv, owner, dseq)
        if d is None:
            raise err(*ERR_DEPLOYMENT_NOT_FOUND)
        if d["state"] != "active":
            raise err(*ERR_DEPLOYMENT_CLOSED)
        return d

    def exec_update(self, ctx: Ctx, msg: Any) -> None:
        d = self._active(ctx, msg.id.owner, msg.id.dseq)
        new_hash = base64.b64encode(msg.hash).decode()
        if new_hash == d["hash"]:
            raise err(*ERR_INVALID_REQUEST, "deployment hash unchanged: an update needs a new manifest hash")
        d["hash"] = new_hash
        ctx.kv.set(DEPLOYMENT, dkey(d["owner"], d["dseq"]), d)
        ctx.emit("akash.deployment.v1.EventDeploymentUpdated", ("owner", d["owner"]), ("dseq", d["dseq"]),
                 ("hash", new_hash))

    def exec_close(self, ctx: Ctx, msg: Any) -> None:
        self._active(ctx, msg.id.owner, msg.id.dseq)
        # settles, pays the providers, refunds the deposits; the escrow hook closes the deployment
        ctx.module("escrow").account_close(ctx, "deployment", f"{msg.id.owner}/{msg.id.dseq}")

    def _validate_group_id(self, msg: Any) -> None:
        validate_deployment_id(msg.id.owner, msg.id.dseq)
        if msg.id.gseq == 0:
            raise err(13, "Invalid deployment's group ID", "gseq must be at least 1")

    def _group(self, ctx: Ctx, msg: Any) -> dict[str, Any]:
        g = self.get_group(ctx.kv, msg.id.owner, msg.id.dseq, msg.id.gseq)
        if g is None:
            raise err(*ERR_GROUP_NOT_FOUND)
        return g

    def exec_close_group(self, ctx: Ctx, msg: Any) -> None:
        g = self._group(ctx, msg)
        if g["state"] == "closed":
            raise err(*ERR_GROUP_CLOSED)
        self.on_group_state(ctx, g, "closed")
        ctx.module("market").on_group_closed(ctx, g, "closed")

    def exec_pause_group(self, ctx: Ctx, msg: Any) -> None:
        g = self._group(ctx, msg)
        if g["state"] in ("closed", "insufficient_funds"):
            raise err(*ERR_GROUP_CLOSED)
        if g["state"] == "paused":
            raise err(*ERR_GROUP_PAUSED)
        self.on_group_state(ctx, g, "paused")
        ctx.module("market").on_group_closed(ctx, g, "paused")

    def exec_start_group(self, ctx: Ctx, msg: Any) -> None:
        g = self._group(ctx, msg)
        if g["state"] in ("closed", "insufficient_funds"):
            raise err(*ERR_GROUP_CLOSED)
        if g["state"] == "open":
            raise err(*ERR_GROUP_OPEN)
        d = self._active(ctx, msg.id.owner, msg.id.dseq)
        self.on_group_state(ctx, g, "open")
        ctx.module("market").create_order(ctx, g, d.get("reclamation"))

    def routes(self) -> list[Route]:
        return self.deployment_routes()


MODULE = DeploymentModule
