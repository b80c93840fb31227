"""akash escrow v1: deployment and bid accounts, lease payments, lazy settlement and overdraw, deposits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.localnet.decmath import D, text, trunc
from app.localnet.errors import TxError, module_error, sdk_error
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules._escrow_query import EscrowQueries
from app.localnet.modules.authz import DEPOSIT_MSG
from app.localnet.modules.bank import check_address

ACCOUNT = "escrow.account"  # "<scope>/<xid>" -> account state
PAYMENT = "escrow.payment"  # "<scope>/<account xid>/<payment xid>" -> payment state
SCOPES = ["invalid", "deployment", "bid"]
SOURCES = ["invalid", "balance", "grant"]
ZERO = Decimal(0)


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("escrow", code, desc, msg)


ERR_ACCOUNT_EXISTS = (1, "account exists")
ERR_ACCOUNT_CLOSED = (2, "account closed")
ERR_ACCOUNT_NOT_FOUND = (3, "account not found")
ERR_ACCOUNT_OVERDRAWN = (4, "account overdrawn")
ERR_INVALID_DENOM = (5, "invalid denomination")
ERR_PAYMENT_EXISTS = (6, "payment exists")
ERR_PAYMENT_CLOSED = (7, "payment closed")
ERR_PAYMENT_NOT_FOUND = (8, "payment not found")
ERR_RATE_ZERO = (9, "payment rate zero")
ERR_INVALID_DEPOSIT = (16, "invalid deposit")


def account_key(scope: str, xid: str) -> str:
    return f"{scope}/{xid}"


def payment_key(scope: str, axid: str, pxid: str) -> str:
    return f"{scope}/{axid}/{pxid}"


def _coin(denom: str, amount: Decimal) -> dict[str, str]:
    return {"denom": denom, "amount": text(amount)}


def validate_deposit(deposit: Any, what: str = "deposit") -> None:
    """Deposit.Validate: a valid non-negative amount, at least one source, each known, no duplicates."""
    amount = deposit.amount.amount or "0"
    if not amount.isdigit():
        raise sdk_error(10, f"invalid {what} amount {amount!r}")
    if deposit.amount.denom == "" and int(amount):
        raise sdk_error(10, f"invalid {what} denom")
    sources = list(deposit.sources)
    if not sources:
        raise err(*ERR_INVALID_DEPOSIT, f"{what}: no deposit sources")
    if len(set(sources)) != len(sources):
        raise err(*ERR_INVALID_DEPOSIT, f"{what}: duplicate deposit source")
    if any(s not in (1, 2) for s in sources):
        raise err(*ERR_INVALID_DEPOSIT, f"{what}: invalid deposit source")


class EscrowModule(Module, EscrowQueries):
    name = "escrow"
    order = 110

    # -- storage --
    def get_account(self, kv: View, scope: str, xid: str) -> dict[str, Any] | None:
        return kv.get(ACCOUNT, account_key(scope, xid))

    def _account(self, kv: View, scope: str, xid: str) -> dict[str, Any]:
        acc = self.get_account(kv, scope, xid)
        if acc is None:
            raise err(*ERR_ACCOUNT_NOT_FOUND)
        return acc

    def get_payment(self, kv: View, scope: str, axid: str, pxid: str) -> dict[str, Any] | None:
        return kv.get(PAYMENT, payment_key(scope, axid, pxid))

    def account_payments(self, kv: View, acc: dict[str, Any], states: tuple[str, ...]) -> list[dict[str, Any]]:
        """The account's payments in the given states, states in the order given (as the keeper iterates)."""
        rows = [p for _, p in kv.items(PAYMENT, f"{acc['scope']}/{acc['xid']}/")]
        return [p for s in states for p in rows if p["state"] == s]

    # -- deposits --
    def authorize_deposits(self, ctx: Ctx, signer: str, deposit: Any, scope: str) -> list[dict[str, Any]]:
        """AuthorizeDeposits: take the amount from the sources in order (balance, then grants)."""
        denom = deposit.amount.denom
        remainder = int(deposit.amount.amount or 0)
        depositors: list[dict[str, Any]] = []
        bank, authz = ctx.module("bank"), ctx.module("authz")
        for source in deposit.sources:
            if remainder == 0:
                break
            if source == 1:
                take = min(bank.balance(ctx.kv, signer, denom), remainder)
                if take > 0:
                    depositors.append(self._depositor(signer, ctx.height, "balance", denom, take))
                    remainder -= take
            elif source == 2:
                for granter, g in authz.grants_to(ctx.kv, signer, DEPOSIT_MSG, ctx.time_ns):
                    if remainder == 0:
                        break
                    if g["auth"]["type"] != "/akash.escrow.v1.DepositAuthorization" or scope not in g["auth"]["scopes"]:
                        continue
                    take = self.spend_from_grant(ctx, g, denom, remainder, partial=True)
                    if take > 0:
                        authz.save_grant(ctx.kv, granter, signer, g)
                        depositors.append(self._depositor(granter, ctx.height, "grant", denom, take))
                        remainder -= take
        if remainder:
            raise TxError("market", 28, "deposit invalid: insufficient balance")
        return depositors

    @staticmethod
    def _depositor(owner: str, height: int, source: str, denom: str, amount: int) -> dict[str, Any]:
        return {"owner": owner, "height": height, "source": source, "balance": _coin(denom, D(amount))}

    @staticmethod
    def spend_from_grant(ctx: Ctx, g: dict[str, Any], denom: str, amount: int, partial: bool) -> int:
        """DepositAuthorization.TryAccept: spend up to its limit for denom (all of amount unless partial)."""
        auth = g["auth"]
        limits = [c for c in auth["spend_limits"] if c["denom"] == denom]
        limit = limits[0] if limits else (auth["spend_limit"] if auth["spend_limit"]["denom"] == denom else None)
        if limit is None:
            return 0
        have = int(limit["amount"])
        if have < amount and not partial:
            raise sdk_error(5, f"grant spend limit {have}{denom} is smaller than {amount}{denom}")
        take = min(have, amount)
        limit["amount"] = str(have - take)
        return take

    def _restore_grant(self, ctx: Ctx, grantee: str, granter: str, denom: str, amount: int) -> None:
        """A refunded grant deposit goes back into the grant's spend limit, if the grant still exists."""
        authz = ctx.module("authz")
        g = authz.grant(ctx.kv, granter, grantee, DEPOSIT_MSG, ctx.time_ns)
        if g is None or g["auth"]["type"] != "/akash.escrow.v1.DepositAuthorization":
            return
        auth = g["auth"]
        limits = [c for c in auth["spend_limits"] if c["denom"] == denom]
        limit = limits[0] if limits else auth["spend_limit"]
        if limit["denom"] != denom:
            return
        limit["amount"] = str(int(limit["amount"]) + amount)
        authz.save_grant(ctx.kv, granter, grantee, g)

    def _fetch_deposits(self, ctx: Ctx, acc: dict[str, Any], depositors: list[dict[str, Any]]) -> None:
        """Move the deposited coins into the escrow module account and credit the account's funds."""
        bank = ctx.module("bank")
        for d in depositors:
            denom = d["balance"]["denom"]
            funds = self._entry(acc["funds"], denom)
            if funds is None:  # a top-up in another denom (uakt) is kept as its own fund
                acc["funds"].append(funds := _coin(denom, ZERO))
                acc["transferred"].append(_coin(denom, ZERO))
            if D(funds["amount"]) < 0:
                funds["amount"] = text(ZERO)
            bank.send_to_module(ctx, d["owner"], "escrow", {denom: trunc(D(d["balance"]["amount"]))})
            funds["amount"] = text(D(funds["amount"]) + D(d["balance"]["amount"]))
        acc["deposits"].extend(depositors)

    @staticmethod
    def _entry(items: list[dict[str, str]], denom: str) -> dict[str, str] | None:
        return next((c for c in items if c["denom"] == denom), None)

    # -- accounts --
    def account_create(self, ctx: Ctx, scope: str, xid: str, owner: str, depositors: list[dict[str, Any]]) -> None:
        if self.get_account(ctx.kv, scope, xid) is not None:
            raise err(*ERR_ACCOUNT_EXISTS)
        denoms = sorted({d["balance"]["denom"] for d in depositors})
        acc = {"scope": scope, "xid": xid, "owner": owner, "state": "open",
               "transferred": [_coin(d, ZERO) for d in denoms], "settled_at": ctx.height,
               "funds": [_coin(d, ZERO) for d in denoms], "deposits": []}
        self._fetch_deposits(ctx, acc, depositors)
        self._save_account(ctx, acc)

    def account_deposit(self, ctx: Ctx, scope: str, xid: str, depositors: list[dict[str, Any]]) -> None:
        acc = self._account(ctx.kv, scope, xid)
        if acc["state"] == "closed":
            raise err(*ERR_ACCOUNT_CLOSED)
        self._fetch_deposits(ctx, acc, depositors)
        if acc["state"] == "overdrawn":
            payments, overdrawn = self._settle(ctx, acc)
            for p in payments:
                if p["state"] == "open":
                    p["state"] = "closed"
                self._withdraw(ctx, p)
            if not overdrawn:
                acc["state"] = "closed"
            self._save(ctx, acc, payments)
        else:
            self._save_account(ctx, acc)

    def account_settle(self, ctx: Ctx, scope: str, xid: str) -> bool:
        acc = self._account(ctx.kv, scope, xid)
        payments, overdrawn = self._settle(ctx, acc)
        self._save(ctx, acc, payments)
        return overdrawn

    def account_close(self, ctx: Ctx, scope: str, xid: str) -> None:
        acc = self._account(ctx.kv, scope, xid)
        if acc["state"] == "closed":
            raise err(*ERR_ACCOUNT_CLOSED)
        payments, _ = self._settle(ctx, acc)
        if acc["state"] == "open":
            acc["state"] = "closed"
        for p in payments:
            if p["state"] == "open":
                p["state"] = "closed"
            self._withdraw(ctx, p)
        self._save(ctx, acc, payments)

    # -- payments --
    def payment_create(self, ctx: Ctx, scope: str, axid: str, pxid: str, owner: str, denom: str,
                       rate: Decimal) -> None:
        acc = self._account(ctx.kv, scope, axid)
        payments, overdrawn = self._settle(ctx, acc)
        if overdrawn:
            self._save(ctx, acc, payments)
            raise err(*ERR_ACCOUNT_OVERDRAWN)
        if self._entry(acc["funds"], denom) is None:
            raise err(*ERR_INVALID_DENOM)
        if rate <= 0:
            raise err(*ERR_RATE_ZERO)
        if self.get_payment(ctx.kv, scope, axid, pxid) is not None:
            raise err(*ERR_PAYMENT_EXISTS)
        self._save(ctx, acc, payments)
        ctx.kv.set(PAYMENT, payment_key(scope, axid, pxid), {
            "aid": {"scope": scope, "xid": axid}, "xid": pxid, "owner": owner, "state": "open",
            "rate": _coin(denom, rate), "balance": _coin(denom, ZERO), "unsettled": _coin(denom, ZERO),
            "withdrawn": {"denom": denom, "amount": "0"}})

    def payment_withdraw(self, ctx: Ctx, scope: str, axid: str, pxid: str) -> None:
        acc = self._account(ctx.kv, scope, axid)
        pay = self.get_payment(ctx.kv, scope, axid, pxid)
        if pay is None:
            raise err(*ERR_PAYMENT_NOT_FOUND)
        if pay["state"] != "open":
            raise err(*ERR_PAYMENT_CLOSED)
        payments, overdrawn = self._settle(ctx, acc)
        if not overdrawn:
            mine = next((p for p in payments if p["xid"] == pxid), None)
            if mine is not None:
                self._withdraw(ctx, mine)
        self._save(ctx, acc, payments)

    def payment_close(self, ctx: Ctx, scope: str, axid: str, pxid: str) -> None:
        acc = self._account(ctx.kv, scope, axid)
        pay = self.get_payment(ctx.kv, scope, axid, pxid)
        if pay is None:
            raise err(*ERR_PAYMENT_NOT_FOUND)
        if pay["state"] == "closed":
            raise err(*ERR_PAYMENT_CLOSED)
        payments, _ = self._settle(ctx, acc)
        for p in payments:
            if p["xid"] == pxid:
                if p["state"] == "open":
                    p["state"] = "closed"
                self._withdraw(ctx, p)
        self._save(ctx, acc, payments)

    # -- settlement (x/escrow keeper accountSettle, accountSettleFullBlocks, deductFromBalance) --
    def _settle(self, ctx: Ctx, acc: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        if acc["state"] == "closed":
            raise err(*ERR_ACCOUNT_CLOSED)
        if acc["funds"] and D(acc["funds"][0]["amount"]) < 0:
            return [], True
        delta = 0
        if acc["state"] != "overdrawn":
            delta = ctx.height - int(acc["settled_at"])
            acc["settled_at"] = ctx.height
        states = ("overdrawn", "open") if delta else ("overdrawn",)
        payments = self.account_payments(ctx.kv, acc, states)
        if not payments:
            return [], False
        overdrawn = False
        transfers = []
        for p in payments:
            if p["state"] == "overdrawn":
                transfers.append(D(p["unsettled"]["amount"]))
                p["unsettled"]["amount"] = text(ZERO)
            else:
                transfers.append(Decimal(trunc(D(p["rate"]["amount"]) * delta)))
        for p, owed in zip(payments, transfers, strict=True):
            settled, short = self._deduct(acc, p["rate"]["denom"], owed)
            if settled > 0:
                p["balance"]["amount"] = text(D(p["balance"]["amount"]) + settled)
            if short:
                overdrawn = True
                p["state"] = "overdrawn"
                p["unsettled"]["amount"] = text(D(p["unsettled"]["amount"]) + owed - settled)
            else:
                p["state"] = "open"
        if overdrawn:
            acc["state"] = "overdrawn"
            for p in payments:
                p["state"] = "overdrawn"
                self._withdraw(ctx, p)
        return payments, overdrawn

    def _deduct(self, acc: dict[str, Any], denom: str, amount: Decimal) -> tuple[Decimal, bool]:
        """Take amount from the deposits of denom in order; the rest (if any) makes funds negative."""
        funds = self._entry(acc["funds"], denom)
        moved = self._entry(acc["transferred"], denom)
        if funds is None or moved is None:
            raise err(*ERR_INVALID_DENOM, f"unknown denom {denom}")
        remaining, withdrew = amount, ZERO
        for d in acc["deposits"]:
            if remaining == 0:
                break
            if d["balance"]["denom"] != denom:
                continue
            take = min(D(d["balance"]["amount"]), remaining)
            d["balance"]["amount"] = text(D(d["balance"]["amount"]) - take)
            remaining -= take
            withdrew += take
        acc["deposits"] = [d for d in acc["deposits"] if D(d["balance"]["amount"]) != 0]
        moved["amount"] = text(D(moved["amount"]) + withdrew)
        funds["amount"] = text(D(funds["amount"]) - withdrew - remaining)
        return withdrew, remaining > 0

    def _withdraw(self, ctx: Ctx, p: dict[str, Any]) -> None:
        """Pay the settled balance (whole units) to the provider; the take module is gone since v2.0.0."""
        earned = trunc(D(p["balance"]["amount"]))
        if earned <= 0:
            return
        ctx.module("bank").send_from_module(ctx, "escrow", p["owner"], {p["balance"]["denom"]: earned})
        p["withdrawn"]["amount"] = str(int(p["withdrawn"]["amount"]) + earned)
        p["balance"]["amount"] = text(D(p["balance"]["amount"]) - earned)

    # -- saving and hooks --
    def _save(self, ctx: Ctx, acc: dict[str, Any], payments: list[dict[str, Any]]) -> None:
        self._save_account(ctx, acc)
        for p in payments:
            self._save_payment(ctx, p)

    def _save_account(self, ctx: Ctx, acc: dict[str, Any]) -> None:
        if acc["state"] in ("closed", "overdrawn"):
            self._refund(ctx, acc)
        ctx.kv.set(ACCOUNT, account_key(acc["scope"], acc["xid"]), acc)
        if acc["state"] in ("closed", "overdrawn"):
            ctx.module("market").on_escrow_account_closed(ctx, acc)

    def _refund(self, ctx: Ctx, acc: dict[str, Any]) -> None:
        """What is left of each deposit goes back to whoever deposited it (a grant gets its limit back)."""
        bank = ctx.module("bank")
        for d in acc["deposits"]:
            amount = trunc(D(d["balance"]["amount"]))
            if amount <= 0:
                continue
            denom = d["balance"]["denom"]
            bank.send_from_module(ctx, "escrow", d["owner"], {denom: amount})
            if d["source"] == "grant":
                self._restore_grant(ctx, acc["owner"], d["owner"], denom, amount)
            funds = self._entry(acc["funds"], denom)
            if funds is not None:
                funds["amount"] = text(D(funds["amount"]) - amount)
        acc["deposits"] = []

    def _save_payment(self, ctx: Ctx, p: dict[str, Any]) -> None:
        ctx.kv.set(PAYMENT, payment_key(p["aid"]["scope"], p["aid"]["xid"], p["xid"]), p)
        if p["state"] in ("closed", "overdrawn"):
            ctx.module("market").on_escrow_payment_closed(ctx, p)

    # -- MsgAccountDeposit --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {DEPOSIT_MSG: MsgHandler(lambda m: [m.signer], self.exec_deposit, self._validate_deposit)}

    def _validate_deposit(self, msg: Any) -> None:
        check_address(msg.signer, "signer")
        if msg.id.scope not in (1, 2) or not msg.id.xid:
            raise err(12, "invalid ID", "escrow account id needs a scope (deployment or bid) and an xid")
        validate_deposit(msg.deposit)
        if int(msg.deposit.amount.amount or 0) <= 0:
            raise sdk_error(10, "deposit amount must be positive")

    def exec_deposit(self, ctx: Ctx, msg: Any) -> None:
        scope = SCOPES[msg.id.scope]
        acc = self._account(ctx.kv, scope, msg.id.xid)
        if acc["state"] == "closed":
            raise err(*ERR_ACCOUNT_CLOSED)
        if scope == "deployment":
            ctx.module("deployment").check_depositable(ctx, msg.id.xid)
        depositors = self.authorize_deposits(ctx, msg.signer, msg.deposit, scope)
        self.account_deposit(ctx, scope, msg.id.xid, depositors)
        ctx.emit("akash.escrow.v1.EventAccountDeposit", ("id", f"{scope}/{msg.id.xid}"),
                 ("amount", f"{msg.deposit.amount.amount}{msg.deposit.amount.denom}"))

    def routes(self) -> list[Route]:
        return self.escrow_routes()


MODULE = EscrowModule
