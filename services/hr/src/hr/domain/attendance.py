"""H3, H4, H10: punches and the attendance derived from them.

Punches are immutable facts: a staff member's own punch, or a time-clock export row keyed by the
device's punch id (so a re-imported file adds nothing). Attendance per person and shift (on
time, late minutes, early-leave minutes, absent, missing punch) is derived from the punches, the
approved missed-punch requests and the roster; it can be recomputed at any time.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from hr.domain.errors import ValidationFailed
from hr.domain.policy import ShiftDef
from hr.domain.roster import shift_window

PunchSource = Literal["self", "device"]
Status = Literal["on_time", "late", "early_leave", "late_early", "absent", "missing_punch",
                 "upcoming"]
CSV_COLUMNS = ("punch_id", "staff_id", "at")
MAX_IMPORT_ROWS = 50_000


@dataclass(frozen=True)
class Punch:
    """One clock-in or clock-out; `punch_id` is the device's id for imported punches."""

    punch_id: str
    staff_id: str
    at: datetime
    source: PunchSource
    recorded_by: str


@dataclass(frozen=True)
class Attendance:
    """What the punches say about one person on one shift."""

    day: date
    staff_id: str
    shift: str
    status: Status
    clock_in: datetime | None
    clock_out: datetime | None
    late_minutes: int = 0
    early_leave_minutes: int = 0
    missing: tuple[str, ...] = ()
    explained: tuple[str, ...] = ()
    """Missing punches fixed by an approved missed-punch request (H4)."""


def derive(day: date, staff_id: str, shift: ShiftDef, punches: list[datetime],
           corrections: dict[str, datetime], tz: ZoneInfo, window_minutes: int,
           now: datetime) -> Attendance:
    """H3: attendance of one shift from the punches near it (within `window_minutes` of its
    start and end); `corrections` are approved missed-punch times by side ('in', 'out')."""
    start, end = shift_window(day, shift, tz)
    window = timedelta(minutes=window_minutes)
    near = sorted(p for p in punches if start - window <= p <= end + window)
    clock_in, clock_out, missing = _sides(near, start, end)
    explained = tuple(side for side in missing if side in corrections)
    clock_in = clock_in or corrections.get("in")
    clock_out = clock_out or corrections.get("out")
    missing = tuple(side for side in missing if side not in corrections)
    base = dict(day=day, staff_id=staff_id, shift=shift.code, clock_in=clock_in,
                clock_out=clock_out, explained=explained)
    if now < end and clock_out is None:
        return Attendance(status="upcoming", missing=(), **base)
    if not near and not explained:
        return Attendance(status="absent", missing=("in", "out"), **base)
    if missing:
        return Attendance(status="missing_punch", missing=missing, **base)
    late = _minutes(clock_in - start) if clock_in else 0
    early = _minutes(end - clock_out) if clock_out else 0
    status: Status = ("late_early" if late and early else "late" if late
                      else "early_leave" if early else "on_time")
    return Attendance(status=status, late_minutes=late, early_leave_minutes=early, **base)


def _sides(near: list[datetime], start: datetime, end: datetime
           ) -> tuple[datetime | None, datetime | None, tuple[str, ...]]:
    if len(near) >= 2:
        return near[0], near[-1], ()
    if not near:
        return None, None, ("in", "out")
    middle = start + (end - start) / 2
    if near[0] <= middle:
        return near[0], None, ("out",)
    return None, near[0], ("in",)


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def parse_punch_csv(text: str, tz: ZoneInfo) -> list[tuple[str, str, datetime]]:
    """A time-clock export: columns punch_id, staff_id, at (ISO time; without an offset it is
    shop time). Every row must parse, or nothing is imported."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or not set(CSV_COLUMNS) <= set(reader.fieldnames):
        raise ValidationFailed(f"the file needs the columns {', '.join(CSV_COLUMNS)}",
                               field="file")
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_IMPORT_ROWS + 1:
            raise ValidationFailed(f"at most {MAX_IMPORT_ROWS} rows per file", field="file")
        punch_id = (row.get("punch_id") or "").strip()
        staff_id = (row.get("staff_id") or "").strip()
        if not punch_id or not staff_id or len(punch_id) > 100 or len(staff_id) > 64:
            raise ValidationFailed(f"line {number}: punch_id and staff_id are required",
                                   field="file")
        try:
            at = datetime.fromisoformat((row.get("at") or "").strip())
        except ValueError:
            raise ValidationFailed(f"line {number}: 'at' is not an ISO time",
                                   field="file") from None
        rows.append((punch_id, staff_id, at if at.tzinfo else at.replace(tzinfo=tz)))
    return rows
