"""Outcomes for other services: L1 return requests, T12 verified complaints, T11 adopted
suggestions; on fakes."""

from __future__ import annotations

import pytest

from tickets.application.ticket_outcomes import (
    ReturnInput,
    adopt_suggestion,
    request_return,
    verify_staff_complaint,
)
from tickets.domain.errors import NotAllowed, ValidationFailed
from tickets.domain.events import ReturnItem
from tickets.domain.model import Kind
from unit.tickets.fakes import fake_deps, store_of
from unit.tickets.fakes.builders import AGENT, MANAGER, SUPERVISOR, opened


async def test_l1_a_return_request_is_published_for_logistics() -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.AFTERSALES)
    data = ReturnInput(kind="return", order_id="TB-1001",
                       items=[ReturnItem(sku="SKU-1", quantity=1)], reason="开胶",
                       quality_claim=True)

    await request_return(deps, AGENT, ticket.number, data)

    [requested] = store_of(deps).published("tickets.return.requested")
    assert requested.data["order_id"] == "TB-1001"
    assert requested.data["items"] == [{"sku": "SKU-1", "quantity": 1}]
    assert requested.data["quality_claim"] is True


async def test_l1_a_return_without_items_is_refused_and_nothing_published() -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.AFTERSALES)

    with pytest.raises(ValidationFailed):
        await request_return(deps, AGENT, ticket.number,
                             ReturnInput(kind="return", order_id="TB-1", items=[], reason="x"))

    assert store_of(deps).published("tickets.return.requested") == []


async def test_t12_a_supervisor_verifies_a_service_complaint_costing_its_staff_points() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    verified = await verify_staff_complaint(deps, SUPERVISOR, ticket.number, "agent-7", "属实")

    assert verified.verified_staff_ids == ["agent-7"]
    assert verified.subject == "staff_service" and verified.staff_id == "agent-7"
    [event] = store_of(deps).published("tickets.complaint.verified")
    assert (event.data["staff_id"], event.data["verified_by"]) == ("agent-7", "sup-1")


async def test_t12_an_agent_may_not_verify_a_complaint() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    with pytest.raises(NotAllowed):
        await verify_staff_complaint(deps, AGENT, ticket.number, "agent-7", "属实")

    assert store_of(deps).published("tickets.complaint.verified") == []


async def test_t12_a_complaint_is_verified_once_per_staff_member() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    await verify_staff_complaint(deps, SUPERVISOR, ticket.number, "agent-7", "属实")

    with pytest.raises(ValidationFailed):
        await verify_staff_complaint(deps, SUPERVISOR, ticket.number, "agent-7", "再次")

    assert len(store_of(deps).published("tickets.complaint.verified")) == 1


async def test_t11_the_manager_adopts_a_suggestion_for_3_to_20_points() -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.SUGGESTION)

    adopted = await adopt_suggestion(deps, MANAGER, ticket.number, "agent-3", 10)

    assert adopted.adopted_points == 10
    [event] = store_of(deps).published("tickets.suggestion.adopted")
    assert (event.data["author_staff_id"], event.data["points"]) == ("agent-3", 10)


@pytest.mark.parametrize("points", [2, 21])
async def test_t11_points_outside_3_to_20_are_refused(points: int) -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.SUGGESTION)

    with pytest.raises(ValidationFailed):
        await adopt_suggestion(deps, MANAGER, ticket.number, "agent-3", points)


async def test_t11_only_the_manager_adopts() -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.SUGGESTION)

    with pytest.raises(NotAllowed):
        await adopt_suggestion(deps, SUPERVISOR, ticket.number, "agent-3", 5)
