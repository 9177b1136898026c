"""Issue 9, item 8: per-person figures of a month for supervisors: attendance, points, SLA
breaches counted against the person, tickets, and the callback satisfaction average."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from hr.application.attendance import month_attendance
from hr.application.deps import Deps
from hr.application.staff import visible_ids
from hr.domain.errors import NotAllowed
from hr.domain.ledger import score
from hr.domain.roster import month_days
from hr.domain.staff import Actor


@dataclass(frozen=True)
class Figures:
    staff_id: str
    month: str
    shifts: int
    attendance: dict[str, int]
    points: int
    sla_breaches: int
    tickets: int
    callbacks: int
    satisfaction_avg: float | None


async def month_figures(deps: Deps, actor: Actor, month: str) -> list[Figures]:
    if actor.role not in ("supervisor", "manager", "hr_admin"):
        raise NotAllowed("figures are for supervisors, HR admin and the manager")
    month_days(month)
    seen = await visible_ids(deps.reads, actor)
    people = [p for p in await deps.reads.staff.search()
              if seen is None or p.staff_id in seen]
    facts: dict[str, list[dict]] = defaultdict(list)
    for fact in await deps.reads.facts.of_month(month):
        facts[fact["staff_id"]].append(fact)
    entries = await deps.reads.ledger.of_month(month, [p.staff_id for p in people])
    policy = await deps.reads.policies.get()
    result = []
    for person in people:
        att = await month_attendance(deps, actor, person.staff_id, month)
        mine = facts[person.staff_id]
        ratings = [f["value"] for f in mine if f["kind"] == "callback"]
        result.append(Figures(
            person.staff_id, month, len(att), dict(Counter(a.status for a in att)),
            score([e for e in entries if e.staff_id == person.staff_id], policy),
            sum(f["kind"] == "sla_breach" for f in mine), sum(f["kind"] == "ticket" for f in mine),
            len(ratings), round(sum(ratings) / len(ratings), 2) if ratings else None))
    return result
