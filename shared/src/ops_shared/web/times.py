"""Days and moments at the edge of a service: the range callers may name, and how staff-facing
moments are written in JSON (issue 7, item 10).

Input: days and moments from callers lie in 2000-2099 (`Day`, `Moment`): the shop-zone, calendar
and BSON date arithmetic behind them overflows near year 1 and year 9999 (a 500 instead of a
422). The same range as the tickets service's request schemas.

Output: a staff-facing moment is written in the shop's zone (`TIMEZONE`, Asia/Shanghai), with its
offset and milliseconds, always the same shape: `2026-11-26T14:03:05.120+08:00`. Milliseconds
because that is what the database keeps: a moment reads the same in the answer that created it
and in every later read. A model field declared as `StaffTime` is written so; naive values are
taken as UTC. Events keep UTC (`Z`): they are for machines, not staff.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, Field, PlainSerializer

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY, description="A day in 2000-2099.")]
Moment = Annotated[AwareDatetime, Field(ge=datetime(2000, 1, 1, tzinfo=UTC),
                                        lt=datetime(2100, 1, 1, tzinfo=UTC),
                                        description="A moment with its zone, in 2000-2099.")]

_zone = ZoneInfo("Asia/Shanghai")


def use_shop_timezone(name: str) -> None:
    """Set the zone staff-facing moments are written in (the service's `TIMEZONE`, at start)."""
    global _zone
    _zone = ZoneInfo(name)


def staff_time(moment: datetime) -> str:
    """`2026-11-26T14:03:05.120+08:00`: shop zone, offset, milliseconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone).isoformat(timespec="milliseconds")


StaffTime = Annotated[datetime, PlainSerializer(staff_time, return_type=str, when_used="json")]
"""A moment shown to staff: declare response fields with it (`created_at: StaffTime`)."""


def _deep_staff_times(value: Any) -> Any:
    if isinstance(value, datetime):
        return staff_time(value)
    if isinstance(value, dict):
        return {k: _deep_staff_times(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_deep_staff_times(v) for v in value]
    return value


StaffDetails = Annotated[dict[str, Any], PlainSerializer(_deep_staff_times,
                                                         return_type=dict[str, Any],
                                                         when_used="json")]
"""Free-form details whose moments are staff-facing too (timeline entries)."""
