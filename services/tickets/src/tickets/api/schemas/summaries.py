"""Schemas of the suggestion (T11) and complaint (T12) summaries for a period."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from tickets.api.schemas.common import StaffTime, read_config
from tickets.domain.model import ComplaintGrade, ComplaintSubject

_AT = "2026-11-26T10:00:00+08:00"
_LINE = {"ticket_number": "TK-20261126-0003", "summary": "建议详情页增加尺码表",
         "author_id": "as-01", "written_at": _AT, "adopted_points": 10}
_CATEGORY = {"category": "website", "count": 3, "adopted": 1, "points_awarded": 10, "open": 1,
             "latest": [_LINE]}
_PERIOD = {"period_start": "2026-11-01T00:00:00+08:00",
           "period_end": "2026-12-01T00:00:00+08:00"}

PeriodEnd = Annotated[StaffTime, Field(description="Exclusive end.")]


class SummaryLineRead(BaseModel):
    model_config = read_config(_LINE)

    ticket_number: str
    summary: str
    author_id: str | None = Field(description="Who wrote the summary.")
    written_at: StaffTime | None
    adopted_points: int | None = Field(description="Points awarded if adopted (H18), else null.")


class CategorySummaryRead(BaseModel):
    model_config = read_config(_CATEGORY)

    category: str | None = Field(description="null: suggestions nobody has classified yet.")
    count: int
    adopted: int
    points_awarded: int
    open: int = Field(description="Neither rectified nor closed.")
    latest: list[SummaryLineRead] = Field(description="Latest summaries, newest first.")


class SuggestionSummaryRead(BaseModel):
    """T11: suggestions opened in the period, per category."""

    model_config = read_config({**_PERIOD, "categories": [_CATEGORY]})

    period_start: StaffTime
    period_end: PeriodEnd
    categories: list[CategorySummaryRead]


class ComplaintGroupRead(BaseModel):
    model_config = read_config({"grade": "major", "subject": "staff_service", "count": 2,
                                "rectified_in_time": 1})

    grade: ComplaintGrade
    subject: ComplaintSubject | None = Field(description="null: not classified yet.")
    count: int
    rectified_in_time: int = Field(description="Rectified within its target (T3).")


class StaffPointsRead(BaseModel):
    model_config = read_config({"staff_id": "as-01", "verified_complaints": 1, "points": -3})

    staff_id: str
    verified_complaints: int
    points: int = Field(description="−3 per verified complaint (H17).")


class ComplaintSummaryRead(BaseModel):
    """T12: complaints opened in the period per grade and subject; verified ones per staff."""

    model_config = read_config({**_PERIOD, "groups": [{"grade": "major",
                                                       "subject": "staff_service", "count": 2,
                                                       "rectified_in_time": 1}],
                                "verified_staff": [{"staff_id": "as-01",
                                                    "verified_complaints": 1, "points": -3}]})

    period_start: StaffTime
    period_end: PeriodEnd
    groups: list[ComplaintGroupRead]
    verified_staff: list[StaffPointsRead]
