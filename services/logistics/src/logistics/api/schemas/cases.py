"""Problem parcel and re-shipment schemas (L12)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from logistics.api.schemas.common import In, Note, Ref, Text
from logistics.domain.cases import (
    ParcelKind,
    ParcelState,
    ProblemParcel,
    Reshipment,
    ReshipmentState,
)
from ops_shared.web import Moment, StaffTime


class ProblemParcelCreate(In):
    kind: ParcelKind
    order_id: Ref
    tracking_number: Ref
    description: str = Field(min_length=1, max_length=2000)
    next_action_at: Moment
    owner_id: Ref | None = None
    ticket_number: str | None = Field(None, pattern=r"^TK-\d{8}-\d{4,}$")


class ProblemParcelUpdate(In):
    state: ParcelState | None = None
    forwarding_number: str | None = Field(None, min_length=1, max_length=100)
    forwarding_succeeded: bool | None = None
    delivered_safely: bool | None = None
    outcome: str | None = Field(None, max_length=2000)
    owner_id: Ref | None = None
    next_action_at: Moment | None = None


class ProblemParcelRead(BaseModel):
    case_id: str
    kind: str
    state: str
    allowed_next: list[str]
    order_id: str
    tracking_number: str
    description: str
    owner_id: str
    next_action_at: StaffTime | None
    forwarding_number: str | None
    forwarding_succeeded: bool | None
    delivered_safely: bool | None
    outcome: str
    ticket_number: str | None
    opened_by: str
    opened_at: StaffTime

    @classmethod
    def of(cls, case: ProblemParcel) -> ProblemParcelRead:
        return cls(case_id=case.case_id, kind=case.kind.value, state=case.state.value,
                   allowed_next=case.allowed_next(), order_id=case.order_id,
                   tracking_number=case.tracking_number, description=case.description,
                   owner_id=case.owner_id,
                   next_action_at=case.next_action_at if case.is_open else None,
                   forwarding_number=case.forwarding_number,
                   forwarding_succeeded=case.forwarding_succeeded,
                   delivered_safely=case.delivered_safely, outcome=case.outcome,
                   ticket_number=case.ticket_number, opened_by=case.opened_by,
                   opened_at=case.opened_at)


class ReshipmentCreate(In):
    order_id: Ref
    original_tracking: Ref
    reason: Text
    problem_case_id: str | None = Field(None, pattern=r"^PP-\d{8}-\d{4,}$")
    owner_id: Ref | None = None


class ReshipmentMoveIn(In):
    state: ReshipmentState
    tracking_number: str | None = Field(None, min_length=1, max_length=100)
    courier: str | None = Field(None, max_length=50)
    note: Note = ""


class ReshipmentRead(BaseModel):
    case_id: str
    state: str
    allowed_next: list[str]
    order_id: str
    original_tracking: str
    new_tracking: str | None
    courier: str | None
    reason: str
    owner_id: str
    next_action_at: StaffTime | None
    problem_case_id: str | None
    opened_by: str
    opened_at: StaffTime

    @classmethod
    def of(cls, case: Reshipment) -> ReshipmentRead:
        return cls(case_id=case.case_id, state=case.state.value,
                   allowed_next=case.allowed_next(), order_id=case.order_id,
                   original_tracking=case.original_tracking, new_tracking=case.new_tracking,
                   courier=case.courier, reason=case.reason, owner_id=case.owner_id,
                   next_action_at=case.next_action_at, problem_case_id=case.problem_case_id,
                   opened_by=case.opened_by, opened_at=case.opened_at)
