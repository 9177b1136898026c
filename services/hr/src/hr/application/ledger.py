"""H14-H20, H23 use cases: record entries exactly once, supervisor records (H19), and reading
the ledger within what the caller may see."""

from __future__ import annotations

import uuid

import structlog

from hr.application.deps import Deps
from hr.application.staff import check_visible
from hr.domain.errors import Conflict, NotAllowed
from hr.domain.ledger import LedgerEntry, dated, non_work_step
from hr.domain.ports import HrUnitOfWork
from hr.domain.roster import month_days, month_of
from hr.domain.staff import Actor

log = structlog.get_logger(__name__)


async def record_in(uow: HrUnitOfWork, entry: LedgerEntry) -> bool:
    """Record an entry in the caller's transaction; a closed month's entry becomes a dated
    correction in the next open month (H21). False if the source was recorded before (H23)."""
    stored = dated(entry, await uow.settlements.closed_months())
    added = await uow.ledger.add(stored)
    log.info("ledger.recorded" if added else "ledger.duplicate", staff_id=entry.staff_id,
             rule=entry.rule, kind=entry.kind, amount=entry.amount, month=stored.month)
    return added


async def record(deps: Deps, entry: LedgerEntry) -> int:
    """Record one entry in its own transaction; 0 if its source was recorded before."""

    async def work(uow: HrUnitOfWork) -> bool:
        return await record_in(uow, entry)

    try:
        return int(await deps.transaction(work))
    except Conflict:  # another replica recorded the same source at the same moment
        return 0


async def record_non_work(deps: Deps, actor: Actor, staff_id: str, note: str) -> LedgerEntry:
    """H19: a supervisor records non-work activity: first a warning, then -3 points, then
    the dismissal flag."""
    now = deps.clock.now()

    async def work(uow: HrUnitOfWork) -> LedgerEntry:
        person = await uow.staff.get(staff_id)
        if actor.role != "manager" and person.supervisor_id != actor.staff_id:
            raise NotAllowed("only the person's supervisor or the manager records this")
        kind, amount, flag = non_work_step(await uow.ledger.count(staff_id, "H19"),
                                           await uow.policies.get())
        entry = LedgerEntry(uuid.uuid4().hex, staff_id, month_of(now.astimezone(deps.tz)),
                            kind, amount, "H19", f"record:{uuid.uuid4().hex}", actor.staff_id,
                            now, note, flag)
        await record_in(uow, entry)
        return entry

    return await deps.transaction(work)


async def entries_of(deps: Deps, actor: Actor, staff_id: str, month: str) -> list[LedgerEntry]:
    await check_visible(deps.reads, actor, staff_id)
    month_days(month)
    return await deps.reads.ledger.of_month(month, [staff_id])
