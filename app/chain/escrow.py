"""Escrow accounts and payments (akash.escrow.v1): funds (may be negative), deposits, lease payments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain.common import Coin, DecCoin, Page, coin_or_zero, dec_coin_or_zero, dec_coins
from app.chain.jsonread import ChainEnum, Obj
from app.chain.pagination import PageRequest, fetch_page

if TYPE_CHECKING:
    from app.chain.client import ChainClient

ACCOUNTS = "/akash/escrow/v1/types/accounts"
PAYMENTS = "/akash/escrow/v1/types/payments"


class Scope(ChainEnum):
    INVALID = "invalid"
    DEPLOYMENT = "deployment"
    BID = "bid"


class EscrowState(ChainEnum):
    INVALID = "invalid"
    OPEN = "open"
    CLOSED = "closed"
    OVERDRAWN = "overdrawn"


SCOPE_NUMBERS = dict(enumerate(Scope))
STATE_NUMBERS = dict(enumerate(EscrowState))


@dataclass(frozen=True)
class AccountID:
    scope: Scope
    xid: str  # "<owner>/<dseq>" for a deployment

    @classmethod
    def parse(cls, o: Obj) -> AccountID:
        return cls(o.enum("scope", Scope, SCOPE_NUMBERS), o.text("xid"))


@dataclass(frozen=True)
class EscrowDeposit:
    owner: str
    height: int
    source: str  # "balance" or "grant"
    balance: DecCoin

    @classmethod
    def parse(cls, o: Obj) -> EscrowDeposit:
        return cls(o.text("owner"), o.integer("height"), o.text("source"), dec_coin_or_zero(o, "balance"))


@dataclass(frozen=True)
class EscrowAccount:
    id: AccountID
    owner: str
    state: EscrowState
    transferred: tuple[DecCoin, ...]  # paid out so far, per denom
    settled_at: int  # height of the last settlement
    funds: tuple[DecCoin, ...]  # remaining; negative when overdrawn
    deposits: tuple[EscrowDeposit, ...]

    @classmethod
    def parse(cls, o: Obj) -> EscrowAccount:
        s = o.child("state") or Obj({}, o.where, o.path + ".state")
        return cls(
            id=AccountID.parse(o.need("id")),
            owner=s.text("owner"),
            state=s.enum("state", EscrowState, STATE_NUMBERS),
            transferred=dec_coins(s, "transferred"),
            settled_at=s.integer("settled_at"),
            funds=dec_coins(s, "funds"),
            deposits=tuple(EscrowDeposit.parse(d) for d in s.children("deposits")),
        )

    def funds_of(self, denom: str) -> Decimal:
        return sum((c.amount for c in self.funds if c.denom == denom), Decimal(0))


@dataclass(frozen=True)
class PaymentID:
    account: AccountID  # aid
    xid: str  # "<gseq>/<oseq>/<provider>"

    @classmethod
    def parse(cls, o: Obj) -> PaymentID:
        return cls(AccountID.parse(o.need("aid")), o.text("xid"))


@dataclass(frozen=True)
class EscrowPayment:
    id: PaymentID
    owner: str  # the provider
    state: EscrowState
    rate: DecCoin  # per block
    balance: DecCoin  # settled, not yet withdrawn by the provider
    unsettled: DecCoin  # owed while the account is overdrawn
    withdrawn: Coin

    @classmethod
    def parse(cls, o: Obj) -> EscrowPayment:
        s = o.child("state") or Obj({}, o.where, o.path + ".state")
        return cls(
            id=PaymentID.parse(o.need("id")),
            owner=s.text("owner"),
            state=s.enum("state", EscrowState, STATE_NUMBERS),
            rate=dec_coin_or_zero(s, "rate"),
            balance=dec_coin_or_zero(s, "balance"),
            unsettled=dec_coin_or_zero(s, "unsettled"),
            withdrawn=coin_or_zero(s, "withdrawn"),
        )


def deployment_xid(owner: str, dseq: int) -> str:
    return f"{owner}/{int(dseq)}"


async def accounts(
    client: ChainClient, *, xid: str = "", state: EscrowState | None = None, page: PageRequest = PageRequest()
) -> Page[EscrowAccount]:
    """Escrow accounts; `xid` is a key prefix that starts with the scope ("deployment/akash1.../123")."""
    params = {"xid": xid or None, "state": state.value if state else None}
    return await fetch_page(client, ACCOUNTS, "accounts", EscrowAccount.parse, params=params, page=page)


async def payments(
    client: ChainClient, *, xid: str = "", state: EscrowState | None = None, page: PageRequest = PageRequest()
) -> Page[EscrowPayment]:
    params = {"xid": xid or None, "state": state.value if state else None}
    return await fetch_page(client, PAYMENTS, "payments", EscrowPayment.parse, params=params, page=page)
