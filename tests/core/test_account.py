"""Wallet service logic: memo secret warnings, send checks (ACT refused, fee reserve), recipients, display units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import account
from app.account import SendRefused, build_send, resolve_recipient
from app.chain.bank import DenomMetadata, DenomUnit
from app.config import DENOM_ACT, DENOM_AKT, USDC_MAINNET
from app.denoms import DenomBook
from app.memo import memo_warnings, seed_word_run
from app.txplan import PlanError, fee_reserve_uakt, max_spendable
from app.units import AmountError
from app.wallet.addressbook import AddressBook

ME = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
FRIEND = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
PHRASE = ("speak elegant rural family bacon code lava coral equal abuse around volcano company famous clog "
          "cigar stay priority coconut team income swamp increase razor")


# ---- memo ------------------------------------------------------------------------------------------------


def test_a_pasted_recovery_phrase_is_flagged() -> None:
    (warning,) = memo_warnings(PHRASE)
    assert "recovery phrase" in warning and "24 words" in warning


def test_twelve_words_with_odd_separators_and_case_are_flagged() -> None:
    twelve = " ".join(PHRASE.split()[:12]).upper().replace(" ", ",\n ")
    assert seed_word_run(twelve) == 12
    assert memo_warnings(twelve)


def test_eleven_words_or_ordinary_memos_are_not_flagged() -> None:
    assert memo_warnings(" ".join(PHRASE.split()[:11])) == ()
    for memo in ("", "104857", "invoice 42: hosting for March", "thanks for the pizza, see you at the meetup",
                 "deposit for exchange account able about above absent"):
        assert memo_warnings(memo) == (), memo


def test_ordinary_english_sentences_do_not_reach_twelve_list_words_in_a_row() -> None:
    # Most English words are not in the BIP39 list; a run is broken by any word that is not.
    assert memo_warnings("please send the remaining balance to my other wallet before friday evening thanks") == ()


@pytest.mark.parametrize(("memo", "kind"), [
    ("key: " + "ab" * 32, "64 hexadecimal"),
    ("0x" + "9F" * 32, "64 hexadecimal"),
    ("-----BEGIN EC PRIVATE KEY-----\nMHQC...", "PEM"),
    ("A" * 43 + "=", "base64"),
])
def test_private_keys_are_flagged(memo: str, kind: str) -> None:
    (warning,) = memo_warnings(memo)
    assert "private key" in warning and kind in warning


def test_a_transaction_hash_gets_the_key_warning_with_the_hash_hint() -> None:
    (warning,) = memo_warnings("refund of tx " + "C" * 64)
    assert "transaction hash" in warning


# ---- reserve and MAX ------------------------------------------------------------------------------------


def test_fee_reserve_scales_with_the_gas_price_and_rounds_up() -> None:
    assert fee_reserve_uakt("0.025") == 22_500
    assert fee_reserve_uakt("0.0025") == 2_250
    assert fee_reserve_uakt("0.0251", txs=1) == 7_530
    assert fee_reserve_uakt(Decimal("0.00000001"), txs=1) == 1


def test_max_keeps_the_reserve_only_for_akt() -> None:
    assert max_spendable(1_000_000, DENOM_AKT, 22_500) == 977_500
    assert max_spendable(10_000, DENOM_AKT, 22_500) == 0
    assert max_spendable(5_000_000, USDC_MAINNET, 22_500) == 5_000_000


# ---- send -----------------------------------------------------------------------------------------------

BALANCES = {DENOM_AKT: 10_000_000, DENOM_ACT: 50_000_000, USDC_MAINNET: 3_000_000}


def test_send_builds_one_msgsend_with_memo_and_spends() -> None:
    plan = build_send(ME, FRIEND, 2_500_000, DENOM_AKT, balances=BALANCES, reserve_uakt=22_500, memo="lunch",
                      recipient_name="Friend")
    (msg,) = plan.msgs
    assert (msg.from_address, msg.to_address, msg.amount[0].denom, msg.amount[0].amount) == (ME, FRIEND, "uakt", "2500000")
    assert plan.memo == "lunch" and plan.spends == {DENOM_AKT: 2_500_000} and plan.warnings == ()
    assert plan.title == "Send 2.5 AKT to Friend"
    assert plan.describe()[0].title == "Send 2.5 AKT"
    assert plan.balance_after(BALANCES, fee_uakt=3_000)[DENOM_AKT] == 10_000_000 - 2_500_000 - 3_000


def test_act_is_refused_with_a_reason() -> None:
    with pytest.raises(SendRefused, match="ACT is not transferable") as err:
        build_send(ME, FRIEND, 1_000_000, DENOM_ACT, balances=BALANCES, reserve_uakt=0)
    assert err.value.field == "denom"


def test_max_akt_send_is_allowed_but_one_more_uakt_is_not() -> None:
    top = max_spendable(BALANCES[DENOM_AKT], DENOM_AKT, 22_500)
    build_send(ME, FRIEND, top, DENOM_AKT, balances=BALANCES, reserve_uakt=22_500)
    with pytest.raises(PlanError, match="kept for fees"):
        build_send(ME, FRIEND, top + 1, DENOM_AKT, balances=BALANCES, reserve_uakt=22_500)


def test_usdc_send_needs_akt_for_the_fee() -> None:
    plan = build_send(ME, FRIEND, 3_000_000, USDC_MAINNET, balances=BALANCES, reserve_uakt=22_500)
    assert plan.spends == {USDC_MAINNET: 3_000_000}
    with pytest.raises(PlanError, match="kept for fees"):
        build_send(ME, FRIEND, 1, USDC_MAINNET, balances={USDC_MAINNET: 5, DENOM_AKT: 100}, reserve_uakt=22_500)


@pytest.mark.parametrize(("amount", "match"), [(0, "more than zero"), (-5, "more than zero"),
                                               (20_000_000, "you have 10 AKT")])
def test_bad_amounts_are_refused(amount: int, match: str) -> None:
    with pytest.raises(SendRefused, match=match):
        build_send(ME, FRIEND, amount, DENOM_AKT, balances=BALANCES, reserve_uakt=0)


def test_long_memo_and_bad_address_are_refused() -> None:
    with pytest.raises(SendRefused, match="at most 256"):
        build_send(ME, FRIEND, 1, DENOM_AKT, balances=BALANCES, reserve_uakt=0, memo="x" * 257)
    with pytest.raises(SendRefused, match="recipient"):
        build_send(ME, FRIEND[:-1] + "d", 1, DENOM_AKT, balances=BALANCES, reserve_uakt=0)


def test_memo_warning_and_self_send_are_carried_to_the_confirmation() -> None:
    plan = build_send(ME, ME, 1, DENOM_AKT, balances=BALANCES, reserve_uakt=0, memo=PHRASE)
    assert len(plan.warnings) == 2 and "recovery phrase" in plan.warnings[0] and "own address" in plan.warnings[1]
    assert plan.spends == {}


# ---- recipients -----------------------------------------------------------------------------------------


def test_recipient_by_address_or_contact(tmp_path) -> None:
    book = AddressBook(tmp_path / "book.json")
    book.add("Friend", FRIEND)
    assert resolve_recipient(f"  {FRIEND} ", book) == (FRIEND, "Friend")
    assert resolve_recipient("friend", book) == (FRIEND, "Friend")
    assert resolve_recipient(ME, book) == (ME, "")
    with pytest.raises(SendRefused, match="neither"):
        resolve_recipient("nobody", book)
    with pytest.raises(SendRefused, match="checksum"):
        resolve_recipient(FRIEND[:-1] + "x", book)
    with pytest.raises(SendRefused, match="enter the recipient"):
        resolve_recipient("   ", book)


# ---- units and values -----------------------------------------------------------------------------------


def test_denom_book_uses_chain_metadata_for_unknown_denoms() -> None:
    meta = DenomMetadata("ibc/ABC", "atom", "Cosmos Hub Atom", "ATOM", "",
                         (DenomUnit("ibc/ABC", 0, ()), DenomUnit("atom", 6, ())))
    book = DenomBook.from_metadata([meta])
    assert book.format(1_234_500, "ibc/ABC") == "1.2345 ATOM"
    assert book.format(1_500_000, DENOM_AKT) == "1.5 AKT"
    assert book.format(7, "ibc/" + "F" * 64).startswith("7 ibc/FFFFFFFF…")
    assert book.parse("2.5", DENOM_ACT) == 2_500_000
    with pytest.raises(AmountError, match="6 decimals"):
        book.parse("0.0000001", DENOM_AKT)


def test_usd_values_use_the_oracle_for_akt_and_par_for_act_and_usdc() -> None:
    assert account._usd(DENOM_AKT, 2_000_000, 6, Decimal("1.25")) == Decimal("2.5")
    assert account._usd(DENOM_AKT, 2_000_000, 6, None) is None
    assert account._usd(DENOM_ACT, 3_000_000, 6, None) == Decimal(3)
    assert account._usd(USDC_MAINNET, 1_000_000, 6, None) == Decimal(1)
    assert account._usd("ibc/OTHER", 1_000_000, 6, Decimal(1)) is None
