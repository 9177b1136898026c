"""Events published by the hr service (contracts fixed now; hr adopts them unchanged)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ops_shared.contracts.bounds import (
    MAX_ASSIGNMENTS,
    MAX_ITEMS,
    MAX_PERIODS,
    Id,
    LocalTime,
    Name,
)
from ops_shared.contracts.envelope import Event

Role = Literal[
    "presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager", "hr_admin"
]


class StaffChanged(Event):
    """A staff member was added, changed or left (H1)."""

    event_type = "hr.staff.changed"
    producer = "hr"

    staff_id: str = Field(min_length=1, max_length=64)
    display_name: Name
    role: Role
    team: Id | None = None
    supervisor_id: Id | None = None
    active: bool = True
    session_version: int | None = Field(None, ge=0, description=(
        "The staff member's session version: it grows when their tokens must stop working "
        "(role change, deactivation, password change). Every service refuses a token whose "
        "`sv` claim is lower. Absent: the publisher does not track sessions."))


class ShiftPeriod(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: LocalTime
    end: LocalTime


class DutyAssignment(BaseModel):
    """One staff member on one shift on one day."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    day: date
    staff_id: Id
    role: Role
    shift: Id = Field(description="Shift code, e.g. cs_early, cs_late, desk_early.")
    periods: list[ShiftPeriod] = Field(max_length=MAX_PERIODS)
    holiday_duty: bool = False


class RosterPublished(Event):
    """The supervisor published the duty roster for a month (H2)."""

    event_type = "hr.roster.published"
    producer = "hr"

    roster_id: Id
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    team: Id | None = None
    assignments: list[DutyAssignment] = Field(max_length=MAX_ASSIGNMENTS)


class ShiftChanged(Event):
    """A roster entry changed through an approved swap or leave (H5, H11)."""

    event_type = "hr.shift.changed"
    producer = "hr"

    change_id: Id
    reason: Literal["swap", "leave", "correction"]
    removed: list[DutyAssignment] = Field(default_factory=list, max_length=MAX_ITEMS)
    added: list[DutyAssignment] = Field(default_factory=list, max_length=MAX_ITEMS)
    occurred_at: AwareDatetime | None = None


CONTRACTS: tuple[type[Event], ...] = (
    StaffChanged,
    RosterPublished,
    ShiftChanged,
)
"""The events of this module, registered by `ops_shared.contracts`."""
