"""H13: instant-messaging presence during shifts.

An integration account posts each change (online, away, offline, invisible). During a shift's
working periods, offline or invisible without an approved offline request costs a fine per
occurrence; online during a break (breaks must be set to 'away') costs points per break.
A person about whom no presence was ever reported is not judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from hr.domain.policy import Period, ShiftDef

Status = Literal["online", "away", "offline", "invisible"]
GONE: frozenset[str] = frozenset({"offline", "invisible"})


@dataclass(frozen=True)
class PresenceChange:
    change_id: str
    staff_id: str
    status: Status
    at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Finding:
    """What presence shows against a shift: `offline` (fine) or `online_on_break` (points)."""

    kind: Literal["offline", "online_on_break"]
    at: datetime


def findings(day: date, shift: ShiftDef, changes: list[PresenceChange],
             approved_offline: list[tuple[datetime, datetime]], tz: ZoneInfo) -> list[Finding]:
    """H13: one finding per stretch offline or invisible inside a working period (unless an
    approved offline window covers it), and one per break spent online. `changes` are the
    person's changes of the day, with the last one before it."""
    ordered = sorted(changes, key=lambda c: c.at)
    found: list[Finding] = []
    for period in shift.periods:
        start, end = _window(day, period, tz)
        for status, seg_start, seg_end in _segments(ordered, start, end):
            if status in GONE and not _covered(seg_start, seg_end, approved_offline):
                found.append(Finding("offline", seg_start))
    for gap in shift.breaks():
        start, end = _window(day, gap, tz)
        online = [s for status, s, _ in _segments(ordered, start, end) if status == "online"]
        if online:
            found.append(Finding("online_on_break", online[0]))
    return found


def _window(day: date, period: Period, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return (datetime.combine(day, period.start, tzinfo=tz),
            datetime.combine(day, period.end, tzinfo=tz))


def _segments(changes: list[PresenceChange], start: datetime, end: datetime
              ) -> list[tuple[str, datetime, datetime]]:
    """(status, from, to) stretches inside [start, end); merged while the status stays."""
    current = None
    for change in changes:
        if change.at <= start:
            current = change.status
    segments: list[tuple[str, datetime, datetime]] = []
    cursor = start
    for change in changes:
        if start < change.at < end:
            if current is not None and change.status != current:
                segments.append((current, cursor, change.at))
                cursor = change.at
            elif current is None:
                cursor = change.at
            current = change.status
    if current is not None:
        segments.append((current, cursor, end))
    return segments


def _covered(start: datetime, end: datetime, windows: list[tuple[datetime, datetime]]) -> bool:
    return any(w_start <= start and end <= w_end for w_start, w_end in windows)
