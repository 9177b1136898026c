"""H3, H4, H10 use cases: punches (own, or a time-clock file), derived attendance, and the
close of a working day that turns what is still unexplained into ledger entries."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import structlog

from hr.application.deps import Deps
from hr.application.ledger import record
from hr.application.staff import check_visible
from hr.domain import day_close, presence
from hr.domain.attendance import Attendance, Punch, derive, parse_punch_csv
from hr.domain.errors import NotAllowed, ValidationFailed
from hr.domain.ports import HrRepositories, HrUnitOfWork
from hr.domain.roster import RosterEntry, month_days, month_of, shift_window
from hr.domain.staff import Actor

log = structlog.get_logger(__name__)
IMPORTERS = frozenset({"hr_admin"})


async def punch(deps: Deps, actor: Actor) -> Punch:
    """H3: the caller clocks in or out now."""
    own = Punch(f"self-{uuid.uuid4().hex}", actor.staff_id, deps.clock.now(), "self",
                actor.staff_id)

    async def work(uow: HrUnitOfWork) -> None:
        await uow.staff.get(actor.staff_id)
        await uow.punches.add([own])

    await deps.transaction(work)
    return own


async def import_punches(deps: Deps, actor: Actor, text: str) -> tuple[int, int]:
    """H3: a time-clock export; each device punch id is stored once, so a re-import adds
    nothing. Returns (rows read, punches added)."""
    if actor.role not in IMPORTERS:
        raise NotAllowed("only HR admin imports time-clock files")
    rows = parse_punch_csv(text, deps.tz)
    punches = [Punch(f"device-{pid}", staff_id, at, "device", actor.staff_id)
               for pid, staff_id, at in rows]

    async def work(uow: HrUnitOfWork) -> int:
        known = {p.staff_id for p in await uow.staff.search()}
        unknown = sorted({p.staff_id for p in punches} - known)
        if unknown:
            raise ValidationFailed(f"unknown staff ids: {', '.join(unknown[:5])}", field="file")
        return await uow.punches.add(punches)

    added = await deps.transaction(work)
    log.info("punches.imported", rows=len(rows), added=added, by=actor.staff_id)
    return len(rows), added


async def attendance_of(repos: HrRepositories, deps: Deps, entry: RosterEntry,
                        now: datetime) -> Attendance:
    """H3/H4: one shift's attendance from the punches and approved missed-punch requests."""
    policy = await repos.policies.get()
    shift = policy.shift(entry.shift)
    if shift is None:
        raise ValidationFailed(f"shift {entry.shift!r} is no longer defined", field="shift")
    start, end = shift_window(entry.day, shift, deps.tz)
    margin = timedelta(minutes=policy.punch_window_minutes)
    punches = await repos.punches.between(entry.staff_id, start - margin, end + margin)
    fixes = await repos.requests.search(staff_ids=[entry.staff_id], kinds=["missed_punch"],
                                        states=["approved"], months=[month_of(entry.day)])
    corrections = {r.side: r.punch_at for r in fixes
                   if r.day == entry.day and r.side and r.punch_at}
    return derive(entry.day, entry.staff_id, shift, [p.at for p in punches], corrections,
                  deps.tz, policy.punch_window_minutes, now)


async def month_attendance(deps: Deps, actor: Actor, staff_id: str, month: str
                           ) -> list[Attendance]:
    """A person's attendance per shift for the month, recomputed from the facts."""
    await check_visible(deps.reads, actor, staff_id)
    days = set(month_days(month))
    entries = [e for r in await deps.reads.rosters.of_month(month, published=True)
               for e in r.entries if e.staff_id == staff_id and e.day in days]
    now = deps.clock.now()
    return [await attendance_of(deps.reads, deps, e, now) for e in entries]


async def close_day(deps: Deps, day: date) -> int:
    """H3/H4/H10/H11/H13: ledger entries for `day`'s absences, early leaves, lateness and
    presence, and for missed punches of the day whose explanation window has just closed.
    Idempotent per person and day: the entries' sources are unique. Returns entries added."""
    policy = await deps.reads.policies.get()
    late_day = day - timedelta(days=policy.missed_punch_days)
    added = 0
    for when, missed_only in ((day, False), (late_day, True)):
        for roster in await deps.reads.rosters.of_month(month_of(when), published=True):
            for entry in roster.on(when):
                added += await _close_shift(deps, entry, missed_only)
    log.info("day.closed", day=day.isoformat(), entries=added)
    return added


async def _close_shift(deps: Deps, entry: RosterEntry, missed_only: bool) -> int:
    now = deps.clock.now()
    policy = await deps.reads.policies.get()
    person = await deps.reads.staff.get(entry.staff_id)
    att = await attendance_of(deps.reads, deps, entry, now)
    if att.status == "upcoming":
        return 0
    if missed_only:
        causes = day_close.missed_punch_causes(att, policy)
    else:
        causes = day_close.attendance_causes(att, person, policy)
        causes += day_close.presence_causes(await _presence(deps, entry), policy)
    added = 0
    for ledger_entry in day_close.entries(att, causes, now):
        added += await record(deps, ledger_entry)
    return added


async def _presence(deps: Deps, entry: RosterEntry) -> list[presence.Finding]:
    policy = await deps.reads.policies.get()
    shift = policy.shift(entry.shift)
    if shift is None:
        return []
    start, end = shift_window(entry.day, shift, deps.tz)
    changes = await deps.reads.presence.around(entry.staff_id, start, end)
    if not changes:
        return []
    offline = await deps.reads.requests.search(staff_ids=[entry.staff_id], kinds=["offline"],
                                               states=["approved"])
    windows = [(r.start, r.end) for r in offline if r.start and r.end]
    return presence.findings(entry.day, shift, changes, windows, deps.tz)
