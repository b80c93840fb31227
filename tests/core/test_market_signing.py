"""The broadcast pipeline's gas margin: lease creation gets more, since its gas grows with bids placed meanwhile."""

from __future__ import annotations

from decimal import Decimal

from app.tx import msgs
from app.tx.broadcast import gas_adjustment

OWNER = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"


def test_lease_creation_gets_a_larger_gas_adjustment() -> None:
    lease = msgs.msg_create_lease(OWNER, 5, 1, 1, OWNER)
    deposit = msgs.msg_account_deposit(OWNER, OWNER, 5, 1_000_000)
    assert gas_adjustment([deposit], Decimal("1.3")) == Decimal("1.3")
    assert gas_adjustment([deposit, lease], Decimal("1.3")) == Decimal("1.6")
    assert gas_adjustment([lease], Decimal("2.5")) == Decimal("2.5")  # never lower than asked
