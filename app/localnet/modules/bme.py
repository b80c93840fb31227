"""akash bme v1: MsgMintACT / MsgBurnACT queued, executed at the oracle price (mints at epochs), vault and ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.config import DENOM_ACT, DENOM_AKT
from app.localnet import decmath as dm
from app.localnet.errors import TxError, module_error
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules.auth import module_address
from app.localnet.modules.bank import check_address, check_coins, coins_text, proto_coins
from app.localnet.modules.oracle import price_of
from app.localnet.rest import Query, coin, coins, dec, paged
from app.proto.gen.akash.bme.v1 import msgs_pb2, types_pb2

PENDING, LEDGER, CANCELED, META = "bme.pending", "bme.ledger", "bme.canceled", "bme.meta"
PARAMS = {"circuit_breaker_warn_threshold": 9500, "circuit_breaker_halt_threshold": 9000, "min_epoch_blocks": 10,
          "epoch_blocks_backoff_percent": 10, "mint_spread_bps": 25, "settle_spread_bps": 0,
          "max_endblocker_records": 1000}
MIN_MINT = {DENOM_ACT: 10_000_000}  # 10 ACT: smaller mints are cancelled and refunded, as on mainnet
ROUTES = {(DENOM_AKT, DENOM_ACT), (DENOM_ACT, DENOM_AKT)}
STATUS_NAMES = ["mint_status_unspecified", "mint_status_healthy", "mint_status_warning", "mint_status_halt_cr",
                "mint_status_halt_oracle"]


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("bme", code, desc, msg)


def record_key(denom: str, to_denom: str, height: int, seq: int) -> str:
    return f"{denom}/{to_denom}/{height:020d}/{seq:06d}"


class BmeModule(Module):
    name = "bme"
    order = 60

    # -- keeper --
    def _meta(self, kv: View, key: str, default: Any) -> Any:
        value = kv.get(META, key)
        return default if value is None else value

    def collateral_ratio(self, kv: View, height: int) -> Decimal:
        """CR = (vault AKT - pending AKT) x AKT price / ACT price / ACT supply."""
        bank = self.chain.module("bank")
        vault = bank.balance(kv, module_address("bme"), DENOM_AKT) - self._meta(kv, "pending", {}).get(DENOM_AKT, 0)
        act = bank.supply(kv, DENOM_ACT)
        value = dm.quo(dm.mul(vault, price_of("akt", height)), price_of("act", height))
        return dm.quo(value, act) if act else value

    def status(self, kv: View, height: int) -> str:
        cr_bps = dm.trunc(dm.mul(self.collateral_ratio(kv, height), 10000))
        if cr_bps > PARAMS["circuit_breaker_warn_threshold"]:
            return "mint_status_healthy"
        if cr_bps > PARAMS["circuit_breaker_halt_threshold"]:
            return "mint_status_warning"
        return "mint_status_halt_cr"

    def genesis(self, ctx: Ctx, spec: Any) -> None:
        ctx.module("bank").fund(ctx, module_address("bme"), {DENOM_AKT: 2_000_000_000_000})
        ctx.kv.set(META, "remint_credits", {DENOM_AKT: 2_000_000_000_000})
        ctx.kv.set(META, "next_epoch", PARAMS["min_epoch_blocks"])

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {
            "/akash.bme.v1.MsgMintACT": MsgHandler(lambda m: [m.owner], self.exec_mint, self._validate),
            "/akash.bme.v1.MsgBurnACT": MsgHandler(lambda m: [m.owner], self.exec_burn, self._validate),
            "/akash.bme.v1.MsgBurnMint": MsgHandler(lambda m: [m.owner], self.exec_burn_mint, self._validate),
        }

    def _validate(self, msg: Any) -> None:
        check_address(msg.owner, "owner")
        check_address(msg.to, "to")
        check_coins(proto_coins([msg.coins_to_burn]), "coins to burn")

    def request(self, ctx: Ctx, owner: str, to: str, burn: Any, to_denom: str) -> types_pb2.LedgerRecordID:
        """RequestBurnMint: move the coins into the vault and queue the record."""
        amount = proto_coins([burn]).get(burn.denom, 0)
        if (burn.denom, to_denom) not in ROUTES:
            raise err(4, "invalid denom", f"invalid swap route {burn.denom} -> {to_denom}")
        status = self.status(ctx.kv, ctx.height)
        if status == "mint_status_halt_cr" and burn.denom != DENOM_ACT:
            raise err(9, "circuit breaker active")
        seq_state = self._meta(ctx.kv, "sequence", {"height": 0, "seq": 1})
        seq = seq_state["seq"] if seq_state["height"] == ctx.height else 1
        ctx.kv.set(META, "sequence", {"height": ctx.height, "seq": seq + 1})
        ctx.module("bank").send_to_module(ctx, owner, "bme", {burn.denom: amount})
        pending = self._meta(ctx.kv, "pending", {})
        pending[burn.denom] = pending.get(burn.denom, 0) + amount
        ctx.kv.set(META, "pending", pending)
        ctx.kv.set(PENDING, record_key(burn.denom, to_denom, ctx.height, seq),
                   {"owner": owner, "to": to, "amount": amount, "denom": burn.denom, "to_denom": to_denom})
        ctx.emit("akash.bme.v1.EventLedgerRecordPending", ("owner", f'"{owner}"'),
                 ("coins_to_burn", f'"{amount}{burn.denom}"'), ("denom_to_mint", f'"{to_denom}"'))
        return types_pb2.LedgerRecordID(denom=burn.denom, to_denom=to_denom, source=owner, height=ctx.height,
                                        sequence=seq)

    def exec_mint(self, ctx: Ctx, msg: Any) -> Any:
        rid = self.request(ctx, msg.owner, msg.to, msg.coins_to_burn, DENOM_ACT)
        return msgs_pb2.MsgMintACTResponse(id=rid, status=types_pb2.ledger_record_status_pending)

    def exec_burn(self, ctx: Ctx, msg: Any) -> Any:
        rid = self.request(ctx, msg.owner, msg.to, msg.coins_to_burn, DENOM_AKT)
        return msgs_pb2.MsgBurnACTResponse(id=rid, status=types_pb2.ledger_record_status_pending)

    def exec_burn_mint(self, ctx: Ctx, msg: Any) -> Any:
        rid = self.request(ctx, msg.owner, msg.to, msg.coins_to_burn, msg.denom_to_mint)
        return msgs_pb2.MsgBurnMintResponse(id=rid, status=types_pb2.ledger_record_status_pending)

    # -- end block: ACT -> AKT every block, AKT -> ACT at epochs --
    def end_block(self, ctx: Ctx) -> None:
        self._execute_pending(ctx, f"{DENOM_ACT}/{DENOM_AKT}/")
        next_epoch = int(self._meta(ctx.kv, "next_epoch", PARAMS["min_epoch_blocks"]))
        if ctx.height >= next_epoch:
            ctx.kv.set(META, "next_epoch", ctx.height + PARAMS["min_epoch_blocks"])
            if self.status(ctx.kv, ctx.height) != "mint_status_halt_cr":
                self._execute_pending(ctx, f"{DENOM_AKT}/{DENOM_ACT}/")

    def _execute_pending(self, ctx: Ctx, prefix: str) -> None:
        for key, rec in ctx.kv.items(PENDING, prefix)[: PARAMS["max_endblocker_records"]]:
            ctx.kv.delete(PENDING, key)
            pending = self._meta(ctx.kv, "pending", {})
            pending[rec["denom"]] = pending.get(rec["denom"], 0) - rec["amount"]
            ctx.kv.set(META, "pending", pending)
            self._execute(ctx, key, rec)

    def _execute(self, ctx: Ctx, key: str, rec: dict[str, Any]) -> None:
        bank = ctx.module("bank")
        price_from = price_of(rec["denom"], ctx.height)
        price_to = price_of(rec["to_denom"], ctx.height)
        minted = dm.trunc(dm.mul(rec["amount"], dm.quo(price_from, price_to)))
        minimum = MIN_MINT.get(rec["to_denom"], 1)
        if minted < minimum:
            bank.send_from_module(ctx, "bme", rec["owner"], {rec["denom"]: rec["amount"]})
            reason = "epsilon" if minted == 0 else "unknown"
            ctx.kv.set(CANCELED, key, {**rec, "reason": reason})
            ctx.emit("akash.bme.v1.EventLedgerRecordCanceled", ("owner", f'"{rec["owner"]}"'),
                     ("cancel_reason", f'"{reason}"'),
                     ("coins_to_burn", f'"{rec["amount"]}{rec["denom"]}"'))
            return
        spread_bps = PARAMS["mint_spread_bps"] if rec["denom"] == DENOM_AKT else PARAMS["settle_spread_bps"]
        spread = dm.trunc(dm.quo(dm.mul(minted, spread_bps), 10000))
        credits = self._meta(ctx.kv, "remint_credits", {})
        totals_minted = self._meta(ctx.kv, "total_minted", {})
        totals_burned = self._meta(ctx.kv, "total_burned", {})
        entry: dict[str, Any] = {"burned_from": rec["owner"], "minted_to": rec["to"], "burned": None,
                                 "minted": None, "remint_credit_issued": None, "remint_credit_accrued": None}
        if rec["denom"] == DENOM_AKT:  # AKT stays in the vault as collateral; ACT is minted
            bank.mint(ctx, "bme", {DENOM_ACT: minted})
            credits[DENOM_AKT] = credits.get(DENOM_AKT, 0) + rec["amount"]
            entry["remint_credit_accrued"] = _coin_price(DENOM_AKT, rec["amount"], price_from)
            entry["minted"] = _coin_price(DENOM_ACT, minted, price_to)
            totals_minted[DENOM_ACT] = totals_minted.get(DENOM_ACT, 0) + minted
        else:  # ACT is burned; AKT comes from remint credits (vault), the shortfall is minted
            bank.burn(ctx, "bme", {DENOM_ACT: rec["amount"]})
            totals_burned[DENOM_ACT] = totals_burned.get(DENOM_ACT, 0) + rec["amount"]
            entry["burned"] = _coin_price(DENOM_ACT, rec["amount"], price_from)
            credit = credits.get(DENOM_AKT, 0)
            reminted = min(credit, minted)
            credits[DENOM_AKT] = credit - reminted
            if minted > reminted:
                bank.mint(ctx, "bme", {DENOM_AKT: minted - reminted})
                totals_minted[DENOM_AKT] = totals_minted.get(DENOM_AKT, 0) + minted - reminted
                entry["minted"] = _coin_price(DENOM_AKT, minted - reminted, price_to)
            if reminted:
                entry["remint_credit_issued"] = _coin_price(DENOM_AKT, reminted, price_to)
        bank.send_from_module(ctx, "bme", rec["to"], {rec["to_denom"]: minted - spread})
        ctx.kv.set(META, "remint_credits", credits)
        ctx.kv.set(META, "total_minted", totals_minted)
        ctx.kv.set(META, "total_burned", totals_burned)
        ctx.kv.set(LEDGER, key, entry)
        ctx.emit("akash.bme.v1.EventLedgerRecordExecuted", ("burned_from", f'"{rec["owner"]}"'),
                 ("minted_to", f'"{rec["to"]}"'), ("minted", f'"{coins_text({rec["to_denom"]: minted - spread})}"'))

    # -- REST --
    def routes(self) -> list[Route]:
        p = "/akash/bme/v1"
        return [
            Route("GET", f"{p}/params", lambda q: {"params": {**PARAMS, "min_epoch_blocks":
                                                              str(PARAMS["min_epoch_blocks"])}}),
            Route("GET", f"{p}/status", self.q_status),
            Route("GET", f"{p}/vault", self.q_vault),
            Route("GET", f"{p}/ledger", self.q_ledger),
        ]

    def q_status(self, q: Query) -> dict:
        root, h = self.chain.root, self.chain.height
        status = self.status(root, h)
        return {"status": status, "collateral_ratio": dec(self.collateral_ratio(root, h)),
                "warn_threshold": dec(Decimal(PARAMS["circuit_breaker_warn_threshold"]) / 10000),
                "halt_threshold": dec(Decimal(PARAMS["circuit_breaker_halt_threshold"]) / 10000),
                "mints_allowed": status in ("mint_status_healthy", "mint_status_warning"),
                "refunds_allowed": status != "mint_status_halt_oracle"}

    def q_vault(self, q: Query) -> dict:
        root = self.chain.root
        bank = self.chain.module("bank")
        balances = bank.balances(root, module_address("bme"))
        balances[DENOM_ACT] = bank.supply(root, DENOM_ACT) - balances.get(DENOM_ACT, 0)
        return {"vault_state": {"balances": coins(balances),
                                "total_burned": coins(self._meta(root, "total_burned", {})),
                                "total_minted": coins(self._meta(root, "total_minted", {})),
                                "remint_credits": coins(self._meta(root, "remint_credits", {}))}}

    def q_ledger(self, q: Query) -> dict:
        root = self.chain.root
        want = {k: q.str(f"filters.{k}") for k in ("source", "denom", "to_denom", "status")}
        rows: list[tuple[str, Any]] = []
        for bucket, status in ((PENDING, "ledger_record_status_pending"), (LEDGER, "ledger_record_status_executed"),
                               (CANCELED, "ledger_record_status_canceled")):
            if want["status"] and want["status"] != status:
                continue
            for key, rec in root.items(bucket):
                denom, to_denom, height, seq = key.split("/")
                source = rec.get("owner") or rec.get("burned_from")
                if (want["source"] and source != want["source"]) or (want["denom"] and denom != want["denom"]) \
                        or (want["to_denom"] and to_denom != want["to_denom"]):
                    continue
                rows.append((f"{int(height):020d}/{key}", {
                    "id": {"denom": denom, "to_denom": to_denom, "source": source, "height": str(int(height)),
                           "sequence": str(int(seq))},
                    "status": status,
                    "pending_record": _pending_json(rec) if bucket == PENDING else None,
                    "executed_record": _executed_json(rec) if bucket == LEDGER else None,
                }))
        rows.sort(key=lambda r: r[0])
        return paged(q, "records", rows)


def _coin_price(denom: str, amount: int, price: Decimal) -> dict[str, Any]:
    return {"denom": denom, "amount": amount, "price": dm.text(price)}


def _coin_price_json(cp: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if cp is None else {"coin": coin(cp["denom"], cp["amount"]), "price": dec(cp["price"])}


def _pending_json(rec: dict[str, Any]) -> dict[str, Any]:
    return {"owner": rec["owner"], "to": rec["to"], "coins_to_burn": coin(rec["denom"], rec["amount"]),
            "denom_to_mint": rec["to_denom"]}


def _executed_json(rec: dict[str, Any]) -> dict[str, Any]:
    return {"burned_from": rec["burned_from"], "minted_to": rec["minted_to"], "burner": "bme", "minter": "bme",
            "burned": _coin_price_json(rec["burned"]), "minted": _coin_price_json(rec["minted"]),
            "remint_credit_issued": _coin_price_json(rec["remint_credit_issued"]),
            "remint_credit_accrued": _coin_price_json(rec["remint_credit_accrued"])}


MODULE = BmeModule
