"""T14 use case: per-agent figures for a period (tickets, SLA hit rates, resolution, satisfaction).

Tickets are read with the core's document mapping (`ticket_from_doc`); a document it cannot read
is skipped and logged rather than failing the whole report.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import structlog
from pymongo.asynchronous.database import AsyncDatabase

from ops_shared.service import Runtime
from tickets.domain.errors import DomainError, ValidationFailed
from tickets.domain.model import Period
from tickets.domain.reports import AgentRow, agent_report
from tickets.domain.ticket import Ticket
from tickets.storage.documents import ticket_from_doc
from tickets.storage.surveys import SurveyRepository
from tickets.storage.tickets import TICKETS

log = structlog.get_logger(__name__)
MAX_DAYS = 366
_NO_TIMELINE = {"timeline": 0}


async def agent_figures(runtime: Runtime, *, starts_on: date,
                        ends_on: date) -> tuple[Period, list[AgentRow]]:
    """T14: figures of the tickets opened in [starts_on, ends_on] (shop days), per assignee."""
    period = shop_period(starts_on, ends_on, runtime)
    db = runtime.database.db
    tickets = await _tickets_opened(db, period)
    responses = await SurveyRepository(db).responses_between(period)
    return period, agent_report(tickets, responses, period)


def shop_period(starts_on: date, ends_on: date, runtime: Runtime) -> Period:
    """Whole shop-local days, `ends_on` included."""
    if not 0 <= (ends_on - starts_on).days < MAX_DAYS:
        raise ValidationFailed(f"'to' must be on or after 'from' and at most {MAX_DAYS} days on")
    tz = runtime.calendar.tz
    return Period(datetime.combine(starts_on, time(0), tzinfo=tz),
                  datetime.combine(ends_on + timedelta(days=1), time(0), tzinfo=tz))


async def _tickets_opened(db: AsyncDatabase, period: Period) -> list[Ticket]:
    cursor = db[TICKETS].find({"created_at": {"$gte": period.start, "$lt": period.end}},
                              _NO_TIMELINE)
    tickets = []
    async for doc in cursor:
        ticket = _readable(doc)
        if ticket is not None:
            tickets.append(ticket)
    return tickets


def _readable(doc: dict[str, Any]) -> Ticket | None:
    try:
        return ticket_from_doc(doc)
    except (KeyError, TypeError, ValueError, DomainError) as exc:
        log.warning("report.ticket_unreadable", ticket=str(doc.get("_id")),
                    error=type(exc).__name__)
        return None
