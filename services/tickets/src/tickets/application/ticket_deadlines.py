"""T2-T6: when a ticket's targets fall due, shown before any ticket exists; the intake policy
that bounds how long ago a logged request may have been asked (T2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tickets.application.context import Actor, sla_clock
from tickets.application.deps import Deps
from tickets.domain.errors import NotFound, ValidationFailed
from tickets.domain.intake import IntakePolicy
from tickets.domain.model import Channel, ComplaintGrade, Kind, Origin, graded
from tickets.domain.ports import TicketsUnitOfWork
from tickets.domain.sla import SlaTarget, opening_targets, policy_attrs


@dataclass(frozen=True)
class DeadlineQuery:
    """A ticket that could be opened: when, and what its policies match on (T9: the tier)."""

    at: datetime
    kind: Kind
    grade: ComplaintGrade | None = None
    tier: str = "regular"
    channel: Channel = Channel.IM
    origin: Origin = Origin.CUSTOMER


async def preview_deadlines(deps: Deps, query: DeadlineQuery) -> list[SlaTarget]:
    """The targets a ticket opened at `query.at` would get, computed by the same SLA clock and
    policies as an opening; nothing is stored."""
    grade = graded(query.kind, query.grade)
    try:
        await deps.reads.tiers.get(query.tier)
    except NotFound:
        raise ValidationFailed(f"unknown customer tier {query.tier!r}", field="tier") from None
    attrs = policy_attrs(query.kind, grade, query.tier, query.channel, query.origin)
    return opening_targets(await sla_clock(deps.reads, deps), attrs, query.at)


async def intake_policy(deps: Deps) -> IntakePolicy:
    return await deps.reads.policies.intake()


async def put_intake_policy(deps: Deps, actor: Actor, policy: IntakePolicy) -> IntakePolicy:
    """T2: how long ago a request logged now may have been asked; new openings use it."""
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> IntakePolicy:
        await uow.policies.put_intake(policy, actor.staff_id, at)
        return await uow.policies.intake()

    return await deps.transaction(work)
