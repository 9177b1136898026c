"""Swaps, leave, missed punches and offline approvals (H4-H13): Create / Update / Read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from hr.api.schemas.common import StaffId, Text
from hr.domain.requests import Request


class _Create(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approver_id: StaffId
    reason: Text = ""


class SwapCreate(_Create):
    """H5: my shift on `day` for the colleague's shift on `colleague_day`."""

    day: date
    colleague_id: StaffId
    colleague_day: date


class LeaveCreate(_Create):
    """H11: ordinary leave names a cover; emergency leave does not."""

    day: date
    leave_type: Literal["ordinary", "emergency"]
    cover_id: StaffId | None = None


class MissedPunchCreate(_Create):
    """H4: the punch forgotten on `day`, and when it should have been."""

    day: date
    side: Literal["in", "out"]
    punch_at: AwareDatetime


class OfflineCreate(_Create):
    """H13: going offline between `start` and `end`, approved ahead of time."""

    start: AwareDatetime
    end: AwareDatetime


class RequestUpdate(BaseModel):
    """A decision: accept / decline (the colleague), approve / refuse (the direct
    supervisor), cancel (the requester)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "decline", "approve", "refuse", "cancel"]
    note: Text = ""


class RequestRead(BaseModel):
    request_id: str
    kind: str
    state: str
    staff_id: str
    approver_id: str
    day: date
    shift: str | None
    colleague_id: str | None
    colleague_day: date | None
    colleague_shift: str | None
    leave_type: str | None
    cover_id: str | None
    side: str | None
    punch_at: datetime | None
    start: datetime | None
    end: datetime | None
    reason: str
    created_at: datetime
    history: list[dict[str, Any]]

    @classmethod
    def of(cls, request: Request) -> RequestRead:
        fields = {k: v for k, v in request.__dict__.items() if k in cls.model_fields}
        return cls(**fields)
