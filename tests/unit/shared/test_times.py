"""Staff-facing moments are written one way: shop zone, offset, milliseconds (issue 7, 10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, ValidationError

from ops_shared.web import Day, StaffTime, staff_time, use_shop_timezone


class Answer(BaseModel):
    at: StaffTime
    maybe: StaffTime | None = None


@pytest.fixture(autouse=True)
def shanghai():
    use_shop_timezone("Asia/Shanghai")
    yield
    use_shop_timezone("Asia/Shanghai")


@pytest.mark.parametrize(("moment", "written"), [
    (datetime(2026, 11, 26, 6, 3, 5, 120_456, tzinfo=UTC), "2026-11-26T14:03:05.120+08:00"),
    (datetime(2026, 11, 26, 6, 3, 5, tzinfo=UTC), "2026-11-26T14:03:05.000+08:00"),
    (datetime(2026, 11, 26, 14, 3, 5, tzinfo=timezone(timedelta(hours=8))),
     "2026-11-26T14:03:05.000+08:00"),
    (datetime(2026, 11, 26, 6, 3, 5), "2026-11-26T14:03:05.000+08:00"),  # naive: UTC
])
def test_a_staff_time_is_written_in_the_shop_zone_with_milliseconds(moment, written) -> None:
    assert staff_time(moment) == written
    assert Answer(at=moment).model_dump(mode="json") == {"at": written, "maybe": None}
    assert Answer(at=moment).at == moment  # in Python it stays the moment it was


def test_the_zone_comes_from_settings() -> None:
    use_shop_timezone("UTC")
    assert staff_time(datetime(2026, 11, 26, 6, 3, 5, tzinfo=UTC)) == \
        "2026-11-26T06:03:05.000+00:00"


def test_days_outside_2000_2099_are_refused() -> None:
    class Ask(BaseModel):
        day: Day

    assert Ask(day="2099-12-31").day.year == 2099
    for day in ("1999-12-31", "2100-01-01", "0001-01-01"):
        with pytest.raises(ValidationError):
            Ask(day=day)
