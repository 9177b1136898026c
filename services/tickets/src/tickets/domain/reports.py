"""T14: per-agent performance figures for a period, and their CSV export."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from statistics import fmean

from tickets.domain.model import Period
from tickets.domain.sla import Metric
from tickets.domain.states import TicketState
from tickets.domain.surveys import SurveyResponse
from tickets.domain.ticket import Ticket


@dataclass(frozen=True)
class AgentRow:
    """One agent's figures; rates are 0..1 and None when there was nothing to measure."""

    agent_id: str
    tickets_handled: int
    first_response_hit_rate: float | None
    resolution_sla_hit_rate: float | None
    resolution_rate: float | None
    average_satisfaction: float | None
    satisfaction_count: int


def agent_report(
    tickets: Sequence[Ticket], responses: Sequence[SurveyResponse], period: Period
) -> list[AgentRow]:
    """Tickets opened in period per assignee; satisfaction from their callbacks and surveys."""
    handled: dict[str, list[Ticket]] = defaultdict(list)
    for ticket in tickets:
        counted = ticket.state is not TicketState.MERGED and period.contains(ticket.created_at)
        if ticket.assignee_id and counted:
            handled[ticket.assignee_id].append(ticket)
    scores: dict[str, list[int]] = defaultdict(list)
    for agent, own in handled.items():
        scores[agent] += [cb.satisfaction for t in own for cb in t.callbacks if cb.confirmed]
    for response in responses:
        if response.agent_id and period.contains(response.at):
            scores[response.agent_id].append(response.score)
    agents = sorted(set(handled) | set(scores))
    return [_row(agent, handled.get(agent, []), scores.get(agent, [])) for agent in agents]


def to_csv(rows: Sequence[AgentRow]) -> str:
    """CSV text with a header row; missing figures are empty cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(AgentRow)])
    for row in rows:
        writer.writerow(["" if value is None else value for value in astuple(row)])
    return out.getvalue()


def _row(agent: str, tickets: list[Ticket], scores: list[int]) -> AgentRow:
    resolved = sum(t.rectified_at is not None or t.state is TicketState.CLOSED for t in tickets)
    return AgentRow(
        agent_id=agent,
        tickets_handled=len(tickets),
        first_response_hit_rate=_hit_rate(tickets, "first_response"),
        resolution_sla_hit_rate=_hit_rate(tickets, "rectification"),
        resolution_rate=_ratio(resolved, len(tickets)),
        average_satisfaction=round(fmean(scores), 2) if scores else None,
        satisfaction_count=len(scores),
    )


def _hit_rate(tickets: list[Ticket], metric: Metric) -> float | None:
    """Share of decided targets (met or breached) that were met on time."""
    targets = [t.target(metric) for t in tickets]
    decided = [t for t in targets if t and (t.met_at or t.breached_at)]
    on_time = sum(t.breached_at is None and (t.margin_seconds or 0) >= 0 for t in decided)
    return _ratio(on_time, len(decided))


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
