"""Schemas of classification (T11, T12): categories, a ticket's classification, the summaries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tickets.api.schemas import CategoryName, StaffId
from tickets.domain.model import ComplaintGrade, ComplaintSubject

SummaryText = Annotated[str, Field(min_length=1, max_length=500)]
_AT = "2026-11-26T10:00:00+08:00"
_LINE = {"ticket_number": "TK-20261126-0003", "summary": "建议详情页增加尺码表",
         "author_id": "as-01", "written_at": _AT, "adopted_points": 10}
_CATEGORY = {"category": "website", "count": 3, "adopted": 1, "points_awarded": 10, "open": 1,
             "latest": [_LINE]}
_PERIOD = {"period_start": "2026-11-01T00:00:00+08:00",
           "period_end": "2026-12-01T00:00:00+08:00"}


def _in(*examples: dict) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


def _out(*examples: dict) -> ConfigDict:
    return ConfigDict(from_attributes=True, json_schema_extra={"examples": list(examples)})


class CategoryIn(BaseModel):
    model_config = _in({"description": "网店页面 website"})

    description: Annotated[str, Field(max_length=200)] = ""


class CategoryView(BaseModel):
    """A suggestion category (T11)."""

    model_config = _out({"name": "website", "description": "网店页面 website",
                         "updated_by": "mgr-01", "updated_at": _AT})

    name: str
    description: str = ""
    updated_by: str | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, doc: dict[str, Any]) -> CategoryView:
        return cls(name=doc["_id"], **{k: v for k, v in doc.items() if k != "_id"})


class ClassificationIn(BaseModel):
    """T11/T12: only the fields given change; `null` clears one. `category` is for suggestions,
    `subject` and `staff_id` for complaints, `summary` for both."""

    model_config = _in({"category": "website", "summary": "建议详情页增加尺码对照表"},
                       {"subject": "staff_service", "staff_id": "as-01"})

    category: CategoryName | None = None
    subject: ComplaintSubject | None = None
    staff_id: StaffId | None = None
    summary: SummaryText | None = None

    @model_validator(mode="after")
    def _something(self) -> ClassificationIn:
        if not self.model_fields_set:
            raise ValueError("give at least one of category, subject, staff_id, summary")
        return self

    def changes(self) -> dict[str, str | None]:
        return self.model_dump(mode="json", exclude_unset=True)


class SummaryLineView(BaseModel):
    model_config = _out(_LINE)

    ticket_number: str
    summary: str
    author_id: str | None = Field(description="Who wrote the summary.")
    written_at: datetime | None
    adopted_points: int | None = Field(description="Points awarded if adopted (H18), else null.")


class CategorySummaryView(BaseModel):
    model_config = _out(_CATEGORY)

    category: str | None = Field(description="null: suggestions nobody has classified yet.")
    count: int
    adopted: int
    points_awarded: int
    open: int = Field(description="Neither rectified nor closed.")
    latest: list[SummaryLineView] = Field(description="Latest summaries, newest first.")


class SuggestionSummaryView(BaseModel):
    """T11: suggestions opened in the period, per category."""

    model_config = _out({**_PERIOD, "categories": [_CATEGORY]})

    period_start: datetime
    period_end: datetime = Field(description="Exclusive end.")
    categories: list[CategorySummaryView]


class ComplaintGroupView(BaseModel):
    model_config = _out({"grade": "major", "subject": "staff_service", "count": 2,
                         "rectified_in_time": 1})

    grade: ComplaintGrade
    subject: ComplaintSubject | None = Field(description="null: not classified yet.")
    count: int
    rectified_in_time: int = Field(description="Rectified within its target (T3).")


class StaffPointsView(BaseModel):
    model_config = _out({"staff_id": "as-01", "verified_complaints": 1, "points": -3})

    staff_id: str
    verified_complaints: int
    points: int = Field(description="−3 per verified complaint (H17).")


class ComplaintSummaryView(BaseModel):
    """T12: complaints opened in the period per grade and subject; verified ones per staff."""

    model_config = _out({**_PERIOD, "groups": [{"grade": "major", "subject": "staff_service",
                                                "count": 2, "rectified_in_time": 1}],
                         "verified_staff": [{"staff_id": "as-01", "verified_complaints": 1,
                                             "points": -3}]})

    period_start: datetime
    period_end: datetime = Field(description="Exclusive end.")
    groups: list[ComplaintGroupView]
    verified_staff: list[StaffPointsView]
