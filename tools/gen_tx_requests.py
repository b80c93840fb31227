"""Random signing requests in the oracle's format, for byte-for-byte comparison with the official libraries.

    python tools/gen_tx_requests.py --seed 1 --count 300 > /tmp/req.jsonl
    node /tmp/oracle/signtx-batch.mjs /tmp/req.jsonl /tmp/out.jsonl      # the reference (not in the repo)
    cp /tmp/req.jsonl tests/vectors/tx/random-requests.jsonl; cp /tmp/out.jsonl tests/vectors/tx/random-results.jsonl

Values come from the message descriptors (every listed Msg type, nested types, Any payloads), with
random key styles, enums by name or number, 64-bit values as strings or numbers, fractional DecCoin
prices, empty and filled repeated fields, unicode memos, fee granter/payer, timeout heights, uint64
account numbers and sequences. About one request in eight is deliberately malformed in a way the
libraries reject (misspelt key, wrong shape, bad base64, ...). Requests the libraries would sign but a
wallet must refuse (bad address, malformed amount) carry "_we_reject": true.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import sys
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from google.protobuf.descriptor import Descriptor, FieldDescriptor  # noqa: E402

from app.proto.registry import message_class, pack_any  # noqa: E402
from app.tx.flavors import flavor_for, json_fields  # noqa: E402
from app.tx.validate import ADDRESS_FIELDS, VALIDATOR_FIELDS  # noqa: E402
from app.wallet.address import bech32_encode  # noqa: E402
from app.wallet.mnemonic import entropy_to_mnemonic  # noqa: E402

T = FieldDescriptor
ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

MSG_TYPES = [
    "/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.MsgMultiSend",
    "/cosmos.staking.v1beta1.MsgDelegate", "/cosmos.staking.v1beta1.MsgUndelegate",
    "/cosmos.staking.v1beta1.MsgBeginRedelegate", "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
    "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
    "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission",
    "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress",
    "/cosmos.gov.v1.MsgVote", "/cosmos.gov.v1.MsgVoteWeighted", "/cosmos.gov.v1.MsgDeposit",
    "/cosmos.gov.v1.MsgSubmitProposal",
    "/cosmos.gov.v1beta1.MsgVote", "/cosmos.gov.v1beta1.MsgVoteWeighted", "/cosmos.gov.v1beta1.MsgDeposit",
    "/cosmos.gov.v1beta1.MsgSubmitProposal",
    "/cosmos.authz.v1beta1.MsgGrant", "/cosmos.authz.v1beta1.MsgRevoke", "/cosmos.authz.v1beta1.MsgExec",
    "/cosmos.feegrant.v1beta1.MsgGrantAllowance", "/cosmos.feegrant.v1beta1.MsgRevokeAllowance",
    "/akash.deployment.v1beta4.MsgCreateDeployment", "/akash.deployment.v1beta4.MsgUpdateDeployment",
    "/akash.deployment.v1beta4.MsgCloseDeployment", "/akash.deployment.v1beta4.MsgCloseGroup",
    "/akash.deployment.v1beta4.MsgPauseGroup", "/akash.deployment.v1beta4.MsgStartGroup",
    "/akash.market.v1beta5.MsgCreateLease", "/akash.market.v1beta5.MsgCloseLease",
    "/akash.market.v1beta5.MsgWithdrawLease", "/akash.market.v1beta5.MsgCreateBid",
    "/akash.market.v1beta5.MsgCloseBid",
    "/akash.escrow.v1.MsgAccountDeposit",
    "/akash.cert.v1.MsgCreateCertificate", "/akash.cert.v1.MsgRevokeCertificate",
    "/akash.bme.v1.MsgMintACT", "/akash.bme.v1.MsgBurnACT", "/akash.bme.v1.MsgBurnMint",
    "/akash.provider.v1beta4.MsgCreateProvider", "/akash.provider.v1beta4.MsgUpdateProvider",
    "/akash.provider.v1beta4.MsgDeleteProvider",
    "/akash.audit.v1.MsgSignProviderAttributes", "/akash.audit.v1.MsgDeleteProviderAttributes",
    "/akash.deployment.v1beta3.MsgCreateDeployment", "/akash.deployment.v1beta3.MsgDepositDeployment",
    "/akash.deployment.v1beta3.MsgUpdateDeployment", "/akash.deployment.v1beta3.MsgCloseDeployment",
    "/akash.deployment.v1beta3.MsgCloseGroup",
    "/akash.market.v1beta4.MsgCreateLease", "/akash.market.v1beta4.MsgCloseLease",
    "/akash.market.v1beta4.MsgWithdrawLease", "/akash.market.v1beta4.MsgCreateBid",
    "/akash.cert.v1beta3.MsgCreateCertificate", "/akash.cert.v1beta3.MsgRevokeCertificate",
    "/ibc.applications.transfer.v1.MsgTransfer", "/cosmos.vesting.v1beta1.MsgCreateVestingAccount",
    "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
    "/cosmos.staking.v1beta1.MsgUpdateParams", "/cosmos.gov.v1.MsgUpdateParams", "/akash.market.v1beta5.MsgUpdateParams",
    "/akash.deployment.v1beta4.MsgUpdateParams", "/akash.bme.v1.MsgUpdateParams", "/cosmos.staking.v1beta1.MsgEditValidator",
    "/cosmos.staking.v1beta1.MsgCreateValidator", "/cosmos.base.v1beta1.Coin", "/cosmos.base.abci.v1beta1.MsgData",
    "/cosmos.vesting.v1beta1.MsgCreatePeriodicVestingAccount", "/cosmos.bank.v1beta1.MsgUpdateParams",
]
# Any payloads the Msgs carry (authorizations, allowances, proposal content, nested Msgs)
AUTHORIZATIONS = ["/cosmos.authz.v1beta1.GenericAuthorization", "/cosmos.bank.v1beta1.SendAuthorization",
                  "/akash.escrow.v1.DepositAuthorization"]
ALLOWANCES = ["/cosmos.feegrant.v1beta1.BasicAllowance"]
DENOMS = ["uakt", "uact", "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"]
TEXT_POOL = ["", "a", "nginx", "web-1", "deploy & <run>", "ünïcödé", "日本語", "emoji 🚀🔥", "tab\there",
             "quote \" back\\slash", "https://provider.example.com:8443", "x" * 40]


class Gen:
    def __init__(self, rnd: random.Random, quirks: float = 0.0) -> None:
        self.r = rnd
        self.quirks = quirks

    # ---- primitives
    def address(self, validator: bool = False) -> str:
        return bech32_encode("akashvaloper" if validator else "akash", self.r.randbytes(20))

    def uint64_json(self, big: bool = True) -> Any:
        r = self.r
        choice = r.random()
        if choice < 0.3:
            return r.randint(1, 10**6)  # a JSON number
        if choice < 0.5:
            return str(r.randint(1, 10**7))
        if choice < 0.6 and big:
            return str(r.randint(2**53, 2**63 - 1))
        if choice < 0.7:
            return r.choice([str(r.randint(2**31, 2**32 - 1)), r.randint(2**31, 2**32 - 1), str(r.getrandbits(r.randint(1, 62)))])
        return str(r.randint(1, 2**40))

    def dec_amount(self) -> str:
        r = self.r
        whole = str(r.choice([0, 1, 5, 100, 1000, 12345678, r.randint(0, 10**9)]))
        if r.random() < 0.5:
            frac = "".join(r.choice("0123456789") for _ in range(r.randint(1, 18)))
            return f"{whole}.{frac}"
        return whole

    def text(self) -> str:
        r = self.r
        if r.random() < 0.7:
            return r.choice(TEXT_POOL)
        return "".join(chr(r.choice([r.randint(32, 126), r.randint(0xA0, 0x2FF), r.randint(0x4E00, 0x4FFF),
                                     r.randint(0x1F300, 0x1F6FF)])) for _ in range(r.randint(1, 12)))

    # ---- messages
    def any_payload(self, field: FieldDescriptor, parent: str, depth: int) -> dict[str, Any]:
        r = self.r
        if parent.endswith("MsgGrant") or field.name == "authorization":
            url = r.choice(AUTHORIZATIONS)
        elif "allowance" in field.name:
            url = r.choice(ALLOWANCES)
        elif field.name == "content":
            url = "/cosmos.gov.v1beta1.TextProposal"
        else:
            url = r.choice(["/cosmos.bank.v1beta1.MsgSend", "/cosmos.staking.v1beta1.MsgDelegate",
                            "/akash.deployment.v1beta4.MsgCloseDeployment"])
        cls = message_class(url)
        inner = self.proto_value(cls.DESCRIPTOR, depth + 1)
        return {"typeUrl": url, "value": base64.b64encode(pack_any(inner).value).decode()}

    def proto_value(self, desc: Descriptor, depth: int):
        """A random pb2 instance (for Any payloads, whose bytes go into the request as base64)."""
        cls = message_class("/" + desc.full_name)
        msg = cls()
        for f in desc.fields:
            if f.message_type is not None or self.r.random() < 0.3:
                continue
            if f.type == T.TYPE_STRING:
                v = self.address(f.name in VALIDATOR_FIELDS) if f.name in ADDRESS_FIELDS else \
                    ("/cosmos.bank.v1beta1.MsgSend" if f.name == "msg" else self.text())
                if f.is_repeated:
                    getattr(msg, f.name).append(v)
                else:
                    setattr(msg, f.name, v)
        return msg

    def value(self, desc: Descriptor, type_url: str, depth: int = 0) -> dict[str, Any]:
        fl = flavor_for(type_url)
        out: dict[str, Any] = {}
        for f, key in json_fields(desc, fl):
            if self.r.random() < (0.08 if depth == 0 else 0.15):
                continue  # omitted field
            v = self.field(f, desc, type_url, depth)
            if v is not _OMIT:
                out[key] = v
        return out

    def field(self, f: FieldDescriptor, parent: Descriptor, type_url: str, depth: int) -> Any:
        r = self.r
        if f.is_repeated:
            if depth > 4:
                return []
            n = r.choice([0, 1, 1, 2, 3])
            return [self.element(f, parent, type_url, depth) for _ in range(n)]
        return self.element(f, parent, type_url, depth)

    def element(self, f: FieldDescriptor, parent: Descriptor, type_url: str, depth: int) -> Any:
        value = self.plain_element(f, parent, type_url, depth)
        if self.quirks and value is not _OMIT and self.r.random() < self.quirks:
            return self.quirk(f, parent, value)
        return value

    def quirk(self, f: FieldDescriptor, parent: Descriptor, value: Any) -> Any:
        """A legal-but-unusual JSON spelling of a value (the libraries' JS coercions decide the bytes)."""
        r = self.r
        t = f.type
        if f.message_type is not None or f.name in ADDRESS_FIELDS or f.name in ("amount", "denom"):
            return value
        if t in (T.TYPE_UINT64, T.TYPE_INT64):
            return r.choice([str(value).zfill(8), " 42", "0x1f", 9007199254740993.0 if False else 12345678901234567890,
                             42.0, "+7", "", "1e3", 3.7, -5, "-5", True, "18446744073709551615", "9223372036854775808"])
        if t in (T.TYPE_UINT32, T.TYPE_INT32):
            return r.choice(["7", " 8 ", "0x10", 2.5, -1, "", True, "abc", 4294967296, "1e2", None])
        if t == T.TYPE_ENUM:
            return r.choice(["nope", 99, str(value), -1, "UNRECOGNIZED", None, 1.0])
        if t == T.TYPE_STRING:
            return r.choice([12345, 1.5, True, None, 1e21, 0.000001, "lone \ud800 surrogate",
                             "pair 😀", -0.0, 123456789012345678901234567890])
        if t == T.TYPE_BYTES:
            raw = r.randbytes(r.randint(1, 12))
            return r.choice([base64.urlsafe_b64encode(raw).decode().rstrip("="), base64.b64encode(raw).decode().rstrip("="),
                             " " + base64.b64encode(raw).decode(), "", None])
        if t == T.TYPE_BOOL:
            return r.choice(["false", 0, 1, "", "yes", None])
        return value

    def plain_element(self, f: FieldDescriptor, parent: Descriptor, type_url: str, depth: int) -> Any:
        r = self.r
        pname = parent.full_name
        if f.message_type is not None:
            full = f.message_type.full_name
            if full == "google.protobuf.Any":
                return self.any_payload(f, pname, depth)
            if full == "google.protobuf.Timestamp":
                return f"20{r.randint(26, 40)}-0{r.randint(1, 9)}-1{r.randint(0, 9)}T0{r.randint(0, 9)}:00:00Z"
            if full == "google.protobuf.Duration":
                return {"seconds": str(r.randint(0, 10**7)), "nanos": r.choice([0, 500])}
            if depth > 6:
                return _OMIT
            return self.value(f.message_type, type_url, depth + 1)
        t = f.type
        if t == T.TYPE_STRING:
            if pname == "cosmos.base.v1beta1.Coin" and f.name == "amount":
                return str(r.choice([0, 1, 1000, 5000000, r.randint(0, 10**20)]))
            if pname == "cosmos.base.v1beta1.DecCoin" and f.name == "amount":
                return self.dec_amount()
            if f.name == "denom" or f.name.endswith("denom_to_mint"):
                return r.choice(DENOMS)
            if f.name in ADDRESS_FIELDS:
                return self.address(f.name in VALIDATOR_FIELDS)
            if f.name == "xid":
                return f"{self.address()}/{r.randint(1, 10**7)}"
            if f.name == "serial":
                return str(r.randint(1, 10**18))
            if f.name in ("weight",):
                return r.choice(["1", "0.5", "0.25", "1.000000000000000000"])
            if f.name == "msg_type_url":
                return "/cosmos.bank.v1beta1.MsgSend"
            return self.text()
        if t == T.TYPE_BYTES:
            if f.name == "val":
                data = str(r.choice([0, 100, 500, 1000, 536870912, 1073741824])).encode()
            elif f.name in ("hash", "version"):
                data = r.randbytes(32)
            else:
                data = r.randbytes(r.randint(0, 40))
            return base64.b64encode(data).decode()
        if t == T.TYPE_BOOL:
            return r.random() < 0.5
        if t == T.TYPE_ENUM:
            values = [v for v in f.enum_type.values]
            ev = r.choice(values[1:] or values) if r.random() < 0.9 else values[0]
            return ev.number if r.random() < 0.3 else ev.name
        if t in (T.TYPE_UINT64, T.TYPE_INT64):
            return self.uint64_json(big=r.random() < 0.2)
        if t in (T.TYPE_UINT32, T.TYPE_INT32):
            n = r.choice([0, 1, 2, 3, r.randint(1, 1000)])
            return str(n) if r.random() < 0.15 else n
        return _OMIT


_OMIT = object()


def restyle(v: Any, mode: str) -> Any:
    def snake(k: str) -> str:
        return "".join("_" + c.lower() if c.isupper() else c for c in k)

    def camel(k: str) -> str:
        parts = k.split("_")
        return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])

    f = {"snake": snake, "camel": camel, "mixed": lambda k: snake(k) if zlib.crc32(k.encode()) % 2 else camel(k)}.get(mode)
    if f is None:
        return v
    if isinstance(v, list):
        return [restyle(x, mode) for x in v]
    if isinstance(v, dict):
        return {(k if k in ("typeUrl",) else f(k)): restyle(x, mode) for k, x in v.items()}
    return v


MALFORMATIONS = ("misspelt_key", "repeated_not_array", "bad_base64", "bad_uint64", "unknown_type", "value_array",
                 "bad_account_number", "bad_fee", "bad_mnemonic", "null_in_repeated")


def malform(req: dict[str, Any], rnd: random.Random) -> str:
    kind = rnd.choice(MALFORMATIONS)
    msg = req["msgs"][0]
    value = msg["value"]
    if kind == "misspelt_key":
        value["unknwnField"] = rnd.choice(["", 1, "x"])
    elif kind == "repeated_not_array" and isinstance(value.get("amount"), list):
        value["amount"] = "not-an-array"
    elif kind == "repeated_not_array":
        msg["typeUrl"] = "/akash.deployment.v1beta4.MsgCreateDeployment"
        msg["value"] = {"groups": "not-an-array"}
    elif kind == "bad_base64":
        msg["typeUrl"] = "/akash.cert.v1.MsgCreateCertificate"
        msg["value"] = {"owner": bech32_encode("akash", rnd.randbytes(20)), "cert": "%%%not base64%%%", "pubkey": "QUJD"}
    elif kind == "bad_uint64":
        msg["typeUrl"] = "/cosmos.gov.v1.MsgVote"
        msg["value"] = {"proposalId": rnd.choice(["abc", "1.5", "-1x"]), "voter": bech32_encode("akash", rnd.randbytes(20)),
                        "option": "VOTE_OPTION_YES"}
    elif kind == "unknown_type":
        msg["typeUrl"] = rnd.choice(["/cosmos.bank.v1beta1.MsgSendd", "/akash.foo.v1.MsgBar", "cosmos.bank.v1beta1.MsgSend"])
    elif kind == "value_array":
        msg["value"] = []
    elif kind == "bad_account_number":
        req["account_number"] = rnd.choice(["-1", "1e3", 1.5, "18446744073709551616", None])
    elif kind == "bad_fee":
        req["fee"] = rnd.choice([{"amount": [{"denom": "uakt", "amount": "1.5"}], "gas": "200000"},
                                 {"amount": "5000uakt", "gas": "1"}, {"amount": [], "gas": "-5"}])
    elif kind == "bad_mnemonic":
        req["mnemonic"] = rnd.choice([ABANDON.replace("about", "abandon"), ABANDON.upper(), "  " + ABANDON])
    elif kind == "null_in_repeated":
        msg["typeUrl"] = "/cosmos.bank.v1beta1.MsgSend"
        msg["value"] = {"fromAddress": bech32_encode("akash", rnd.randbytes(20)), "toAddress": bech32_encode("akash", rnd.randbytes(20)),
                        "amount": [None]}
    return kind


WE_REJECT = ("bad_address", "bad_coin_amount", "bad_dec_amount")


def we_reject(req: dict[str, Any], rnd: random.Random) -> str:
    kind = rnd.choice(WE_REJECT)
    addr = bech32_encode("akash", rnd.randbytes(20))
    if kind == "bad_address":
        bad = rnd.choice([addr[:-1] + ("q" if addr[-1] != "q" else "p"), "akash1notanaddress", "cosmos1xyz"])
        req["msgs"][0] = {"typeUrl": "/cosmos.bank.v1beta1.MsgSend",
                          "value": {"fromAddress": addr, "toAddress": bad, "amount": [{"denom": "uakt", "amount": "1"}]}}
    elif kind == "bad_coin_amount":
        req["msgs"][0] = {"typeUrl": "/cosmos.bank.v1beta1.MsgSend",
                          "value": {"fromAddress": addr, "toAddress": addr, "amount": [{"denom": "uakt", "amount": rnd.choice(["1.5", "abc", "-3", " 5"])}]}}
    else:
        req["msgs"][0] = {"typeUrl": "/akash.market.v1beta4.MsgCreateBid",
                          "value": {"order": {"owner": addr, "dseq": "5", "gseq": 1, "oseq": 1}, "provider": addr,
                                    "price": {"denom": "uakt", "amount": rnd.choice(["1.2.3", "abc", "1e5", "0.1234567890123456789"])}}}
    return kind


def request(rnd: random.Random, i: int, quirks: float) -> dict[str, Any]:
    g = Gen(rnd, quirks if rnd.random() < 0.5 else 0.0)
    r = rnd
    mnemonic = ABANDON if r.random() < 0.3 else entropy_to_mnemonic(r.randbytes(r.choice([16, 32])))
    req: dict[str, Any] = {"_case": f"random-{i}", "mnemonic": mnemonic}
    if r.random() < 0.6:
        req["account"] = r.choice([0, 1, 2, r.randint(0, 2**31 - 1)])
    if r.random() < 0.6:
        req["index"] = r.choice([0, 1, r.randint(0, 100)])
    if r.random() < 0.1:
        req["bip39_password"] = r.choice([g.text(), "", None, "p\ud800", 0, "ﬁ Å"])
    req["chain_id"] = r.choice(["akashnet-2", "sandbox-01", "local-akash", "chain-ü"])
    if r.random() < 0.25:
        req["cosmos_types"] = r.choice(["chain-sdk", "chain-sdk", "cosmjs"])
    if r.random() < 0.05:
        req["prefix"] = r.choice(["akash", "cosmos", "AKASH"])
    req["account_number"] = r.choice([str(r.randint(0, 2**64 - 1)), r.randint(0, 2**53 - 1), str(r.randint(0, 10**6)), "0",
                                      str(r.getrandbits(r.randint(1, 64))), r.randint(2**31, 2**32 - 1)])
    req["sequence"] = r.choice([str(r.randint(0, 2**64 - 1)), r.randint(0, 2**53 - 1), str(r.randint(0, 100)), 0,
                                str(r.getrandbits(r.randint(1, 64))), str(r.randint(2**31, 2**32 - 1))])
    fee: dict[str, Any] = {"amount": [{"denom": r.choice(DENOMS[:2]), "amount": str(r.randint(0, 10**9))}
                                      for _ in range(r.choice([0, 1, 1, 2]))],
                           "gas": r.choice([str(r.randint(1, 10**7)), r.randint(1, 2**53 - 1), r.randint(2**31, 2**32 - 1)])}
    if r.random() < 0.2:
        fee["granter"] = g.address()
    if r.random() < 0.2:
        fee["payer"] = g.address()
    req["fee"] = fee
    if r.random() < 0.8:
        req["memo"] = g.text() if r.random() < 0.8 else "".join(chr(r.randint(0x20, 0x10FFFF)) for _ in range(8)).replace("\\", "")
    if r.random() < 0.3:
        req["timeout_height"] = r.choice([str(r.randint(0, 2**64 - 1)), r.randint(0, 10**9), "0",
                                          str(r.getrandbits(r.randint(1, 64))), r.randint(2**31, 2**32 - 1),
                                          str(r.randint(2**64, 10**30)), str(2**64), "000123"])
    msgs = []
    for _ in range(r.choice([1, 1, 1, 2, 3])):
        url = r.choice(MSG_TYPES)
        value = g.value(message_class(url).DESCRIPTOR, url)
        value = restyle(value, r.choice(["", "", "snake", "camel", "mixed"]))
        msgs.append({"typeUrl": url, "value": value})
    req["msgs"] = msgs
    return req


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--quirks", type=float, default=0.0, help="share of values spelt unusually (JS coercions)")
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    for i in range(args.count):
        req = request(rnd, i, args.quirks)
        roll = rnd.random()
        if roll < 0.12:
            req["_case"] += ":malformed:" + malform(req, rnd)
        elif roll < 0.17:
            req["_case"] += ":we-reject:" + we_reject(req, rnd)
            req["_we_reject"] = True
        sys.stdout.write(json.dumps(req) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
