"""T11/T12: classify a suggestion or complaint and summarise it (its assignee or a supervisor)."""

from __future__ import annotations

from collections.abc import Mapping

from ops_shared.service import Runtime
from tickets.application.context import Actor, change_ticket
from tickets.domain.ticket import Ticket
from tickets.storage.categories import CategoryStore


async def classify_ticket(runtime: Runtime, actor: Actor, number: str,
                          changes: Mapping[str, str | None]) -> Ticket:
    """Change the category, subject, staff member or summary; the timeline says who and when."""
    categories = await CategoryStore(runtime.database.db).names() if changes.get("category") else []
    return await change_ticket(runtime, number, lambda t, clock, at: t.classify(
        actor.staff_id, actor.role, at, changes, categories))
