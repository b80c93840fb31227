"""x/bank: balances, supply, sends (uact send-disabled as on mainnet), denom metadata, and their queries."""

from __future__ import annotations

import re
from typing import Any

from app.config import DENOM_ACT
from app.localnet.errors import invalid_argument, module_error, not_found, sdk_error
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules.auth import module_address, parse_address
from app.localnet.rest import Query, coin, paged
from app.proto.gen.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.wallet.address import AddressError, validate_address

BALANCE = "bank.balance"
SUPPLY = "bank.supply"
DENOM_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$")
SEND_DISABLED = {DENOM_ACT}  # SetSendEnabled(uact, false) in the v2.0.0 upgrade

METADATA = [
    {
        "description": "Akash Compute Token",
        "denom_units": [
            {"denom": "uact", "exponent": 0, "aliases": ["microact"]},
            {"denom": "mact", "exponent": 3, "aliases": ["milliact"]},
            {"denom": "act", "exponent": 6, "aliases": []},
        ],
        "base": "uact", "display": "uact", "name": "Akash Compute Token", "symbol": "ACT",
        "uri": "", "uri_hash": "",
    },
    {
        "description": "Akash Network Token",
        "denom_units": [
            {"denom": "uakt", "exponent": 0, "aliases": ["microakt"]},
            {"denom": "makt", "exponent": 3, "aliases": ["milliakt"]},
            {"denom": "akt", "exponent": 6, "aliases": []},
        ],
        "base": "uakt", "display": "akt", "name": "Akash Network Token", "symbol": "AKT",
        "uri": "", "uri_hash": "",
    },
]


def coins_text(coins: dict[str, int]) -> str:
    return ",".join(f"{a}{d}" for d, a in sorted(coins.items()) if a)


def check_coins(coins: dict[str, int], what: str = "amount") -> None:
    if not coins or any(a <= 0 for a in coins.values()):
        raise sdk_error(10, f"{what} must be positive: {coins_text(coins) or 'empty'}")
    for d in coins:
        if not DENOM_RE.match(d):
            raise sdk_error(10, f"invalid denom: {d}")


def proto_coins(items: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in items:
        if not c.amount.lstrip("-").isdigit():
            raise sdk_error(10, f"invalid coin amount {c.amount!r}")
        out[c.denom] = out.get(c.denom, 0) + int(c.amount)
    return out


def check_address(text: str, what: str) -> None:
    try:
        validate_address(text)
    except AddressError as exc:
        raise sdk_error(7, f"invalid {what} address: {exc}") from None


class BankModule(Module):
    name = "bank"
    order = 10

    # -- keeper --
    def balance(self, kv: View, address: str, denom: str) -> int:
        return int(kv.get(BALANCE, f"{address}/{denom}") or 0)

    def balances(self, kv: View, address: str) -> dict[str, int]:
        return {k.split("/", 1)[1]: int(v) for k, v in kv.items(BALANCE, address + "/") if int(v)}

    def supply(self, kv: View, denom: str) -> int:
        return int(kv.get(SUPPLY, denom) or 0)

    def _set_balance(self, kv: View, address: str, denom: str, amount: int) -> None:
        if amount:
            kv.set(BALANCE, f"{address}/{denom}", amount)
        else:
            kv.delete(BALANCE, f"{address}/{denom}")

    def _sub(self, ctx: Ctx, address: str, coins: dict[str, int]) -> None:
        for denom, amount in sorted(coins.items()):
            have = self.balance(ctx.kv, address, denom)
            if have < amount:
                raise sdk_error(5, f"spendable balance {have}{denom} is smaller than {amount}{denom}")
            self._set_balance(ctx.kv, address, denom, have - amount)
        ctx.emit("coin_spent", ("spender", address), ("amount", coins_text(coins)))

    def _add(self, ctx: Ctx, address: str, coins: dict[str, int]) -> None:
        for denom, amount in sorted(coins.items()):
            self._set_balance(ctx.kv, address, denom, self.balance(ctx.kv, address, denom) + amount)
        ctx.emit("coin_received", ("receiver", address), ("amount", coins_text(coins)))

    def send(self, ctx: Ctx, sender: str, recipient: str, coins: dict[str, int]) -> None:
        """SendCoins: move coins, create the recipient account if new, emit the SDK's events."""
        coins = {d: a for d, a in coins.items() if a}
        if not coins:
            return
        self._sub(ctx, sender, coins)
        ctx.module("auth").ensure_account(ctx.kv, recipient)
        self._add(ctx, recipient, coins)
        ctx.emit("transfer", ("recipient", recipient), ("sender", sender), ("amount", coins_text(coins)))
        ctx.emit("message", ("sender", sender))

    def send_to_module(self, ctx: Ctx, sender: str, module: str, coins: dict[str, int]) -> None:
        self.send(ctx, sender, module_address(module), coins)

    def send_from_module(self, ctx: Ctx, module: str, recipient: str, coins: dict[str, int]) -> None:
        self.send(ctx, module_address(module), recipient, coins)

    def mint(self, ctx: Ctx, module: str, coins: dict[str, int]) -> None:
        addr = module_address(module)
        coins = {d: a for d, a in coins.items() if a}
        if not coins:
            return
        self._add(ctx, addr, coins)
        for d, a in coins.items():
            ctx.kv.set(SUPPLY, d, self.supply(ctx.kv, d) + a)
        ctx.emit("coinbase", ("minter", addr), ("amount", coins_text(coins)))

    def burn(self, ctx: Ctx, module: str, coins: dict[str, int]) -> None:
        addr = module_address(module)
        coins = {d: a for d, a in coins.items() if a}
        if not coins:
            return
        self._sub(ctx, addr, coins)
        for d, a in coins.items():
            ctx.kv.set(SUPPLY, d, self.supply(ctx.kv, d) - a)
        ctx.emit("burn", ("burner", addr), ("amount", coins_text(coins)))

    def fund(self, ctx: Ctx, address: str, coins: dict[str, int]) -> None:
        """Create coins for an address (genesis allocations and the local faucet)."""
        ctx.module("auth").ensure_account(ctx.kv, address)
        self.mint(ctx, "mint", coins)
        self.send_from_module(ctx, "mint", address, coins)

    def genesis(self, ctx: Ctx, spec: Any) -> None:
        for address, coins in spec.balances:
            self.fund(ctx, address, coins)

    def is_send_enabled(self, denom: str) -> bool:
        return denom not in SEND_DISABLED

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {
            "/cosmos.bank.v1beta1.MsgSend": MsgHandler(lambda m: [m.from_address], self.exec_send,
                                                       self.validate_send),
            "/cosmos.bank.v1beta1.MsgMultiSend": MsgHandler(lambda m: [i.address for i in m.inputs][:1],
                                                            self.exec_multi_send, self.validate_multi_send),
        }

    def validate_send(self, msg: bank_tx.MsgSend) -> None:
        check_address(msg.from_address, "from")
        check_address(msg.to_address, "to")
        check_coins(proto_coins(msg.amount))

    def _check_send(self, ctx: Ctx, recipient: str, coins: dict[str, int]) -> None:
        for denom in sorted(coins):
            if not self.is_send_enabled(denom):
                raise module_error("bank", 5, "send transactions are disabled",
                                   f"{denom} transfers are currently disabled")
        if ctx.module("auth").is_module_account(ctx.kv, recipient):
            raise sdk_error(4, f"{recipient} is not allowed to receive funds")

    def exec_send(self, ctx: Ctx, msg: bank_tx.MsgSend) -> None:
        coins = proto_coins(msg.amount)
        self._check_send(ctx, msg.to_address, coins)
        self.send(ctx, msg.from_address, msg.to_address, coins)

    def validate_multi_send(self, msg: bank_tx.MsgMultiSend) -> None:
        if len(msg.inputs) != 1:
            raise module_error("bank", 10, "multiple senders not allowed")
        if not msg.outputs:
            raise module_error("bank", 3, "no outputs to send transaction")
        total_in = proto_coins(msg.inputs[0].coins)
        total_out: dict[str, int] = {}
        for o in msg.outputs:
            check_address(o.address, "output")
            for d, a in proto_coins(o.coins).items():
                total_out[d] = total_out.get(d, 0) + a
        check_address(msg.inputs[0].address, "input")
        check_coins(total_in)
        if total_in != total_out:
            raise module_error("bank", 4, "sum inputs != sum outputs")

    def exec_multi_send(self, ctx: Ctx, msg: bank_tx.MsgMultiSend) -> None:
        sender = msg.inputs[0].address
        for o in msg.outputs:
            self._check_send(ctx, o.address, proto_coins(o.coins))
        self._sub(ctx, sender, proto_coins(msg.inputs[0].coins))
        ctx.emit("message", ("sender", sender))
        for o in msg.outputs:
            coins = proto_coins(o.coins)
            ctx.module("auth").ensure_account(ctx.kv, o.address)
            self._add(ctx, o.address, coins)
            ctx.emit("transfer", ("recipient", o.address), ("amount", coins_text(coins)))

    # -- REST --
    def routes(self) -> list[Route]:
        p = "/cosmos/bank/v1beta1"
        return [
            Route("GET", f"{p}/balances/{{address}}", self.q_balances),
            Route("GET", f"{p}/balances/{{address}}/by_denom", self.q_balance),
            Route("GET", f"{p}/spendable_balances/{{address}}", self.q_balances),
            Route("GET", f"{p}/spendable_balances/{{address}}/by_denom", self.q_balance),
            Route("GET", f"{p}/supply", self.q_supply),
            Route("GET", f"{p}/supply/by_denom", self.q_supply_of),
            Route("GET", f"{p}/params", self.q_params),
            Route("GET", f"{p}/send_enabled", self.q_send_enabled),
            Route("GET", f"{p}/denoms_metadata", self.q_metadata_all),
            Route("GET", f"{p}/denoms_metadata_by_query_string", self.q_metadata_query),
            Route("GET", f"{p}/denoms_metadata/{{denom:.+}}", self.q_metadata),
            Route("GET", f"{p}/denom_owners/{{denom:.+}}", self.q_denom_owners),
            Route("GET", f"{p}/denom_owners_by_query", self.q_denom_owners_query),
        ]

    def _denom(self, text: str) -> str:
        if not DENOM_RE.match(text):
            raise invalid_argument(f"invalid denom: {text}")
        return text

    def q_balances(self, q: Query) -> dict:
        addr = parse_address(q.path["address"])
        entries = [(k.split("/", 1)[1], coin(k.split("/", 1)[1], int(v)))
                   for k, v in self.chain.root.items(BALANCE, addr + "/")]
        return paged(q, "balances", entries)

    def q_balance(self, q: Query) -> dict:
        addr = parse_address(q.path["address"])
        denom = self._denom(q.str("denom"))
        return {"balance": coin(denom, self.balance(self.chain.root, addr, denom))}

    def q_supply(self, q: Query) -> dict:
        entries = [(d, coin(d, int(v))) for d, v in self.chain.root.items(SUPPLY) if int(v)]
        return paged(q, "supply", entries)

    def q_supply_of(self, q: Query) -> dict:
        denom = self._denom(q.str("denom"))
        return {"amount": coin(denom, self.supply(self.chain.root, denom))}

    def q_params(self, q: Query) -> dict:
        return {"params": {"send_enabled": [], "default_send_enabled": True}}

    def q_send_enabled(self, q: Query) -> dict:
        known = {d: self.is_send_enabled(d) for d in sorted(SEND_DISABLED)}
        denoms = q.list("denoms")
        if denoms:
            return {"send_enabled": [{"denom": d, "enabled": known[d]} for d in denoms if d in known],
                    "pagination": None}
        return paged(q, "send_enabled", [(d, {"denom": d, "enabled": e}) for d, e in known.items()])

    def q_metadata_all(self, q: Query) -> dict:
        return paged(q, "metadatas", [(m["base"], m) for m in METADATA])

    def _metadata(self, denom: str) -> dict:
        for m in METADATA:
            if m["base"] == denom:
                return {"metadata": m}
        raise not_found(f"client metadata for denom {denom}")

    def q_metadata(self, q: Query) -> dict:
        return self._metadata(self._denom(q.path["denom"]))

    def q_metadata_query(self, q: Query) -> dict:
        return self._metadata(self._denom(q.str("denom")))

    def _owners(self, q: Query, denom: str) -> dict:
        entries = sorted(
            (k.split("/", 1)[0], {"address": k.split("/", 1)[0], "balance": coin(denom, int(v))})
            for k, v in self.chain.root.items(BALANCE) if k.endswith("/" + denom) and int(v)
        )
        return paged(q, "denom_owners", entries)

    def q_denom_owners(self, q: Query) -> dict:
        return self._owners(q, self._denom(q.path["denom"]))

    def q_denom_owners_query(self, q: Query) -> dict:
        return self._owners(q, self._denom(q.str("denom")))


MODULE = BankModule

