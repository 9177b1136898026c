"""Who gets a new ticket: team by kind, then round robin or least loaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tickets.domain.model import Kind, Role

Strategy = Literal["round_robin", "least_loaded"]


@dataclass(frozen=True)
class AgentLoad:
    """An agent who can take tickets and how many open tickets they hold."""

    staff_id: str
    open_tickets: int


def role_for_kind(kind: Kind) -> Role:
    """Consultations go to presales, everything else to aftersales."""
    return Role.PRESALES if Kind(kind) is Kind.CONSULTATION else Role.AFTERSALES


def choose_assignee(
    candidates: Sequence[AgentLoad], strategy: Strategy, last_assigned_id: str | None = None
) -> str | None:
    """The next agent's staff_id, or None when nobody is available."""
    if not candidates:
        return None
    if strategy == "least_loaded":
        return min(candidates, key=lambda c: (c.open_tickets, c.staff_id)).staff_id
    ordered = sorted(c.staff_id for c in candidates)
    if last_assigned_id is None:
        return ordered[0]
    return next((sid for sid in ordered if sid > last_assigned_id), ordered[0])
