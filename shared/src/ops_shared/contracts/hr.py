"""Events published by the hr service (contracts fixed now; hr adopts them unchanged)."""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ops_shared.contracts.envelope import Event

Role = Literal[
    "presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager", "hr_admin"
]


class StaffChanged(Event):
    """A staff member was added, changed or left (H1)."""

    event_type = "hr.staff.changed"
    producer = "hr"

    staff_id: str = Field(min_length=1, max_length=64)
    display_name: str
    role: Role
    team: str | None = None
    supervisor_id: str | None = None
    active: bool = True


class ShiftPeriod(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: time
    end: time


class DutyAssignment(BaseModel):
    """One staff member on one shift on one day."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    day: date
    staff_id: str
    role: Role
    shift: str = Field(description="Shift code, e.g. cs_early, cs_late, desk_early.")
    periods: list[ShiftPeriod]
    holiday_duty: bool = False


class RosterPublished(Event):
    """The supervisor published the duty roster for a month (H2)."""

    event_type = "hr.roster.published"
    producer = "hr"

    roster_id: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    team: str | None = None
    assignments: list[DutyAssignment]


class ShiftChanged(Event):
    """A roster entry changed through an approved swap or leave (H5, H11)."""

    event_type = "hr.shift.changed"
    producer = "hr"

    change_id: str
    reason: Literal["swap", "leave", "correction"]
    removed: list[DutyAssignment] = Field(default_factory=list)
    added: list[DutyAssignment] = Field(default_factory=list)
    occurred_at: AwareDatetime | None = None


CONTRACTS: tuple[type[Event], ...] = (
    StaffChanged,
    RosterPublished,
    ShiftChanged,
)
"""The events of this module, registered by `ops_shared.contracts`."""
