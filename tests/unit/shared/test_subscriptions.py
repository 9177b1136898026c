"""Foundation handlers join a service's subscription table (issue 7, item 5)."""

from __future__ import annotations

from ops_shared.contracts import new_envelope
from ops_shared.contracts.hr import RosterPublished, StaffChanged
from ops_shared.messaging import bind


async def test_foundation_and_service_handlers_of_one_event_both_run_in_order() -> None:
    calls: list[str] = []

    async def service_handler(deps, uow, event, envelope) -> None:
        calls.append(f"service:{deps}:{uow}")

    async def foundation_handler(event, envelope, uow) -> None:
        calls.append(f"foundation:{uow}")

    bound = bind({StaffChanged: service_handler}, "deps", lambda base: f"uow({base})",
                 foundation={StaffChanged: foundation_handler})
    event = StaffChanged(staff_id="s1", display_name="a", role="presales")
    await bound[StaffChanged.event_type](event, new_envelope(event), "base")
    assert calls == ["foundation:base", "service:deps:uow(base)"]


async def test_a_foundation_handler_alone_is_subscribed() -> None:
    async def foundation_handler(event, envelope, uow) -> None: ...

    bound = bind({}, None, lambda base: base, foundation={StaffChanged: foundation_handler})
    assert set(bound) == {StaffChanged.event_type}
    assert RosterPublished.event_type not in bound
