"""T2-T6: the SLA sweep raises each due warning and breach once; on fakes."""

from __future__ import annotations

from datetime import timedelta

from tickets.application import sla_scan
from unit.tickets.fakes import fake_deps, store_of
from unit.tickets.fakes.builders import opened


async def test_t2_the_sweep_publishes_a_missed_first_response_once() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    later = deps.clock.now() + timedelta(minutes=10)

    first = await sla_scan.scan_due(deps, later, limit=10)
    again = await sla_scan.scan_due(deps, later, limit=10)

    assert len(first) >= 1 and again == []
    breached = store_of(deps).published("tickets.sla.breached")
    assert [(e.data["ticket_number"], e.data["metric"]) for e in breached] == [
        (ticket.number, "first_response")]


async def test_t2_a_warning_comes_before_the_breach() -> None:
    deps = fake_deps()
    await opened(deps)
    warn_time = deps.clock.now() + timedelta(minutes=2, seconds=30)

    await sla_scan.scan_due(deps, warn_time, limit=10)

    store = store_of(deps)
    assert [e.data["metric"] for e in store.published("tickets.sla.warned")] == [
        "first_response"]
    assert store.published("tickets.sla.breached") == []


async def test_t3_a_general_complaint_not_rectified_in_3_working_days_is_breached() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    four_working_days = deps.clock.now() + timedelta(days=6)  # Thursday to next Wednesday

    await sla_scan.scan_due(deps, four_working_days, limit=10)

    metrics = {e.data["metric"] for e in store_of(deps).published("tickets.sla.breached")
               if e.data["ticket_number"] == ticket.number}
    assert metrics == {"first_response", "rectification"}


async def test_a_ticket_not_yet_due_is_left_alone() -> None:
    deps = fake_deps()
    await opened(deps)

    assert await sla_scan.scan_due(deps, deps.clock.now(), limit=10) == []
    assert store_of(deps).published("tickets.sla.warned") == []
