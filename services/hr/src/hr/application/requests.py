"""H4-H13 use cases: ask for a swap, leave, a missed punch or going offline; the colleague and
the direct supervisor decide on one state machine. An approved swap or leave changes the
roster in the same transaction and publishes `hr.shift.changed`."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import structlog

from hr.application.deps import Deps
from hr.application.staff import visible_ids
from hr.domain import requests as rules
from hr.domain.errors import NotAllowed, NotFound, RuleRefused, ValidationFailed
from hr.domain.policy import HrPolicy, ShiftDef
from hr.domain.ports import HrRepositories, HrUnitOfWork
from hr.domain.requests import LIVE, LeaveType, Request, new_request
from hr.domain.roster import Roster, RosterEntry, month_of, shift_window, staffing_gaps, swapped
from hr.domain.staff import Actor
from ops_shared.contracts.hr import ShiftChanged

log = structlog.get_logger(__name__)


def _id(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:12]}"


async def _duty(repos: HrRepositories, day: date, staff_id: str) -> tuple[Roster, RosterEntry]:
    for roster in await repos.rosters.of_month(month_of(day), published=True):
        entry = roster.entry(day, staff_id)
        if entry is not None:
            return roster, entry
    raise NotFound(f"{staff_id} has no published shift on {day}")


def _shift(policy: HrPolicy, code: str) -> ShiftDef:
    shift = policy.shift(code)
    if shift is None:
        raise ValidationFailed(f"shift {code!r} is no longer defined", field="shift")
    return shift


async def _swaps(repos: HrRepositories, staff_id: str, months: set[str]
                 ) -> list[tuple[date, ...]]:
    """H6: the days of each of the person's live swaps (as requester or colleague)."""
    swaps = await repos.requests.search(staff_ids=[staff_id], kinds=["swap"], states=LIVE,
                                        months=months)
    return [tuple(d for d in (r.day, r.colleague_day) if d is not None) for r in swaps]


async def request_swap(deps: Deps, actor: Actor, day: date, colleague_id: str,
                       colleague_day: date, approver_id: str, reason: str) -> Request:
    """H5-H7, H11: a swap with a colleague, before the shift, within the month's limits."""
    now = deps.clock.now()

    async def work(uow: HrUnitOfWork) -> Request:
        if colleague_id == actor.staff_id:
            raise ValidationFailed("a swap needs a colleague", field="colleague_id")
        policy = await uow.policies.get()
        requester = await uow.staff.get(actor.staff_id)
        await uow.staff.get(colleague_id)
        _, mine = await _duty(uow, day, actor.staff_id)
        _, theirs = await _duty(uow, colleague_day, colleague_id)
        for entry in (mine, theirs):
            rules.check_not_holiday_duty(entry)
            start, _ = shift_window(entry.day, _shift(policy, entry.shift), deps.tz)
            rules.check_before_start(now, start)
        months = {month_of(d + timedelta(days=k)) for d in (day, colleague_day)
                  for k in (-1, 0, 1)}
        for person, when in ((actor.staff_id, day), (colleague_id, colleague_day)):
            rules.check_swap_limits(when, await _swaps(uow, person, months), policy, person)
        request = new_request(_id("swap"), "swap", requester, approver_id, day, now,
                              shift=mine.shift, colleague_id=colleague_id,
                              colleague_day=colleague_day, colleague_shift=theirs.shift,
                              reason=reason)
        await uow.requests.add(request)
        return request

    return await _logged(deps.transaction(work), "swap")


async def request_leave(deps: Deps, actor: Actor, day: date, leave_type: LeaveType,
                        cover_id: str | None, approver_id: str, reason: str) -> Request:
    """H7-H9, H11: leave names a cover (ordinary, a day ahead) or is an emergency (2 h)."""
    now = deps.clock.now()

    async def work(uow: HrUnitOfWork) -> Request:
        policy = await uow.policies.get()
        requester = await uow.staff.get(actor.staff_id)
        roster, entry = await _duty(uow, day, actor.staff_id)
        shift = _shift(policy, entry.shift)
        rules.check_not_holiday_duty(entry)
        rules.check_leave_allowed(entry, shift)
        start, _ = shift_window(day, shift, deps.tz)
        rules.check_leave_notice(leave_type, now, start, policy, deps.tz)
        if leave_type == "ordinary":
            await _check_cover(uow, roster, entry, shift, cover_id)
        request = new_request(_id("leave"), "leave", requester, approver_id, day, now,
                              shift=entry.shift, leave_type=leave_type,
                              cover_id=cover_id if leave_type == "ordinary" else None,
                              reason=reason)
        await uow.requests.add(request)
        return request

    return await _logged(deps.transaction(work), "leave")


async def _check_cover(uow: HrUnitOfWork, roster: Roster, entry: RosterEntry, shift: ShiftDef,
                       cover_id: str | None) -> None:
    if not cover_id or cover_id == entry.staff_id:
        raise RuleRefused("H11", "no_cover", "ordinary leave names a colleague to cover it")
    cover = await uow.staff.get(cover_id)
    if not cover.active or cover.role not in shift.roles:
        raise ValidationFailed(f"{cover_id} cannot work {shift.code}", field="cover_id")
    if roster.entry(entry.day, cover_id) is not None:
        raise ValidationFailed(f"{cover_id} is already on duty on {entry.day}",
                               field="cover_id")


async def request_missed_punch(deps: Deps, actor: Actor, day: date, side: str,
                               punch_at: datetime, approver_id: str, reason: str) -> Request:
    """H4: explain a forgotten punch within 2 days, at most 3 times a month."""
    now = deps.clock.now()

    async def work(uow: HrUnitOfWork) -> Request:
        policy = await uow.policies.get()
        requester = await uow.staff.get(actor.staff_id)
        _, entry = await _duty(uow, day, actor.staff_id)
        _, end = shift_window(day, _shift(policy, entry.shift), deps.tz)
        used = await uow.requests.search(staff_ids=[actor.staff_id], kinds=["missed_punch"],
                                         states=LIVE, months=[month_of(day)])
        rules.check_missed_punch(now, end, len(used), policy)
        request = new_request(_id("punch"), "missed_punch", requester, approver_id, day, now,
                              shift=entry.shift, side=side, punch_at=punch_at, reason=reason)
        await uow.requests.add(request)
        return request

    return await _logged(deps.transaction(work), "missed_punch")


async def request_offline(deps: Deps, actor: Actor, start: datetime, end: datetime,
                          approver_id: str, reason: str) -> Request:
    """H13: going offline for a reason needs the supervisor's approval beforehand."""
    now = deps.clock.now()
    if end <= start:
        raise ValidationFailed("the end comes after the start", field="end")
    if now >= start:
        raise RuleRefused("H13", "offline_not_ahead",
                          "going offline is approved ahead of time, not afterwards")

    async def work(uow: HrUnitOfWork) -> Request:
        requester = await uow.staff.get(actor.staff_id)
        request = new_request(_id("offline"), "offline", requester, approver_id,
                              start.astimezone(deps.tz).date(), now, start=start, end=end,
                              reason=reason)
        await uow.requests.add(request)
        return request

    return await _logged(deps.transaction(work), "offline")


async def _logged(pending, kind: str) -> Request:
    request = await pending
    log.info("request.made", request_id=request.request_id, kind=kind,
             staff_id=request.staff_id)
    return request


async def act(deps: Deps, actor: Actor, request_id: str, action: str, note: str = ""
              ) -> Request:
    """One move of the state machine; approval applies the request to the roster."""
    now = deps.clock.now()

    async def work(uow: HrUnitOfWork) -> Request:
        request = await uow.requests.get(request_id)
        request.move(action, actor.staff_id, now, note)
        if action in ("accept", "approve"):
            await _check_still_valid(deps, uow, request, now)
        if action == "approve":
            await _apply(deps, uow, request, now)
        await uow.requests.save(request)
        return request

    request = await deps.transaction(work)
    log.info("request.moved", request_id=request_id, action=action, state=request.state,
             by=actor.staff_id)
    return request


async def _check_still_valid(deps: Deps, uow: HrUnitOfWork, request: Request,
                             now: datetime) -> None:
    """H5/H13: a swap, leave or offline window is decided before it starts."""
    policy = await uow.policies.get()
    if request.kind == "offline" and request.start is not None:
        if now >= request.start:
            raise RuleRefused("H13", "offline_not_ahead",
                              "going offline is approved ahead of time, not afterwards")
    elif request.kind in ("swap", "leave") and request.shift:
        start, _ = shift_window(request.day, _shift(policy, request.shift), deps.tz)
        rules.check_before_start(now, start, request.kind)


async def _apply(deps: Deps, uow: HrUnitOfWork, request: Request, now: datetime) -> None:
    """H5/H11/H12: exchange or hand over the roster entries, unless that leaves a shift
    below minimum staffing; both rosters change in this one transaction."""
    if request.kind not in ("swap", "leave"):
        return
    policy = await uow.policies.get()
    roster, mine = await _duty(uow, request.day, request.staff_id)
    changes: list[tuple[Roster, list[RosterEntry], list[RosterEntry]]] = []
    if request.kind == "swap":
        assert request.colleague_id and request.colleague_day
        other_roster, theirs = await _duty(uow, request.colleague_day, request.colleague_id)
        me, them = await uow.staff.get(request.staff_id), await uow.staff.get(request.colleague_id)
        new_mine = swapped(theirs, me, request.request_id)
        new_theirs = swapped(mine, them, request.request_id)
        if other_roster.roster_id == roster.roster_id:
            changes.append((roster, [mine, theirs], [new_theirs, new_mine]))
        else:
            changes += [(roster, [mine], [new_theirs]), (other_roster, [theirs], [new_mine])]
    elif request.cover_id:
        cover = await uow.staff.get(request.cover_id)
        changes.append((roster, [mine], [swapped(mine, cover, request.request_id)]))
    else:
        changes.append((roster, [mine], []))
    removed, added = [], []
    for target, out, into in changes:
        target.replace_entries(out, into)
        gaps = staffing_gaps(target.entries, policy, sorted({e.day for e in out}))
        if gaps:
            day, shift, have, need = gaps[0]
            raise RuleRefused("H12", "below_minimum_staffing",
                              f"approving leaves {shift} on {day} with {have} staff; the "
                              f"minimum is {need}")
        await uow.rosters.save(target)
        removed += out
        added += into
    uow.publish(ShiftChanged(
        change_id=request.request_id, reason=request.kind,  # type: ignore[arg-type]
        removed=[e.duty(policy) for e in removed], added=[e.duty(policy) for e in added],
        occurred_at=now))


async def read(deps: Deps, actor: Actor, request_id: str) -> Request:
    request = await deps.reads.requests.get(request_id)
    involved = {request.staff_id, request.approver_id, request.colleague_id, request.cover_id}
    seen = await visible_ids(deps.reads, actor)
    if seen is not None and not (seen & involved) and actor.staff_id not in involved:
        raise NotAllowed(f"{actor.staff_id} may not see request {request_id}")
    return request


async def listing(deps: Deps, actor: Actor, staff_id: str | None, month: str | None,
                  state: str | None) -> list[Request]:
    """Own requests (and swaps offered to one), the team's, or everyone's (item 9)."""
    seen = await visible_ids(deps.reads, actor)
    if staff_id is not None:
        if seen is not None and staff_id not in seen:
            raise NotAllowed(f"{actor.staff_id} may not see the requests of {staff_id}")
        seen = {staff_id}
    found = await deps.reads.requests.search(
        staff_ids=seen, months=[month] if month else None, states=[state] if state else None)
    if actor.role == "supervisor" and staff_id is None:
        found += [r for r in await deps.reads.requests.search(
            approver_id=actor.staff_id, months=[month] if month else None,
            states=[state] if state else None) if r not in found]
    return found
