"""The message-reading helpers shared by the confirmation wording and the history sentences."""

from __future__ import annotations

from app.tx.msgread import (
    CoinWords,
    deposit_coin,
    escrow_target,
    msg_id,
    msg_kind,
    vote_option,
    weight_percent,
)

IBC = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"


def test_kind_ignores_the_version() -> None:
    assert msg_kind("/akash.market.v1beta5.MsgCreateLease") == ("akash.market", "MsgCreateLease")
    assert msg_kind("/cosmos.gov.v1.MsgVote") == msg_kind("/cosmos.gov.v1beta1.MsgVote")


def test_votes_by_name_or_number_and_weights_in_percent() -> None:
    assert vote_option("VOTE_OPTION_NO_WITH_VETO") == vote_option(4) == "No with veto"
    assert vote_option("VOTE_OPTION_MAYBE") == "VOTE_OPTION_MAYBE"
    assert (weight_percent("0.6"), weight_percent("0.333"), weight_percent("1")) == ("60", "33.3", "100")
    assert weight_percent("lots") == "lots"


def test_ids_deposits_and_escrow_targets_of_every_message_version() -> None:
    assert msg_id({"bid_id": {"dseq": "9"}}, "id", "bid_id") == {"dseq": "9"}
    assert msg_id({"id": "not a mapping"}, "id") == {}
    coin = {"denom": "uact", "amount": "5"}
    assert deposit_coin({"amount": coin, "sources": ["balance"]}) == coin == deposit_coin(coin)
    assert escrow_target({"scope": "deployment", "xid": "akash1me/123"}) == "deployment 123"
    assert escrow_target({"scope": "bid", "xid": "akash1me/1/1/1/akash1p"}) == "escrow akash1me/1/1/1/akash1p"


def test_unknown_denoms_are_whole_in_confirmations_and_short_in_history() -> None:
    confirm, history = CoinWords(full_denoms=True), CoinWords()
    assert confirm.coin({"denom": "uakt", "amount": "1500000"}) == history.coin({"denom": "uakt", "amount": "1500000"})
    assert confirm.coin({"denom": IBC, "amount": "12000"}) == f"12000 {IBC}"
    assert history.coin({"denom": IBC, "amount": "12000"}) == "12,000 ibc/27394FB0…1E5EB2"
    assert history.amounts({"uact": 2_000_000, "uakt": 0}) == "2 ACT" and history.coins([]) == "nothing"
    assert confirm.coin({"denom": "uakt", "amount": "a lot"}) == "a lot uakt"
