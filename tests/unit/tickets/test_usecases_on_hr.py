"""What hr tells the tickets service (H1 staff, H2 rosters, H5/H11 shift changes) and how it
feeds assignment (T1); handlers on fakes."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from ops_shared.contracts.hr import (
    DutyAssignment,
    RosterPublished,
    ShiftChanged,
    ShiftPeriod,
    StaffChanged,
)
from ops_shared.persistence import AlreadyHandled
from tickets.application import on_hr
from unit.tickets.fakes import fake_deps, store_of
from unit.tickets.fakes.builders import deliver, opened, redeliver

DAY = date(2026, 11, 26)


def _duty(staff_id: str, day: date = DAY, role: str = "aftersales") -> DutyAssignment:
    return DutyAssignment(day=day, staff_id=staff_id, role=role, shift="cs_early",
                          periods=[ShiftPeriod(start=time(0, 0), end=time(23, 59))])


def _roster(*staff_ids: str, roster_id: str = "r-1") -> RosterPublished:
    return RosterPublished(roster_id=roster_id, month="2026-11", team="cs",
                           assignments=[_duty(s) for s in staff_ids])


async def test_t1_a_published_roster_puts_its_agents_on_duty_for_assignment() -> None:
    deps = fake_deps()

    await deliver(deps, on_hr.roster_published, _roster("as-1"))

    assert (await opened(deps)).assignee_id == "as-1"


async def test_h2_a_newer_roster_of_the_team_replaces_the_earlier_one() -> None:
    deps = fake_deps()
    now = deps.clock.now()
    await deliver(deps, on_hr.roster_published, _roster("as-1"), now)
    await deliver(deps, on_hr.roster_published, _roster("as-2", roster_id="r-2"),
                  now + timedelta(hours=1))
    await deliver(deps, on_hr.roster_published, _roster("as-3", roster_id="r-0"),
                  now - timedelta(hours=1))  # delivered late: changes nothing

    assert {d.staff_id for d in store_of(deps).duty.values()} == {"as-2"}


async def test_h1_a_staff_member_who_left_is_no_longer_assigned() -> None:
    deps = fake_deps()
    await deliver(deps, on_hr.roster_published, _roster("as-1", "as-2"))

    await deliver(deps, on_hr.staff_changed, StaffChanged(
        staff_id="as-1", display_name="张三", role="aftersales", active=False))

    assert [(await opened(deps)).assignee_id for _ in range(2)] == ["as-2", "as-2"]


async def test_h1_an_older_staff_change_does_not_overwrite_a_newer_one() -> None:
    deps = fake_deps()
    now = deps.clock.now()
    await deliver(deps, on_hr.staff_changed, StaffChanged(
        staff_id="as-1", display_name="新", role="aftersales"), now)
    await deliver(deps, on_hr.staff_changed, StaffChanged(
        staff_id="as-1", display_name="旧", role="aftersales"), now - timedelta(hours=1))

    assert store_of(deps).staff["as-1"].display_name == "新"


async def test_h5_a_swap_moves_the_duty_and_keeps_the_roster_team() -> None:
    deps = fake_deps()
    await deliver(deps, on_hr.roster_published, _roster("as-1"))

    await deliver(deps, on_hr.shift_changed, ShiftChanged(
        change_id="sw-1", reason="swap", removed=[_duty("as-1")], added=[_duty("as-9")]))

    [duty] = store_of(deps).duty.values()
    assert (duty.staff_id, duty.team, duty.source) == ("as-9", "cs", "sw-1")
    assert (await opened(deps)).assignee_id == "as-9"


async def test_a_redelivered_event_is_refused_by_the_inbox() -> None:
    deps = fake_deps()
    event = _roster("as-1")
    envelope = await deliver(deps, on_hr.roster_published, event)

    with pytest.raises(AlreadyHandled):
        await redeliver(deps, on_hr.roster_published, event, envelope)
