"""REST queries of x/staking (/cosmos/staking/v1beta1/...), answered in the gateway's JSON shapes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.localnet import decmath as dm
from app.localnet.errors import invalid_argument, not_found
from app.localnet.module import Route
from app.localnet.modules.auth import parse_address
from app.localnet.rest import Query, coin, dec, duration, paged, rfc3339
from app.wallet.address import AddressError, validate_address

if TYPE_CHECKING:
    from app.localnet.modules.staking import StakingModule

DENOM = "uakt"
rfc = rfc3339


def parse_valoper(text: str) -> str:
    if not text:
        raise invalid_argument("empty validator address")
    try:
        validate_address(text, "akashvaloper")
    except AddressError as exc:
        raise invalid_argument(f"invalid validator address: {exc}") from None
    return text


def render_validator(v: dict[str, Any]) -> dict[str, Any]:
    c = v["commission"]
    return {
        "operator_address": v["operator_address"],
        "consensus_pubkey": {"@type": "/cosmos.crypto.ed25519.PubKey", "key": v["consensus_pubkey"]},
        "jailed": v["jailed"],
        "status": v["status"],
        "tokens": str(v["tokens"]),
        "delegator_shares": dec(v["delegator_shares"]),
        "description": dict(v["description"]),
        "unbonding_height": str(v["unbonding_height"]),
        "unbonding_time": rfc3339(int(v["unbonding_time_ns"])),
        "commission": {
            "commission_rates": {"rate": dec(c["rate"]), "max_rate": dec(c["max_rate"]),
                                 "max_change_rate": dec(c["max_change_rate"])},
            "update_time": rfc3339(int(c["update_time_ns"])),
        },
        "min_self_delegation": str(v["min_self_delegation"]),
        "unbonding_on_hold_ref_count": "0",
        "unbonding_ids": [],
    }


def _ubd_entry(e: dict[str, Any]) -> dict[str, Any]:
    return {"creation_height": str(e["creation_height"]), "completion_time": rfc3339(e["completion_time_ns"]),
            "initial_balance": str(e["initial_balance"]), "balance": str(e["balance"]),
            "unbonding_id": str(e["unbonding_id"]), "unbonding_on_hold_ref_count": "0"}


def _red_entry(e: dict[str, Any]) -> dict[str, Any]:
    return {"creation_height": str(e["creation_height"]), "completion_time": rfc3339(e["completion_time_ns"]),
            "initial_balance": str(e["initial_balance"]), "shares_dst": dec(e["shares_dst"]),
            "unbonding_id": str(e["unbonding_id"]), "unbonding_on_hold_ref_count": "0"}


def routes(m: StakingModule) -> list[Route]:  # noqa: C901 - one closure per REST route
    from app.localnet.modules.staking import DELEGATION, REDELEGATION, STATUSES, UNBONDING

    root = m.chain.root
    p = "/cosmos/staking/v1beta1"

    def delegation_response(delegator: str, valoper: str, shares: Decimal) -> dict[str, Any]:
        val = m.validator(root, valoper) or {"tokens": 0, "delegator_shares": "0"}
        balance = dm.trunc(m.tokens_from_shares(val, shares))
        return {"delegation": {"delegator_address": delegator, "validator_address": valoper,
                               "shares": dec(shares)}, "balance": coin(DENOM, balance)}

    def ubd_response(key: str, ubd: dict[str, Any]) -> dict[str, Any]:
        delegator, valoper = key.split("/", 1)
        return {"delegator_address": delegator, "validator_address": valoper,
                "entries": [_ubd_entry(e) for e in ubd["entries"]]}

    def need_validator(valoper: str) -> dict[str, Any]:
        val = m.validator(root, parse_valoper(valoper))
        if val is None:
            raise not_found(f"validator {valoper} not found")
        return val

    def validators(q: Query) -> dict:
        status = q.str("status")
        if status and status not in STATUSES:
            raise invalid_argument(f"invalid validator status {status}")
        entries = [(v["operator_address"], render_validator(v)) for v in m.validators(root)
                   if not status or v["status"] == status]
        return paged(q, "validators", entries)

    def validator(q: Query) -> dict:
        return {"validator": render_validator(need_validator(q.path["validator_addr"]))}

    def validator_delegations(q: Query) -> dict:
        valoper = need_validator(q.path["validator_addr"])["operator_address"]
        entries = [(k, delegation_response(k.split("/")[0], valoper, Decimal(d["shares"])))
                   for k, d in root.items(DELEGATION) if k.endswith("/" + valoper)]
        return paged(q, "delegation_responses", entries)

    def delegation(q: Query) -> dict:
        valoper = parse_valoper(q.path["validator_addr"])
        delegator = parse_address(q.path["delegator_addr"], "delegator address")
        d = m.delegation(root, delegator, valoper)
        if d is None:
            raise not_found(f"delegation with delegator {delegator} not found for validator {valoper}")
        return {"delegation_response": delegation_response(delegator, valoper, Decimal(d["shares"]))}

    def unbonding_delegation(q: Query) -> dict:
        valoper = parse_valoper(q.path["validator_addr"])
        delegator = parse_address(q.path["delegator_addr"], "delegator address")
        ubd = root.get(UNBONDING, f"{delegator}/{valoper}")
        if ubd is None:
            raise not_found(f"unbonding delegation with delegator {delegator} not found for validator {valoper}")
        return {"unbond": ubd_response(f"{delegator}/{valoper}", ubd)}

    def validator_unbondings(q: Query) -> dict:
        valoper = need_validator(q.path["validator_addr"])["operator_address"]
        entries = [(k, ubd_response(k, u)) for k, u in root.items(UNBONDING) if k.endswith("/" + valoper)]
        return paged(q, "unbonding_responses", entries)

    def delegator_delegations(q: Query) -> dict:
        delegator = parse_address(q.path["delegator_addr"], "delegator address")
        entries = [(f"{delegator}/{v}", delegation_response(delegator, v, s))
                   for v, s in m.delegations_of(root, delegator)]
        return paged(q, "delegation_responses", entries)

    def delegator_unbondings(q: Query) -> dict:
        delegator = parse_address(q.path["delegator_addr"], "delegator address")
        entries = [(k, ubd_response(k, u)) for k, u in root.items(UNBONDING, delegator + "/")]
        return paged(q, "unbonding_responses", entries)

    def redelegations(q: Query) -> dict:
        delegator = parse_address(q.path["delegator_addr"], "delegator address")
        src, dst = q.str("src_validator_addr"), q.str("dst_validator_addr")
        if src:
            parse_valoper(src)
        if dst:
            parse_valoper(dst)
        entries = []
        for key, red in root.items(REDELEGATION, delegator + "/"):
            _, s, t = key.split("/")
            if (src and s != src) or (dst and t != dst):
                continue
            dst_val = m.validator(root, t) or {"tokens": 0, "delegator_shares": "0"}
            entries.append((key, {
                "redelegation": {"delegator_address": delegator, "validator_src_address": s,
                                 "validator_dst_address": t, "entries": [_red_entry(e) for e in red["entries"]]},
                "entries": [{"redelegation_entry": _red_entry(e),
                             "balance": str(dm.trunc(m.tokens_from_shares(dst_val, Decimal(e["shares_dst"]))))}
                            for e in red["entries"]],
            }))
        if src and dst and not entries:
            raise not_found(f"redelegation not found for delegator address {delegator} from validator "
                            f"address {src}")
        return paged(q, "redelegation_responses", entries)

    def delegator_validators(q: Query) -> dict:
        delegator = parse_address(q.path["delegator_addr"], "delegator address")
        entries = [(v, render_validator(m.validator(root, v))) for v, _ in m.delegations_of(root, delegator)]
        return paged(q, "validators", entries)

    def delegator_validator(q: Query) -> dict:
        delegator = parse_address(q.path["delegator_addr"], "delegator address")
        val = need_validator(q.path["validator_addr"])
        if m.delegation(root, delegator, val["operator_address"]) is None:
            raise not_found(f"delegation with delegator {delegator} not found for validator "
                            f"{val['operator_address']}")
        return {"validator": render_validator(val)}

    def pool(q: Query) -> dict:
        bank = m.chain.module("bank")
        from app.localnet.modules.auth import module_address

        return {"pool": {
            "not_bonded_tokens": str(bank.balance(root, module_address("not_bonded_tokens_pool"), DENOM)),
            "bonded_tokens": str(bank.balance(root, module_address("bonded_tokens_pool"), DENOM)),
        }}

    def params(q: Query) -> dict:
        prm = m.params(root)
        return {"params": {"unbonding_time": duration(int(prm["unbonding_time_ns"])),
                           "max_validators": int(prm["max_validators"]), "max_entries": int(prm["max_entries"]),
                           "historical_entries": int(prm["historical_entries"]), "bond_denom": DENOM,
                           "min_commission_rate": dec(prm["min_commission_rate"])}}

    return [
        Route("GET", f"{p}/validators", validators),
        Route("GET", f"{p}/validators/{{validator_addr}}", validator),
        Route("GET", f"{p}/validators/{{validator_addr}}/delegations", validator_delegations),
        Route("GET", f"{p}/validators/{{validator_addr}}/delegations/{{delegator_addr}}", delegation),
        Route("GET", f"{p}/validators/{{validator_addr}}/delegations/{{delegator_addr}}/unbonding_delegation",
              unbonding_delegation),
        Route("GET", f"{p}/validators/{{validator_addr}}/unbonding_delegations", validator_unbondings),
        Route("GET", f"{p}/delegations/{{delegator_addr}}", delegator_delegations),
        Route("GET", f"{p}/delegators/{{delegator_addr}}/unbonding_delegations", delegator_unbondings),
        Route("GET", f"{p}/delegators/{{delegator_addr}}/redelegations", redelegations),
        Route("GET", f"{p}/delegators/{{delegator_addr}}/validators", delegator_validators),
        Route("GET", f"{p}/delegators/{{delegator_addr}}/validators/{{validator_addr}}", delegator_validator),
        Route("GET", f"{p}/pool", pool),
        Route("GET", f"{p}/params", params),
    ]
