"""T14 use case: per-agent figures for a period (tickets, SLA hit rates, resolution, satisfaction).

Tickets are read with the core's document mapping (`ticket_queries.opened_between`); a document it
cannot read is skipped and logged rather than failing the whole report.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tickets.application.deps import Deps
from tickets.domain.errors import ValidationFailed
from tickets.domain.model import Period
from tickets.domain.reports import AgentRow, agent_report

MAX_DAYS = 366


async def agent_figures(deps: Deps, *, starts_on: date,
                        ends_on: date) -> tuple[Period, list[AgentRow]]:
    """T14: figures of the tickets opened in [starts_on, ends_on] (shop days), per assignee."""
    period = shop_period(starts_on, ends_on, deps)
    tickets = await deps.reads.ticket_queries.opened_between(period)
    responses = await deps.reads.surveys.responses_between(period)
    return period, agent_report(tickets, responses, period)


def shop_period(starts_on: date, ends_on: date, deps: Deps, *,
                field: str = "to", after: str = "from") -> Period:
    """Whole shop-local days, `ends_on` included; `field` names the end in a refusal."""
    if not 0 <= (ends_on - starts_on).days < MAX_DAYS:
        raise ValidationFailed(
            f"'{field}' must be on or after '{after}' and at most {MAX_DAYS} days on",
            field=field)
    tz = deps.calendar.tz
    return Period(datetime.combine(starts_on, time(0), tzinfo=tz),
                  datetime.combine(ends_on + timedelta(days=1), time(0), tzinfo=tz))
