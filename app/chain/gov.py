"""Governance (cosmos.gov.v1, tolerating the legacy v1beta1 shapes): proposals, tally, votes, params."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain.common import Coin, Page, coins
from app.chain.errors import MalformedResponse
from app.chain.jsonread import ChainEnum, Obj
from app.chain.pagination import Listing, PageRequest, fetch_all, fetch_page
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

V1 = "/cosmos/gov/v1"
V1BETA1 = "/cosmos/gov/v1beta1"


class ProposalStatus(ChainEnum):
    UNSPECIFIED = "PROPOSAL_STATUS_UNSPECIFIED"
    DEPOSIT_PERIOD = "PROPOSAL_STATUS_DEPOSIT_PERIOD"
    VOTING_PERIOD = "PROPOSAL_STATUS_VOTING_PERIOD"
    PASSED = "PROPOSAL_STATUS_PASSED"
    REJECTED = "PROPOSAL_STATUS_REJECTED"
    FAILED = "PROPOSAL_STATUS_FAILED"


class VoteOption(ChainEnum):
    UNSPECIFIED = "VOTE_OPTION_UNSPECIFIED"
    YES = "VOTE_OPTION_YES"
    ABSTAIN = "VOTE_OPTION_ABSTAIN"
    NO = "VOTE_OPTION_NO"
    NO_WITH_VETO = "VOTE_OPTION_NO_WITH_VETO"


STATUS_NUMBERS = dict(enumerate(ProposalStatus))
OPTION_NUMBERS = dict(enumerate(VoteOption))


@dataclass(frozen=True)
class TallyResult:
    yes: int
    abstain: int
    no: int
    no_with_veto: int

    @classmethod
    def parse(cls, o: Obj | None) -> TallyResult:
        if o is None:
            return cls(0, 0, 0, 0)
        if any(o.has(k) for k in ("yes", "no", "abstain", "no_with_veto")):  # v1beta1
            return cls(o.integer("yes"), o.integer("abstain"), o.integer("no"), o.integer("no_with_veto"))
        return cls(o.integer("yes_count"), o.integer("abstain_count"), o.integer("no_count"), o.integer("no_with_veto_count"))

    @property
    def total(self) -> int:
        return self.yes + self.abstain + self.no + self.no_with_veto


@dataclass(frozen=True)
class ProposalMessage:
    """A message the proposal would execute: its type and its fields as canonical JSON text."""

    type_url: str
    json: str


@dataclass(frozen=True)
class Proposal:
    id: int
    title: str
    summary: str
    status: ProposalStatus
    messages: tuple[ProposalMessage, ...]
    final_tally: TallyResult
    submit_time: datetime | None
    deposit_end_time: datetime | None
    voting_start_time: datetime | None
    voting_end_time: datetime | None
    total_deposit: tuple[Coin, ...]
    metadata: str
    proposer: str
    expedited: bool
    failed_reason: str

    @classmethod
    def parse(cls, o: Obj) -> Proposal:
        content = o.child("content")  # v1beta1: one Content instead of messages + title/summary
        messages = tuple(_message(m) for m in o.children("messages"))
        if content is not None and not messages:
            messages = (_message(content),)
        pid = o.integer("id") if o.has("id") else o.integer("proposal_id", required=True)
        return cls(
            id=pid,
            title=o.text("title") or (content.text("title") if content is not None else ""),
            summary=o.text("summary") or (content.text("description") if content is not None else ""),
            status=o.enum("status", ProposalStatus, STATUS_NUMBERS),
            messages=messages,
            final_tally=TallyResult.parse(o.child("final_tally_result")),
            submit_time=o.time("submit_time"),
            deposit_end_time=o.time("deposit_end_time"),
            voting_start_time=o.time("voting_start_time"),
            voting_end_time=o.time("voting_end_time"),
            total_deposit=coins(o, "total_deposit"),
            metadata=o.text("metadata"),
            proposer=o.text("proposer"),
            expedited=o.flag("expedited"),
            failed_reason=o.text("failed_reason"),
        )


def _message(o: Obj) -> ProposalMessage:
    fields = {k: o.raw(k) for k in o.field_names() if k != "@type"}
    return ProposalMessage(o.text("@type"), json.dumps(fields, sort_keys=True, separators=(",", ":")))


@dataclass(frozen=True)
class WeightedOption:
    option: VoteOption
    weight: Decimal


@dataclass(frozen=True)
class Vote:
    proposal_id: int
    voter: str
    options: tuple[WeightedOption, ...]
    metadata: str

    @classmethod
    def parse(cls, o: Obj) -> Vote:
        options = tuple(
            WeightedOption(w.enum("option", VoteOption, OPTION_NUMBERS), w.decimal("weight")) for w in o.children("options")
        )
        if not options and o.has("option"):  # v1beta1's deprecated single option
            options = (WeightedOption(o.enum("option", VoteOption, OPTION_NUMBERS), Decimal(1)),)
        return cls(o.integer("proposal_id"), o.text("voter", required=True), options, o.text("metadata"))

    @property
    def main_option(self) -> VoteOption:
        return max(self.options, key=lambda w: w.weight).option if self.options else VoteOption.UNSPECIFIED


@dataclass(frozen=True)
class GovParams:
    min_deposit: tuple[Coin, ...]
    expedited_min_deposit: tuple[Coin, ...]
    max_deposit_period: timedelta | None
    voting_period: timedelta | None
    expedited_voting_period: timedelta | None
    quorum: Decimal
    threshold: Decimal
    expedited_threshold: Decimal
    veto_threshold: Decimal
    min_initial_deposit_ratio: Decimal

    @classmethod
    def parse(cls, o: Obj) -> GovParams:
        """From v1's `params`, or assembled from the legacy deposit/voting/tally params objects."""
        p = o.child("params")
        if p is None:
            empty = Obj({}, o.where, o.path)
            dep, vot, tal = (o.child(k) or empty for k in ("deposit_params", "voting_params", "tally_params"))
            return cls(
                coins(dep, "min_deposit"), (), dep.duration("max_deposit_period"), vot.duration("voting_period"),
                None, _legacy_dec(tal, "quorum"), _legacy_dec(tal, "threshold"), Decimal(0),
                _legacy_dec(tal, "veto_threshold"), Decimal(0),
            )  # fmt: skip
        return cls(
            coins(p, "min_deposit"), coins(p, "expedited_min_deposit"), p.duration("max_deposit_period"),
            p.duration("voting_period"), p.duration("expedited_voting_period"), p.decimal("quorum"),
            p.decimal("threshold"), p.decimal("expedited_threshold"), p.decimal("veto_threshold"),
            p.decimal("min_initial_deposit_ratio"),
        )  # fmt: skip


def _legacy_dec(o: Obj, key: str) -> Decimal:
    """v1beta1 TallyParams hold decimals as bytes (base64 of the text); newer nodes send the text."""
    try:
        return o.decimal(key)
    except MalformedResponse:
        try:
            text = base64.b64decode(o.text(key), validate=True).decode("ascii")
        except (binascii.Error, ValueError):
            raise o.fail(key, "expected a decimal (or base64 of one)") from None
        return Obj({key: text}, o.where, o.path).decimal(key)


def _base(legacy: bool) -> str:
    return V1BETA1 if legacy else V1


async def proposals_page(
    client: ChainClient, status: ProposalStatus | None = None, page: PageRequest = PageRequest(), *, legacy: bool = False
) -> Page[Proposal]:
    params = {"proposal_status": status.value} if status else None
    return await fetch_page(client, f"{_base(legacy)}/proposals", "proposals", Proposal.parse, params=params, page=page)


async def proposals(
    client: ChainClient, status: ProposalStatus | None = None, *, cap: int = 1000, legacy: bool = False
) -> Listing[Proposal]:
    params = {"proposal_status": status.value} if status else None
    return await fetch_all(client, f"{_base(legacy)}/proposals", "proposals", Proposal.parse, params=params, cap=cap)


async def proposal(client: ChainClient, proposal_id: int, *, legacy: bool = False) -> Proposal:
    path = f"{_base(legacy)}/proposals/{int(proposal_id)}"
    return Proposal.parse(Obj(await client.get(path), path).need("proposal"))


async def tally(client: ChainClient, proposal_id: int, *, legacy: bool = False) -> TallyResult:
    path = f"{_base(legacy)}/proposals/{int(proposal_id)}/tally"
    return TallyResult.parse(Obj(await client.get(path), path).need("tally"))


async def votes(client: ChainClient, proposal_id: int, *, cap: int = 5000, legacy: bool = False) -> Listing[Vote]:
    path = f"{_base(legacy)}/proposals/{int(proposal_id)}/votes"
    return await fetch_all(client, path, "votes", Vote.parse, cap=cap)


async def vote(client: ChainClient, proposal_id: int, voter: str, *, legacy: bool = False) -> Vote:
    """The vote of one account; raises NotFound when it has not voted."""
    path = f"{_base(legacy)}/proposals/{int(proposal_id)}/votes/{segment(voter)}"
    return Vote.parse(Obj(await client.get(path), path).need("vote"))


async def params(client: ChainClient, *, legacy: bool = False) -> GovParams:
    if legacy:  # v1beta1 answers one params type per request (the other two come back zeroed)
        merged: dict[str, object] = {}
        for kind, key in (("deposit", "deposit_params"), ("voting", "voting_params"), ("tallying", "tally_params")):
            path = f"{V1BETA1}/params/{kind}"
            merged[key] = Obj(await client.get(path), path).raw(key)
        return GovParams.parse(Obj(merged, f"{V1BETA1}/params"))
    path = f"{V1}/params/tallying"
    return GovParams.parse(Obj(await client.get(path), path))
