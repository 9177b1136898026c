"""Schemas of the supervisor's daily review (T13) and the reminders sent to its owners."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tickets.api.schemas.common import Day, StaffId, StaffTime, request_config


class ReviewItemRead(BaseModel):
    rma_number: str = Field(description="The RMA number; for another logistics case, "
                            "`<case_type>:<case_id>`.")
    case_type: Literal["rma", "recall", "problem_parcel", "reshipment"] = "rma"
    case_id: str = Field(description="The RMA number, or the other case's id (L12).")
    order_id: str
    ticket_number: str | None
    kind: Literal["refund_in_progress", "dispute"]
    status: str | None
    refund_in_progress: bool
    dispute: bool
    next_action_at: StaffTime
    overdue: bool = Field(description="The next-action time has come.")
    note: str


class ReviewOwnerRead(BaseModel):
    owner_id: str = Field(description="After-sales owner; 'unassigned' when logistics gave none.")
    items: list[ReviewItemRead]
    reminded_at: StaffTime | None = Field(description="When the owner was reminded today.")
    reminded_by: str | None


class DailyReviewRead(BaseModel):
    day: str = Field(description="Shop-local review day.", examples=["2026-11-26"])
    as_of: StaffTime
    total: int
    owners: list[ReviewOwnerRead]


class DailyReviewQuery(BaseModel):
    """The query of `GET /review/daily`; an unknown parameter is a 422."""

    model_config = ConfigDict(extra="forbid")

    day: Day | None = Field(
        None, examples=["2026-11-26"],
        description="The shop-local day asked for; the list is live, so only today is served "
                    "(another day is a 422: past reminders are at /review/reminders?day=).")


class RemindRequest(BaseModel):
    model_config = request_config({}, {"owner_ids": ["aftersales-3"]})

    owner_ids: list[StaffId] | None = Field(
        None, min_length=1, max_length=200,
        description="Owners to remind; omit to remind everyone on today's list.")


class ReminderCaseRead(BaseModel):
    case_type: Literal["rma", "recall", "problem_parcel", "reshipment"]
    case_id: str


class ReminderRead(BaseModel):
    day: str
    owner_id: str
    rma_numbers: list[str] = Field(description="The review items' keys (as on the daily list).")
    cases: list[ReminderCaseRead] = Field(description="What each named case is, and its id.")
    reminded_at: StaffTime
    reminded_by: str


class RemindersSentRead(BaseModel):
    day: str
    reminded: list[ReminderRead]
    already_reminded: list[str] = Field(description="Owners reminded earlier today: skipped.")
    not_on_list: list[str] = Field(description="Requested owners with nothing to review.")
