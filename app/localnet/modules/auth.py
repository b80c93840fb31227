"""x/auth: base and module accounts, account numbers and sequences, and their REST queries."""

from __future__ import annotations

import hashlib
from typing import Any

from app.localnet.errors import invalid_argument, not_found
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, Route
from app.localnet.rest import Query, paged
from app.wallet.address import AddressError, bech32_encode, validate_address

BUCKET = "auth.account"
META = "auth.meta"

# Module accounts of an Akash node and their permissions (app/app_config.go maccPerms).
MODULE_PERMISSIONS: dict[str, list[str]] = {
    "fee_collector": [],
    "distribution": [],
    "mint": ["minter"],
    "bonded_tokens_pool": ["burner", "staking"],
    "not_bonded_tokens_pool": ["burner", "staking"],
    "gov": ["burner"],
    "transfer": ["minter", "burner"],
    "bme": ["minter", "burner"],
    "escrow": [],
}


def module_address(name: str) -> str:
    """authtypes.NewModuleAddress: the first 20 bytes of sha256(module name)."""
    return bech32_encode("akash", hashlib.sha256(name.encode()).digest()[:20])


def parse_address(text: str, what: str = "address") -> str:
    """A bech32 account address from a query; InvalidArgument like the SDK's address codec."""
    if not text:
        raise invalid_argument(f"empty {what} string is not allowed")
    try:
        validate_address(text)
    except AddressError as exc:
        raise invalid_argument(f"decoding bech32 failed: {exc}") from None
    return text


class AuthModule(Module):
    name = "auth"
    order = 0

    # -- keeper --
    def get_account(self, kv: View, address: str) -> dict[str, Any] | None:
        return kv.get(BUCKET, address)

    def set_account(self, kv: View, acc: dict[str, Any]) -> None:
        kv.set(BUCKET, acc["address"], acc)

    def ensure_account(self, kv: View, address: str) -> dict[str, Any]:
        """The account, created with the next account number if the address is new (as bank sends do)."""
        acc = self.get_account(kv, address)
        if acc is None:
            acc = {"address": address, "pub_key": "", "account_number": self._next_number(kv), "sequence": 0}
            self.set_account(kv, acc)
        return acc

    def _next_number(self, kv: View) -> int:
        n = int(kv.get(META, "next_account_number") or 0)
        kv.set(META, "next_account_number", n + 1)
        return n

    def module_account_address(self, name: str) -> str:
        return module_address(name)

    def is_module_account(self, kv: View, address: str) -> bool:
        acc = self.get_account(kv, address)
        return bool(acc and acc.get("module"))

    def genesis(self, ctx: Ctx, spec: Any) -> None:
        for name, perms in MODULE_PERMISSIONS.items():
            acc = self.ensure_account(ctx.kv, module_address(name))
            acc.update({"module": name, "permissions": perms})
            self.set_account(ctx.kv, acc)

    # -- REST --
    def routes(self) -> list[Route]:
        p = "/cosmos/auth/v1beta1"
        return [
            Route("GET", f"{p}/accounts/{{address}}", self.q_account),
            Route("GET", f"{p}/accounts", self.q_accounts),
            Route("GET", f"{p}/module_accounts", self.q_module_accounts),
            Route("GET", f"{p}/module_accounts/{{name}}", self.q_module_account),
            Route("GET", f"{p}/params", self.q_params),
            Route("GET", f"{p}/bech32", self.q_bech32),
            Route("GET", f"{p}/address_by_id/{{id}}", self.q_address_by_id),
            Route("GET", f"{p}/account_info/{{address}}", self.q_account_info),
        ]

    def _state(self) -> View:
        return self.chain.root

    def q_account(self, q: Query) -> dict:
        addr = parse_address(q.path["address"])
        acc = self.get_account(self._state(), addr)
        if acc is None:
            raise not_found(f"account {addr} not found")
        return {"account": render_account(acc)}

    def q_account_info(self, q: Query) -> dict:
        addr = parse_address(q.path["address"])
        acc = self.get_account(self._state(), addr)
        if acc is None:
            raise not_found(f"account {addr} not found")
        return {"info": render_base(acc)}

    def q_accounts(self, q: Query) -> dict:
        entries = self._state().items(BUCKET)
        return paged(q, "accounts", entries, render_account)

    def q_module_accounts(self, q: Query) -> dict:
        accs = [render_account(a) for _, a in self._state().items(BUCKET) if a.get("module")]
        return {"accounts": sorted(accs, key=lambda a: a["name"])}

    def q_module_account(self, q: Query) -> dict:
        name = q.path["name"]
        acc = self.get_account(self._state(), module_address(name))
        if acc is None or acc.get("module") != name:
            raise not_found(f"account {name} not found")
        return {"account": render_account(acc)}

    def q_params(self, q: Query) -> dict:
        return {"params": {"max_memo_characters": "256", "tx_sig_limit": "7", "tx_size_cost_per_byte": "10",
                           "sig_verify_cost_ed25519": "590", "sig_verify_cost_secp256k1": "1000"}}

    def q_bech32(self, q: Query) -> dict:
        return {"bech32_prefix": "akash"}

    def q_address_by_id(self, q: Query) -> dict:
        wanted = q.uint("account_id", default=-1) if q.str("account_id") else None
        raw = q.path["id"]
        if wanted is None:
            if not raw.lstrip("-").isdigit():
                raise invalid_argument(f"type mismatch, parameter: id, error: invalid id {raw!r}")
            wanted = int(raw)
        for _, acc in self._state().items(BUCKET):
            if int(acc["account_number"]) == wanted:
                return {"account_address": acc["address"]}
        raise not_found(f"account address not found for account number {wanted}")


def render_base(acc: dict[str, Any]) -> dict[str, Any]:
    pub = {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": acc["pub_key"]} if acc.get("pub_key") else None
    return {"address": acc["address"], "pub_key": pub, "account_number": str(acc["account_number"]),
            "sequence": str(acc["sequence"])}


def render_account(acc: dict[str, Any]) -> dict[str, Any]:
    """The Any an account query returns: BaseAccount, or ModuleAccount{base_account, name, permissions}."""
    if acc.get("module"):
        return {"@type": "/cosmos.auth.v1beta1.ModuleAccount", "base_account": render_base(acc),
                "name": acc["module"], "permissions": list(acc.get("permissions", []))}
    return {"@type": "/cosmos.auth.v1beta1.BaseAccount", **render_base(acc)}


MODULE = AuthModule
