"""T11/T12 routes: suggestion and complaint summaries for a period (supervisor, manager)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tickets.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, SupervisorActor
from tickets.api.schemas.common import FromDay, ToDay
from tickets.api.schemas.summaries import (
    CategorySummaryRead,
    ComplaintSummaryRead,
    SuggestionSummaryRead,
)
from tickets.application import summaries
from tickets.domain.summaries import LATEST_SUMMARIES

router = APIRouter(tags=["summaries"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
Latest = Annotated[int, Query(ge=0, le=50, description="Summaries listed per category.")]


@router.get("/suggestions/summary", summary="Suggestions per category for a period (T11)")
async def suggestion_summary(deps: DepsDep, _: SupervisorActor, from_: FromDay, to: ToDay,
                             latest: Latest = LATEST_SUMMARIES) -> SuggestionSummaryRead:
    """Supervisor or manager. T11: suggestions opened in [from, to] (shop days) per category, with
    up to `latest` summaries each. 422 `to`: before `from` or 366 days or more later."""
    period, rows = await summaries.suggestions(deps, starts_on=from_, ends_on=to,
                                               latest=latest)
    return SuggestionSummaryRead(
        period_start=period.start, period_end=period.end,
        categories=[CategorySummaryRead.model_validate(row) for row in rows])


@router.get("/complaints/summary",
            summary="Complaints per grade and subject; verified staff complaints (T12)")
async def complaint_summary(deps: DepsDep, _: SupervisorActor, from_: FromDay,
                            to: ToDay) -> ComplaintSummaryRead:
    """Supervisor or manager. T12: complaints opened in [from, to] (shop days) per grade and
    subject, and per staff member the verified service complaints and points lost (H17). 422 `to`:
    before `from` or 366 days or more later."""
    period, figures = await summaries.complaints(deps, starts_on=from_, ends_on=to)
    return ComplaintSummaryRead.model_validate(
        {"period_start": period.start, "period_end": period.end,
         "groups": figures.groups, "verified_staff": figures.verified_staff})
