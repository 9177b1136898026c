"""T11/T12: classify a suggestion or complaint and summarise it (its assignee or a supervisor)."""

from __future__ import annotations

from collections.abc import Mapping

from tickets.application.context import Actor, change_ticket
from tickets.application.deps import Deps
from tickets.domain.ticket import Ticket


async def classify_ticket(deps: Deps, actor: Actor, number: str,
                          changes: Mapping[str, str | None]) -> Ticket:
    """Change the category, subject, staff member or summary; the timeline says who and when."""
    categories = await deps.reads.categories.names() if changes.get("category") else []
    return await change_ticket(deps, number, lambda t, clock, at: t.classify(
        actor.staff_id, actor.role, at, changes, categories))
