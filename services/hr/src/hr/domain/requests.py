"""H4-H13: one approval state machine for swaps, leave, missed punches and offline approvals,
and every rule that refuses a request.

    swap:   awaiting_colleague --accept--> awaiting_supervisor --approve--> approved
                               --decline-> refused            --refuse--> refused
    others:                                awaiting_supervisor --approve--> approved
    any pending state --cancel (the requester)--> cancelled

Requests go to the direct supervisor only (H11, H12); the colleague of a swap accepts first (H5).
Each refusal raises `RuleRefused(rule, reason, detail)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from hr.domain.errors import NotAllowed, RuleRefused, TransitionRefused, ValidationFailed
from hr.domain.policy import HrPolicy, ShiftDef
from hr.domain.roster import RosterEntry, month_of
from hr.domain.staff import Staff

Kind = Literal["swap", "leave", "missed_punch", "offline"]
State = Literal["awaiting_colleague", "awaiting_supervisor", "approved", "refused",
                "cancelled"]
Action = Literal["accept", "decline", "approve", "refuse", "cancel"]
LeaveType = Literal["ordinary", "emergency"]
PENDING: frozenset[str] = frozenset({"awaiting_colleague", "awaiting_supervisor"})
LIVE: frozenset[str] = PENDING | {"approved"}

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({"awaiting_colleague"}), "awaiting_supervisor"),
    "decline": (frozenset({"awaiting_colleague"}), "refused"),
    "approve": (frozenset({"awaiting_supervisor"}), "approved"),
    "refuse": (frozenset({"awaiting_supervisor"}), "refused"),
    "cancel": (PENDING, "cancelled"),
}


@dataclass
class Request:
    """A swap, leave, missed-punch or offline request and its history."""

    request_id: str
    kind: Kind
    staff_id: str
    approver_id: str
    day: date
    created_at: datetime
    state: State = "awaiting_supervisor"
    shift: str | None = None
    colleague_id: str | None = None
    colleague_day: date | None = None
    colleague_shift: str | None = None
    leave_type: LeaveType | None = None
    cover_id: str | None = None
    side: Literal["in", "out"] | None = None
    punch_at: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None
    reason: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)
    version: int = 0

    @property
    def month(self) -> str:
        return month_of(self.day)

    def actor_for(self, action: str) -> str:
        if action in ("accept", "decline"):
            return self.colleague_id or ""
        if action in ("approve", "refuse"):
            return self.approver_id
        return self.staff_id

    def move(self, action: str, by: str, at: datetime, note: str = "") -> None:
        """Apply one action of the state machine, by the one person who may take it."""
        if action not in TRANSITIONS:
            raise ValidationFailed(f"unknown action {action!r}", field="action")
        sources, target = TRANSITIONS[action]
        if self.state not in sources:
            allowed = sorted(a for a, (s, _) in TRANSITIONS.items() if self.state in s)
            raise TransitionRefused(self.state, action, allowed)
        if by != self.actor_for(action):
            if action in ("approve", "refuse"):
                raise RuleRefused("H11", "not_direct_supervisor",
                                  f"only the direct supervisor {self.approver_id} decides "
                                  "this request (no skipping a level)")
            raise NotAllowed(f"{by} may not {action} this request")
        self.state = target  # type: ignore[assignment]
        self.history.append({"at": at, "by": by, "action": action, "note": note})


def new_request(request_id: str, kind: Kind, requester: Staff, approver_id: str, day: date,
                at: datetime, **fields: Any) -> Request:
    """H11/H12: a request goes to the requester's direct supervisor and nobody else."""
    if not requester.supervisor_id:
        raise RuleRefused("H11", "no_direct_supervisor",
                          f"{requester.staff_id} has no direct supervisor to ask")
    if approver_id != requester.supervisor_id:
        raise RuleRefused("H11", "not_direct_supervisor",
                          f"requests go to the direct supervisor {requester.supervisor_id} "
                          f"only, not to {approver_id} (no skipping a level)")
    state: State = "awaiting_colleague" if kind == "swap" else "awaiting_supervisor"
    request = Request(request_id, kind, requester.staff_id, approver_id, day, at, state=state,
                      **fields)
    request.history.append({"at": at, "by": requester.staff_id, "action": "request",
                            "note": request.reason})
    return request


def check_before_start(now: datetime, start: datetime, what: str = "swap") -> None:
    """H5: a swap (or its approval) must come before the shift starts; last-moment ones are
    not valid."""
    if now >= start:
        raise RuleRefused("H5", "shift_started",
                          f"the {what} comes after the shift started at {start.isoformat()}")


def check_swap_limits(day: date, other_swaps: list[tuple[date, ...]], policy: HrPolicy,
                      who: str) -> None:
    """H6: at most `swaps_per_month` swaps per person per month, and no two on consecutive
    days. `other_swaps` are the days of each of the person's live swaps around that month."""
    same_month = [s for s in other_swaps if any(month_of(d) == month_of(day) for d in s)]
    if len(same_month) >= policy.swaps_per_month:
        raise RuleRefused("H6", "swap_limit",
                          f"{who} already has {len(same_month)} swaps in {month_of(day)}; "
                          f"at most {policy.swaps_per_month} per month")
    near = [d for s in other_swaps for d in s if abs((d - day).days) <= 1]
    if near:
        raise RuleRefused("H6", "consecutive_swaps",
                          f"{who} has a swap on {near[0]}: no two swaps in a row")


def check_not_holiday_duty(entry: RosterEntry) -> None:
    """H7: nobody on holiday duty swaps or takes leave."""
    if entry.holiday_duty:
        raise RuleRefused("H7", "holiday_duty",
                          f"{entry.staff_id} is on holiday duty on {entry.day}: no swap or leave")


def check_leave_allowed(entry: RosterEntry, shift: ShiftDef) -> None:
    """H8: the late shift only swaps; H9: a day taken or given back by swap is not leave."""
    if shift.late:
        raise RuleRefused("H8", "late_shift_leave",
                          f"{shift.code} is a late shift: it may not take leave, only swap")
    if entry.swap_id:
        raise RuleRefused("H9", "swapped_day_leave",
                          f"{entry.day} was taken or given back by swap {entry.swap_id}; "
                          "it cannot be taken as leave")


def check_leave_notice(leave_type: LeaveType, now: datetime, start: datetime,
                       policy: HrPolicy, tz: ZoneInfo) -> None:
    """H11: ordinary leave at least `leave_notice_days` days before (by the shop's calendar),
    emergency leave at least `emergency_notice_minutes` before the shift."""
    if leave_type == "ordinary":
        latest = start.astimezone(tz).date() - timedelta(days=policy.leave_notice_days)
        if now.astimezone(tz).date() > latest:
            raise RuleRefused("H11", "leave_notice",
                              f"ordinary leave is requested by {latest} at the latest")
    elif now > start - timedelta(minutes=policy.emergency_notice_minutes):
        raise RuleRefused("H11", "leave_notice",
                          f"emergency leave is requested at least "
                          f"{policy.emergency_notice_minutes} minutes before the shift")


def check_missed_punch(now: datetime, shift_end: datetime, used_this_month: int,
                       policy: HrPolicy) -> None:
    """H4: a forgotten punch is explained within `missed_punch_days` days, at most
    `missed_punches_per_month` a month."""
    if now > shift_end + timedelta(days=policy.missed_punch_days):
        raise RuleRefused("H4", "missed_punch_late",
                          f"a missed punch is explained within {policy.missed_punch_days} days")
    if used_this_month >= policy.missed_punches_per_month:
        raise RuleRefused("H4", "missed_punch_limit",
                          f"at most {policy.missed_punches_per_month} missed-punch requests "
                          "a month")


def decided(request: Request, **fields: Any) -> Request:
    return replace(request, **fields)
