"""DelegationsModel (stake and rewards per validator) and UnbondingModel (unbondings and moves with dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.staking import ACTIVE, DelegationRow, RedelegationRow, UnbondingRow
from ui.models.rows import GOOD, RIGHT, WARN, Column, RowsModel
from ui.models.timefmt import local, relative
from ui.models.validators import STATUS_WORDS, akt


def reward_text(uakt) -> str:
    return akt(int(uakt)) if uakt >= 1 else "< 0.000001 AKT"


class DelegationsModel(RowsModel[DelegationRow]):
    columns = (
        Column("Validator", lambda d: d.moniker, key=lambda d: d.moniker.casefold(), tip=lambda d: d.validator),
        Column("Staked", lambda d: akt(d.amount), key=lambda d: d.amount, align=RIGHT),
        Column("Rewards", lambda d: reward_text(d.reward), key=lambda d: d.reward, align=RIGHT,
               color=lambda d: GOOD if d.reward >= 1 else None, header_tip="Claimable now"),
        Column("Status", lambda d: STATUS_WORDS.get(d.status, d.status),
               color=lambda d: WARN if d.status != ACTIVE else None,
               tip=lambda d: "" if d.status == ACTIVE else "This validator earns no rewards now: consider moving"),
    )


@dataclass(frozen=True)
class PendingStake:
    """An unbonding (AKT on its way back) or a move between validators, with when it completes."""

    kind: str  # "Unbonding" or "Moving"
    validator: str  # moniker (for a move: "A → B")
    amount: int
    completion_time: datetime | None
    creation_height: int = 0

    @classmethod
    def of_unbonding(cls, u: UnbondingRow) -> PendingStake:
        return cls("Unbonding", u.moniker, u.amount, u.completion_time, u.creation_height)

    @classmethod
    def of_move(cls, r: RedelegationRow) -> PendingStake:
        return cls("Moving", f"{r.src_moniker or r.src} → {r.dst_moniker or r.dst}", r.amount, r.completion_time)


class UnbondingModel(RowsModel[PendingStake]):
    columns = (
        Column("Kind", lambda p: p.kind,
               tip=lambda p: "Returns to your balance on completion" if p.kind == "Unbonding"
               else "Already earning with the new validator; it cannot move again before completion"),
        Column("Validator", lambda p: p.validator),
        Column("Amount", lambda p: akt(p.amount), key=lambda p: p.amount, align=RIGHT),
        Column("Completes", lambda p: f"{local(p.completion_time)}  ({relative(p.completion_time)})",
               key=lambda p: p.completion_time.timestamp() if p.completion_time else float("inf"),
               tip=lambda p: f"Started at block {p.creation_height:,}" if p.creation_height else ""),
    )
