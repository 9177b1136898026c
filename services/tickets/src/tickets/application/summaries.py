"""T11/T12 use cases: suggestion and complaint summaries for a period of shop-local days."""

from __future__ import annotations

from datetime import date

from tickets.application.deps import Deps
from tickets.application.reports import shop_period
from tickets.domain.model import Kind, Period
from tickets.domain.summaries import (
    CategoryFigures,
    ComplaintFigures,
    complaint_summary,
    suggestion_summary,
)


async def suggestions(deps: Deps, *, starts_on: date, ends_on: date,
                      latest: int) -> tuple[Period, list[CategoryFigures]]:
    """T11: suggestions opened in [starts_on, ends_on], per category, with the latest summaries."""
    period = shop_period(starts_on, ends_on, deps)
    tickets = await deps.reads.ticket_queries.opened_between(period, Kind.SUGGESTION)
    categories = await deps.reads.categories.names()
    return period, suggestion_summary(tickets, period, categories, latest)


async def complaints(deps: Deps, *, starts_on: date,
                     ends_on: date) -> tuple[Period, ComplaintFigures]:
    """T12: complaints opened in [starts_on, ends_on] per grade and subject; staff points."""
    period = shop_period(starts_on, ends_on, deps)
    tickets = await deps.reads.ticket_queries.opened_between(period, Kind.COMPLAINT)
    return period, complaint_summary(tickets, period)
