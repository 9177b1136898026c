"""H14-H16, H20-H22 use cases: draft, review and approve the month; the activity fund."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import structlog

from hr.application.deps import Deps
from hr.application.staff import visible_ids
from hr.domain.errors import Conflict, NotAllowed
from hr.domain.fund import FundEntry, balance, check_spending
from hr.domain.ports import HrUnitOfWork
from hr.domain.roster import month_days, next_month
from hr.domain.settlement import PersonSettlement, Settlement, settle
from hr.domain.staff import Actor

log = structlog.get_logger(__name__)
SETTLERS = frozenset({"supervisor", "manager"})


def draft_day(month: str, pay_day: int) -> date:
    """H21: the day before pay day; pay day (policy) falls in the following month."""
    first = month_days(next_month(month))[0]
    return first.replace(day=min(pay_day, 28)) - timedelta(days=1)


async def start(deps: Deps, actor: Actor, month: str) -> Settlement:
    """H21: the draft settlement of the month, made once: a second start (even at the same
    moment) gives the same settlement."""
    if actor.role not in SETTLERS:
        raise NotAllowed("a supervisor or the manager settles the month")
    month_days(month)
    now = deps.clock.now()

    async def work(uow: HrUnitOfWork) -> Settlement:
        draft = Settlement(month, now, actor.staff_id, await settled(uow, month))
        await uow.settlements.add(draft)
        return draft

    try:
        settlement = await deps.transaction(work)
    except Conflict:
        return await deps.reads.settlements.get(month)
    log.info("settlement.drafted", month=month, people=len(settlement.people),
             by=actor.staff_id)
    return settlement


async def settled(uow: HrUnitOfWork, month: str) -> list[PersonSettlement]:
    """H14-H16, H20: the month settled from its ledger as it stands in this transaction."""
    return settle(await uow.staff.search(), await uow.ledger.of_month(month),
                  await uow.policies.get())


async def review(deps: Deps, actor: Actor, month: str) -> Settlement:
    """H21: the supervisor reviews the month as its ledger stands now (the draft is settled
    again: entries recorded since it was made are in it)."""
    if actor.role not in SETTLERS:
        raise NotAllowed("the supervisor reviews the settlement")

    async def work(uow: HrUnitOfWork) -> Settlement:
        settlement = await uow.settlements.get(month)
        settlement.review(actor.staff_id, deps.clock.now(), await settled(uow, month))
        await uow.settlements.save(settlement)
        return settlement

    return await deps.transaction(work)


async def approve(deps: Deps, actor: Actor, month: str) -> Settlement:
    """H21/H22: the manager approves what was reviewed, refused (409, H21) if the ledger
    changed since; the month closes and its fines enter the fund."""

    async def work(uow: HrUnitOfWork) -> Settlement:
        settlement = await uow.settlements.get(month)
        now_settled = await settled(uow, month)
        for entry in settlement.approve(actor.staff_id, actor.role, deps.clock.now(),
                                        now_settled):
            await uow.fund.add(entry)
        await uow.settlements.save(settlement)
        return settlement

    settlement = await deps.transaction(work)
    log.info("settlement.approved", month=month, by=actor.staff_id)
    return settlement


async def read(deps: Deps, actor: Actor, month: str) -> tuple[Settlement,
                                                                list[PersonSettlement]]:
    """The settlement and the people in it the caller may see (item 9)."""
    settlement = await deps.reads.settlements.get(month)
    seen = await visible_ids(deps.reads, actor)
    return settlement, [p for p in settlement.people if seen is None or p.staff_id in seen]


async def export(deps: Deps, actor: Actor, month: str) -> Settlement:
    if actor.role not in ("hr_admin", "manager"):
        raise NotAllowed("payroll export is for HR admin and the manager")
    return await deps.reads.settlements.get(month)


async def fund(deps: Deps) -> tuple[int, list[FundEntry]]:
    entries = await deps.reads.fund.all()
    return balance(entries), entries


async def spend(deps: Deps, actor: Actor, amount_fen: int, note: str) -> FundEntry:
    """H22: the manager spends from the fund, never more than it holds."""
    if actor.role != "manager":
        raise NotAllowed("only the manager spends from the activity fund")
    entry = FundEntry(uuid.uuid4().hex, "out", amount_fen, f"spending:{uuid.uuid4().hex}",
                      note, actor.staff_id, deps.clock.now())

    async def work(uow: HrUnitOfWork) -> FundEntry:
        check_spending(amount_fen, balance(await uow.fund.all()))
        await uow.fund.add(entry)
        return entry

    return await deps.transaction(work)
