"""Schemas of survey rounds (T14), their responses and summaries, and opinion dispatches (T5).

A dispatch step's body is named after the step with the suffix `Request`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tickets.api.schemas.common import Day, Moment, StaffTime, request_config

DEPARTMENT_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
ROUND_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
Department = Annotated[str, Field(pattern=DEPARTMENT_PATTERN, examples=["logistics"])]
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class SurveyRoundCreate(BaseModel):
    model_config = request_config(
        {"title": "2026年11月满意度调查", "starts_on": "2026-11-01", "ends_on": "2026-11-30"})

    title: str = Field(min_length=1, max_length=200)
    starts_on: Day = Field(description="First day of service surveyed (shop time zone).")
    ends_on: Day = Field(description="Last day of service surveyed, inclusive.")

    @model_validator(mode="after")
    def _ordered(self) -> SurveyRoundCreate:
        if not 0 <= (self.ends_on - self.starts_on).days <= 366:
            raise ValueError("ends_on must be on or after starts_on, at most 366 days later")
        return self


class SurveyRoundRead(BaseModel):
    id: str
    title: str
    period_start: StaffTime
    period_end: StaffTime
    status: Literal["open", "summarised"]
    created_at: StaffTime
    created_by: str
    summarised_at: StaffTime | None
    summarised_by: str | None


class SurveyResponseCreate(BaseModel):
    model_config = request_config(
        {"customer_id": "c-1024", "agent_id": "agent-7", "ticket_number": "TK-20261126-0001",
         "score": 4, "opinion": "快递太慢了"})

    customer_id: Ref
    agent_id: Ref | None = None
    ticket_number: Ref | None = None
    score: int = Field(ge=1, le=5, strict=True)
    opinion: str = Field("", max_length=2000)
    answered_at: Moment | None = Field(None, description="Defaults to now.")


class SurveyResponseRead(BaseModel):
    round_id: str
    customer_id: str
    agent_id: str | None
    ticket_number: str | None
    score: int
    opinion: str
    at: StaffTime


class OpinionRoute(BaseModel):
    """Opinions containing `keyword` go to `department`."""

    model_config = request_config()

    keyword: str = Field(min_length=1, max_length=40, examples=["快递"])
    department: Department


class SummariseRequest(BaseModel):
    model_config = request_config({
        "routes": [{"keyword": "快递", "department": "logistics"},
                   {"keyword": "开胶", "department": "quality"}],
        "default_department": "customer_service"})

    routes: list[OpinionRoute] = Field(default_factory=list, max_length=200,
                                       description="Keyword → department; the first match wins.")
    default_department: Department = "customer_service"


class DepartmentOpinionsRead(BaseModel):
    department: str
    opinions: list[str]


class SurveyDispatchRead(BaseModel):
    id: str
    round_id: str
    department: str
    status: str
    opinions: list[str]
    summarised_at: StaffTime
    dispatch_due: StaffTime
    dispatched_at: StaffTime | None
    measures_due: StaffTime | None
    measures: str | None
    measures_at: StaffTime | None
    fixed_at: StaffTime | None
    fix_note: str | None
    callback_due: StaffTime | None
    callback_scheduled_for: StaffTime | None
    callback_note: str | None
    steps_by: dict[str, str]
    late: list[str] = Field(description="Steps past their T5 deadline now.")


class SurveySummaryRead(BaseModel):
    round: SurveyRoundRead
    count: int
    average: float | None
    per_agent: dict[str, float]
    opinions: list[DepartmentOpinionsRead]
    dispatches: list[SurveyDispatchRead]


class RecordMeasuresRequest(BaseModel):
    model_config = request_config({"measures": "更换快递合作方，发货后24小时内揽收。"})

    measures: str = Field(min_length=1, max_length=5000)


class FixRequest(BaseModel):
    model_config = request_config({"note": "新快递合同已生效"}, {})

    note: str = Field("", max_length=2000, examples=["新快递合同已生效"])


class ScheduleCallbackRequest(BaseModel):
    model_config = request_config({"scheduled_for": "2026-10-20T10:00:00+08:00",
                                   "note": "电话回访"})

    scheduled_for: Moment
    note: str = Field("", max_length=2000)


class SurveyDispatchListQuery(BaseModel):
    """The query of `GET /survey-dispatches`; an unknown parameter is a 422."""

    model_config = ConfigDict(extra="forbid")

    overdue: bool = False
    department: Annotated[str, Field(pattern=DEPARTMENT_PATTERN)] | None = None
    round_id: Annotated[str, Field(pattern=ROUND_ID_PATTERN)] | None = None
    limit: int = Field(200, ge=1, le=500)
