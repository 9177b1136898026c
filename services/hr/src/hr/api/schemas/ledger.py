"""Ledger entries (H14-H20, H23), presence (H13), the fund (H22): Create / Read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from hr.api.schemas.common import Fen, StaffId, Text
from hr.domain.fund import FundEntry
from hr.domain.ledger import LedgerEntry


class LedgerEntryRead(BaseModel):
    entry_id: str
    staff_id: str
    month: str
    kind: str
    amount: int
    rule: str
    source: str
    author: str
    at: datetime
    note: str
    flag: str | None
    corrects: str | None

    @classmethod
    def of(cls, entry: LedgerEntry) -> LedgerEntryRead:
        return cls(**entry.__dict__)


class NonWorkCreate(BaseModel):
    """H19: the supervisor records non-work activity at work."""

    model_config = ConfigDict(extra="forbid")

    staff_id: StaffId
    note: Text


class PresenceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: StaffId
    status: Literal["online", "away", "offline", "invisible"]
    at: AwareDatetime | None = None


class PresenceRead(BaseModel):
    change_id: str
    staff_id: str
    status: str
    at: datetime


class SpendingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_fen: Fen
    note: Text


class FundEntryRead(BaseModel):
    entry_id: str
    direction: str
    amount_fen: int
    source: str
    note: str
    by: str
    at: datetime

    @classmethod
    def of(cls, entry: FundEntry) -> FundEntryRead:
        return cls(**entry.__dict__)


class FundRead(BaseModel):
    balance_fen: int
    entries: list[FundEntryRead]
