"""H22: the department activity fund. Every fine goes in; spending goes out; the fund keeps its
own ledger and is never overdrawn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from hr.domain.errors import RuleRefused

Direction = Literal["in", "out"]


@dataclass(frozen=True)
class FundEntry:
    """One movement; `source` is unique (a settled person's fines, or a spending id)."""

    entry_id: str
    direction: Direction
    amount_fen: int
    source: str
    note: str
    by: str
    at: datetime


def balance(entries: Iterable[FundEntry]) -> int:
    return sum(e.amount_fen if e.direction == "in" else -e.amount_fen for e in entries)


def check_spending(amount_fen: int, current_balance: int) -> None:
    if amount_fen > current_balance:
        raise RuleRefused("H22", "fund_overdrawn",
                          f"the fund holds {current_balance} fen; {amount_fen} cannot be spent")
