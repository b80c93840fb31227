"""Plain-words descriptions of messages for the confirmation dialog."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.proto.registry import message_class, pack_any
from app.tx.decode import any_to_dict
from app.tx.describe import DescribeContext, blocks_per_month, describe_msg, describe_msgs
from app.tx.jsonmsg import message_from_json

OWNER = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
PROVIDER = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
VALOPER = "akashvaloper19rl4cm2hmr8afy4kldpxz3fka4jguq0amewuk9"
TX_VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "tx"


def _msg(type_url: str, **fields):
    return message_class(type_url)(**fields)


def _lines(d) -> dict[str, str]:
    return dict(d.lines)


def test_blocks_per_month_matches_console() -> None:
    assert round(blocks_per_month()) == 431_249  # the fact sheet: price x 431,249 per month
    assert blocks_per_month("6") > blocks_per_month("6.098")


def test_send_names_the_recipient() -> None:
    coin = message_class("/cosmos.base.v1beta1.Coin")  # type: ignore[arg-type]
    msg = _msg("/cosmos.bank.v1beta1.MsgSend", from_address=OWNER, to_address=PROVIDER,
               amount=[coin(denom="uakt", amount="1500000")])
    d = describe_msg(msg, DescribeContext(names={PROVIDER: "Alice"}))
    assert d.title == "Send 1.5 AKT"
    assert _lines(d)["To"] == f"Alice ({PROVIDER})"
    assert d.type_url == "/cosmos.bank.v1beta1.MsgSend"


def test_create_deployment_resources_price_per_month_and_deposit() -> None:
    request = json.loads((TX_VECTORS / "tx-deployment-v1beta4-create.json").read_text())
    value = request["msgs"][0]["value"]
    unit = value["groups"][0]["resources"][0]
    unit["count"] = 2
    unit["price"] = {"denom": "uact", "amount": "1000"}
    value["deposit"] = {"amount": {"denom": "uact", "amount": "5000000"}, "sources": ["balance", "grant"]}
    msg = message_from_json("/akash.deployment.v1beta4.MsgCreateDeployment", value)
    d = describe_msg(msg)
    lines = _lines(d)
    assert d.title == "Create deployment 1234567"
    assert lines["Group dcloud"] == "2 × (0.5 CPU, 512 MiB memory, 1 GiB storage)"
    assert lines["Highest price"] == "862.50 ACT per month (2000 uact per block)"
    assert lines["Deposit"] == "5 ACT from your balance then from an authorization (grant)"
    assert d.warnings


def test_create_lease_shows_the_bid_price_when_known() -> None:
    bid_id = _msg("/akash.market.v1.BidID", owner=OWNER, dseq=99, gseq=1, oseq=1, provider=PROVIDER, bseq=0)
    msg = _msg("/akash.market.v1beta5.MsgCreateLease", bid_id=bid_id)
    plain = describe_msg(msg)
    assert plain.title == f"Accept the bid of {PROVIDER}" and "Price" not in _lines(plain)
    ctx = DescribeContext(names={PROVIDER: "provider.example.com"},
                          bid_prices={(99, 1, 1, PROVIDER): (Decimal("12.5"), "uact")})
    d = describe_msg(msg, ctx)
    assert d.title == "Accept the bid of provider.example.com"
    assert _lines(d)["Deployment"] == "99/1/1"
    assert _lines(d)["Price"].startswith("5.39 ACT per month (12.5 uact per block)")


def test_vote_with_the_proposal_title() -> None:
    msg = _msg("/cosmos.gov.v1.MsgVote", proposal_id=7, voter=OWNER, option=1)
    d = describe_msg(msg, DescribeContext(proposal_titles={7: "Raise the block size"}))
    assert d.title == "Vote Yes on proposal #7"
    assert _lines(d)["Proposal"] == "#7 Raise the block size"


def test_mint_act_and_account_deposit_from_packed_and_decoded_forms() -> None:
    coin = message_class("/cosmos.base.v1beta1.Coin")  # type: ignore[arg-type]
    mint = _msg("/akash.bme.v1.MsgMintACT", owner=OWNER, to=OWNER, coins_to_burn=coin(denom="uakt", amount="20000000"))
    assert describe_msg(pack_any(mint)).title == "Get ACT by burning 20 AKT"
    request = json.loads((TX_VECTORS / "tx-escrow-v1-account-deposit.json").read_text())
    deposit = message_from_json("/akash.escrow.v1.MsgAccountDeposit", request["msgs"][0]["value"])
    as_dict = any_to_dict(pack_any(deposit))
    d = describe_msg(as_dict)
    assert d.title == "Add 1 AKT to deployment 1234567"
    assert _lines(d)["Paid"] == "from your balance"


def test_unknown_message_is_listed_field_by_field() -> None:
    msg = _msg("/cosmos.staking.v1beta1.MsgEditValidator", validator_address=VALOPER)
    d = describe_msg(msg)
    assert "MsgEditValidator" in d.title
    assert ("validator_address", VALOPER) in d.lines
    assert "check every field" in d.warnings[0]


@pytest.mark.parametrize("bad", [{"@type": "/cosmos.bank.v1beta1.MsgSend", "amount": "nonsense"},
                                 {"@type": "/akash.deployment.v1beta4.MsgCreateDeployment", "groups": [{"resources": [7]}]},
                                 {"@type": ""}, {}])
def test_malformed_input_never_raises(bad) -> None:
    d = describe_msg(bad)
    assert d.title


def _vector_messages():
    for path in sorted(TX_VECTORS.glob("tx-*.json")):
        if path.name.endswith(".out.json"):
            continue
        request = json.loads(path.read_text())
        for m in request["msgs"]:
            url = m.get("typeUrl") or m.get("type_url")
            yield pytest.param(url, m["value"], id=f"{path.stem}:{url.rsplit('.', 1)[-1]}")


@pytest.mark.parametrize(("type_url", "value"), list(_vector_messages()))
def test_every_vector_message_has_plain_words(type_url: str, value) -> None:
    (d,) = describe_msgs([message_from_json(type_url, value)])
    assert "check every field" not in " ".join(d.warnings), f"no describer for {type_url}"
    text = d.title + " ".join(v for _, v in d.lines)
    assert "?" not in text and "(none)" not in text, d


def test_unbonding_period_comes_from_the_context() -> None:
    from datetime import timedelta

    from app.tx import msgs as m
    from app.tx.describe import DescribeContext, describe_msgs
    from app.wallet.address import convert_prefix

    delegator = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
    msg = m.msg_undelegate(delegator, convert_prefix(delegator, "akashvaloper"), 5_000_000)
    local = describe_msgs([msg], DescribeContext(unbonding_time=timedelta(seconds=180)))[0]
    assert any("3 minutes" in w for w in local.warnings)
    mainnet = describe_msgs([msg])[0]
    assert any("21 days" in w for w in mainnet.warnings)
