"""History decoding: one sentence per message from the account's side, net change, fee, CSV safety."""

from __future__ import annotations

import csv
import io
from typing import Any

from app.chain.jsonread import Obj
from app.chain.tx import TxResult
from app.history import decode_entry, export_csv, fee_paid, net_change, to_csv
from app.history_words import humanize, parse_coins

ME = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
FRIEND = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
VAL = "akashvaloper1d9x6axt2g2a38fqw09q72c9ltsa29kv7zdjtp3"
VAL2 = "akashvaloper12kr254qq66ksk5msa0w99z94725ktpd9dpne9k"
PROVIDER = "akash19zzh7whjt4vfwxd5wtj3tjtyatnpntfhldshd8"
NAMES = {VAL: "Aurora Staking", VAL2: "Blue Orbit", FRIEND: "Friend"}


def ev(kind: str, msg_index: int | None = None, **attrs: str) -> dict[str, Any]:
    pairs = [{"key": k, "value": v, "index": True} for k, v in attrs.items()]
    if msg_index is not None:
        pairs.append({"key": "msg_index", "value": str(msg_index), "index": True})
    return {"type": kind, "attributes": pairs}


def fee_events(payer: str = ME, fee: int = 5000) -> list[dict[str, Any]]:
    return [ev("coin_spent", spender=payer, amount=f"{fee}uakt"), ev("tx", fee=f"{fee}uakt", fee_payer=payer)]


def tx(messages: list[dict[str, Any]], events: list[dict[str, Any]], *, code: int = 0, memo: str = "",
       fee: int = 5000, log: str = "") -> TxResult:
    response = {"txhash": "ab" * 32, "height": "42", "code": code, "raw_log": log, "timestamp": "2026-05-01T10:00:00Z",
                "events": events, "gas_wanted": "100000", "gas_used": "80000"}
    body = {"body": {"messages": messages, "memo": memo},
            "auth_info": {"fee": {"amount": [{"denom": "uakt", "amount": str(fee)}], "gas_limit": "100000"}}}
    return TxResult.parse(Obj(response, "t"), Obj(body, "t"))


def send(src: str, dst: str, amount: int, denom: str = "uakt") -> dict[str, Any]:
    return {"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": src, "to_address": dst,
            "amount": [{"denom": denom, "amount": str(amount)}]}


def test_sent_and_received_sends() -> None:
    out = decode_entry(tx([send(ME, FRIEND, 5_000_000)], fee_events() + [
        ev("coin_spent", 0, spender=ME, amount="5000000uakt"), ev("coin_received", 0, receiver=FRIEND, amount="5000000uakt"),
    ], memo="lunch"), ME, NAMES)
    assert out.sentences == ("Sent 5 AKT to Friend (akash1jrkmdc…3rtk0c)",)
    assert out.change == {"uakt": -5_005_000} and out.fee == {"uakt": 5000} and out.memo == "lunch" and out.ok
    incoming = decode_entry(tx([send(FRIEND, ME, 1_500_000)], fee_events(FRIEND) + [
        ev("coin_received", 0, receiver=ME, amount="1500000uakt")]), ME, NAMES)
    assert incoming.sentences == ("Received 1.5 AKT from Friend (akash1jrkmdc…3rtk0c)",)
    assert incoming.fee == {} and incoming.change == {"uakt": 1_500_000}


def test_staking_sentences_use_monikers_and_claimed_amounts() -> None:
    msgs = [{"@type": "/cosmos.staking.v1beta1.MsgDelegate", "delegator_address": ME, "validator_address": VAL,
             "amount": {"denom": "uakt", "amount": "100000000"}},
            {"@type": "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", "delegator_address": ME,
             "validator_address": VAL2},
            {"@type": "/cosmos.staking.v1beta1.MsgBeginRedelegate", "delegator_address": ME,
             "validator_src_address": VAL, "validator_dst_address": VAL2, "amount": {"denom": "uakt", "amount": "7"}}]
    events = fee_events() + [ev("withdraw_rewards", 0, amount="1200000uakt", validator=VAL, delegator=ME),
                             ev("withdraw_rewards", 1, amount="2345678uakt", validator=VAL2, delegator=ME)]
    out = decode_entry(tx(msgs, events), ME, NAMES)
    assert out.sentences == ("Delegated 100 AKT to Aurora Staking (and claimed 1.2 AKT of rewards)",
                             "Claimed 2.345678 AKT of rewards from Blue Orbit",
                             "Redelegated 0.000007 AKT from Aurora Staking to Blue Orbit")


def test_compound_transactions_read_as_one_sentence() -> None:
    pair = [{"@type": "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", "delegator_address": ME,
             "validator_address": VAL},
            {"@type": "/cosmos.staking.v1beta1.MsgDelegate", "delegator_address": ME, "validator_address": VAL,
             "amount": {"denom": "uakt", "amount": "2500000"}}]
    assert decode_entry(tx(pair, fee_events()), ME, NAMES).sentences == (
        "Compounded 2.5 AKT of rewards with Aurora Staking",)


def test_gov_market_and_bme_sentences() -> None:
    msgs = [
        {"@type": "/cosmos.gov.v1.MsgVote", "proposal_id": "4", "voter": ME, "option": "VOTE_OPTION_YES"},
        {"@type": "/cosmos.gov.v1.MsgVoteWeighted", "proposal_id": "5", "voter": ME,
         "options": [{"option": "VOTE_OPTION_NO", "weight": "0.6"}, {"option": "VOTE_OPTION_ABSTAIN", "weight": "0.4"}]},
        {"@type": "/akash.deployment.v1beta4.MsgCreateDeployment", "id": {"owner": ME, "dseq": "123"},
         "deposit": {"amount": {"denom": "uact", "amount": "5000000"}, "sources": ["balance"]}},
        {"@type": "/akash.escrow.v1.MsgAccountDeposit", "signer": ME,
         "id": {"scope": "deployment", "xid": f"{ME}/123"}, "deposit": {"amount": {"denom": "uact", "amount": "2000000"}}},
        {"@type": "/akash.market.v1beta5.MsgCreateLease",
         "bid_id": {"owner": ME, "dseq": "123", "gseq": 1, "oseq": 1, "provider": PROVIDER, "bseq": 0}},
        {"@type": "/akash.bme.v1.MsgMintACT", "owner": ME, "to": ME, "coins_to_burn": {"denom": "uakt", "amount": "20000000"}},
        {"@type": "/akash.bme.v1.MsgBurnACT", "owner": ME, "to": ME, "coins_to_burn": {"denom": "uact", "amount": "3000000"}},
        {"@type": "/akash.deployment.v1beta4.MsgCloseDeployment", "id": {"owner": ME, "dseq": "123"}},
    ]
    events = fee_events() + [ev("coin_received", 7, receiver=ME, amount="4200000uact")]
    out = decode_entry(tx(msgs, events), ME, NAMES)
    assert out.sentences == (
        "Voted Yes on #4", "Voted No 60%, Abstain 40% on #5", "Created deployment 123 with 5 ACT deposit",
        "Added 2 ACT to deployment 123", "Accepted the bid of akash19zzh7w…ldshd8 for deployment 123",
        "Minted ACT from 20 AKT", "Burned 3 ACT for AKT", "Closed deployment 123 (4.2 ACT returned)")


def test_provider_withdrawal_shows_what_arrived() -> None:
    msg = {"@type": "/akash.market.v1beta5.MsgWithdrawLease",
           "id": {"owner": FRIEND, "dseq": "77", "gseq": 1, "oseq": 1, "provider": ME, "bseq": 0}}
    out = decode_entry(tx([msg], fee_events() + [ev("coin_received", 0, receiver=ME, amount="1234567uact")]), ME)
    assert out.sentences == ("Withdrew lease earnings 1.234567 ACT (deployment 77)",)
    assert out.change == {"uakt": -5000, "uact": 1_234_567}


def test_failed_transactions_say_so_and_keep_the_log() -> None:
    out = decode_entry(tx([send(ME, FRIEND, 1)], fee_events(), code=5, log="insufficient funds"), ME)
    assert not out.ok and out.summary.startswith("Failed: Sent") and out.error == "insufficient funds"
    assert out.fee == {"uakt": 5000}


def test_someone_elses_transaction_that_paid_us_is_explained() -> None:
    msg = {"@type": "/cosmos.bank.v1beta1.MsgMultiSend", "inputs": [{"address": FRIEND, "coins": []}],
           "outputs": [{"address": "akash1other", "coins": []}]}
    other = {"@type": "/akash.market.v1beta5.MsgCloseLease",
             "id": {"owner": FRIEND, "dseq": "9", "gseq": 1, "oseq": 1, "provider": PROVIDER}}
    out = decode_entry(tx([other], fee_events(FRIEND) + [ev("coin_received", 0, receiver=ME, amount="9uact")]), ME)
    assert out.sentences == ("Received 0.000009 ACT (by Close lease (akash.market))",)
    assert decode_entry(tx([msg], fee_events(FRIEND)), ME).sentences == ("Involved in Multi send (cosmos.bank)",)


def test_unknown_messages_are_named_from_their_type() -> None:
    assert humanize("/cosmwasm.wasm.v1.MsgStoreCode") == "Store code (cosmwasm.wasm)"
    weird = {"@type": "/cosmwasm.wasm.v1.MsgStoreCode", "sender": ME}
    assert decode_entry(tx([weird], fee_events()), ME).sentences == ("Store code (cosmwasm.wasm)",)
    broken = {"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": ME, "amount": "not a list"}
    assert decode_entry(tx([broken], fee_events()), ME).sentences == ("Send (cosmos.bank)",)


def test_coin_strings_and_fee_payer_fallback() -> None:
    assert parse_coins('"5uakt,12ibc/ABC,3uakt"') == {"uakt": 8, "ibc/ABC": 12}
    assert parse_coins("") == {}
    no_tx_event = tx([send(ME, FRIEND, 1)], [ev("message", 0, sender=ME)])
    assert fee_paid(no_tx_event, ME) == {"uakt": 5000} and fee_paid(no_tx_event, FRIEND) == {}
    assert net_change(no_tx_event, ME) == {}


def test_csv_has_numbers_and_is_formula_safe(tmp_path) -> None:
    evil = decode_entry(tx([send(FRIEND, ME, 2_000_000)], fee_events(FRIEND) + [
        ev("coin_received", 0, receiver=ME, amount="2000000uakt,5ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1")],
        memo="=HYPERLINK(\"http://evil\")"), ME)
    mine = decode_entry(tx([send(ME, FRIEND, 1_000_000)], fee_events() + [
        ev("coin_spent", 0, spender=ME, amount="1000000uakt")]), ME)
    text = to_csv([evil, mine])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["memo"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["akt_change"] == "2" and rows[0]["fee_akt"] == "0" and rows[0]["other_changes"] == "USDC +0.000005"
    assert rows[1]["akt_change"] == "-1.005" and rows[1]["fee_akt"] == "0.005" and rows[1]["status"] == "ok"
    assert rows[1]["time_utc"] == "2026-05-01T10:00:00Z" and rows[1]["height"] == "42"
    path = export_csv([mine], tmp_path / "out" / "history.csv")
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith("time_utc,height,txhash")
    assert [p.name for p in path.parent.iterdir()] == ["history.csv"]  # no temporary file left behind
