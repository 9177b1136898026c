"""Rosters (H2, H7, H12): Create / Update / Read."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from hr.api.schemas.common import Month, ShiftCode, StaffId, Team
from hr.domain.roster import Roster, RosterEntry


class RosterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: Month
    team: Team


class RosterEntryUpdate(BaseModel):
    """Put a person on a shift that day (`shift: null`: off duty), with holiday duty (H7)."""

    model_config = ConfigDict(extra="forbid")

    day: date
    staff_id: StaffId
    shift: ShiftCode | None
    holiday_duty: bool = False


class RosterEntryRead(BaseModel):
    day: date
    staff_id: str
    role: str
    shift: str
    holiday_duty: bool
    swap_id: str | None

    @classmethod
    def of(cls, entry: RosterEntry) -> RosterEntryRead:
        return cls(**entry.__dict__)


class RosterRead(BaseModel):
    roster_id: str
    month: str
    team: str
    status: str
    version: int
    published_at: datetime | None
    published_by: str | None
    entries: list[RosterEntryRead]

    @classmethod
    def of(cls, roster: Roster) -> RosterRead:
        return cls(roster_id=roster.roster_id, month=roster.month, team=roster.team,
                   status=roster.status, version=roster.version,
                   published_at=roster.published_at, published_by=roster.published_by,
                   entries=[RosterEntryRead.of(e) for e in roster.entries])
