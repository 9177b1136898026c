"""T11/T12 use cases: suggestion and complaint summaries for a period of shop-local days."""

from __future__ import annotations

from datetime import date

from ops_shared.service import Runtime
from tickets.application.reports import shop_period
from tickets.domain.model import Kind, Period
from tickets.domain.summaries import (
    CategoryFigures,
    ComplaintFigures,
    complaint_summary,
    suggestion_summary,
)
from tickets.storage.categories import CategoryStore
from tickets.storage.tickets import TicketQueries


async def suggestions(runtime: Runtime, *, starts_on: date, ends_on: date,
                      latest: int) -> tuple[Period, list[CategoryFigures]]:
    """T11: suggestions opened in [starts_on, ends_on], per category, with the latest summaries."""
    period = shop_period(starts_on, ends_on, runtime)
    db = runtime.database.db
    tickets = await TicketQueries(db).opened_between(period, Kind.SUGGESTION)
    categories = await CategoryStore(db).names()
    return period, suggestion_summary(tickets, period, categories, latest)


async def complaints(runtime: Runtime, *, starts_on: date,
                     ends_on: date) -> tuple[Period, ComplaintFigures]:
    """T12: complaints opened in [starts_on, ends_on] per grade and subject; staff points."""
    period = shop_period(starts_on, ends_on, runtime)
    tickets = await TicketQueries(runtime.database.db).opened_between(period, Kind.COMPLAINT)
    return period, complaint_summary(tickets, period)
