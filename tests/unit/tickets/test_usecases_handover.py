"""T7: escalation, transfer and reassignment, on fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tickets.application.ticket_handover import Handover, escalate, reassign, transfer
from tickets.domain.errors import ValidationFailed
from tickets.domain.states import TicketState
from unit.tickets.fakes import fake_deps, store_of
from unit.tickets.fakes.builders import AGENT, SUPERVISOR, add_staff, opened


def _deps():
    """Deps whose staff directory knows a supervisor, a manager, agents and a leaver."""
    deps = fake_deps()
    store = store_of(deps)
    for staff_id, role in (("sup-1", "supervisor"), ("mgr-1", "manager"),
                           ("wh-1", "aftersales"), ("agent-9", "aftersales")):
        add_staff(store, staff_id, role)
    add_staff(store, "sup-gone", "supervisor", active=False)
    return deps


def _handover(deps, **overrides) -> Handover:
    fields = {"reason": "客户要求赔偿超出权限",
              "deadline": deps.clock.now() + timedelta(days=1), **overrides}
    return Handover(**fields)


async def test_t7_escalation_names_reason_owner_deadline_and_tells_the_customer() -> None:
    deps = _deps()
    ticket = await opened(deps)
    handover = _handover(deps)

    escalated, notice = await escalate(deps, AGENT, ticket.number, "supervisor", "sup-1",
                                       handover)

    assert escalated.state is TicketState.ESCALATED
    assert (escalated.assignee_id, escalated.escalation_level) == ("sup-1", "supervisor")
    assert escalated.deadline == handover.deadline
    assert "主管" in notice
    entry = (await deps.reads.ticket_queries.timeline(ticket.number))[-1]
    assert entry["action"] == "escalated"
    assert entry["details"]["reason"] == handover.reason
    assert entry["details"]["customer_notice"] == notice


async def test_t7_escalation_goes_supervisor_then_manager() -> None:
    deps = _deps()
    ticket = await opened(deps)
    await escalate(deps, AGENT, ticket.number, "supervisor", "sup-1", _handover(deps))

    escalated, _ = await escalate(deps, SUPERVISOR, ticket.number, "manager", "mgr-1",
                                  _handover(deps))

    assert (escalated.escalation_level, escalated.assignee_id) == ("manager", "mgr-1")


async def test_t7_a_handover_without_a_reason_is_refused_and_changes_nothing() -> None:
    deps = _deps()
    ticket = await opened(deps)

    with pytest.raises(ValidationFailed):
        await escalate(deps, AGENT, ticket.number, "supervisor", "sup-1",
                       _handover(deps, reason=" "))

    assert (await deps.reads.ticket_queries.get(ticket.number)).state is TicketState.NEW


async def test_t7_an_escalation_goes_to_a_supervisor_the_directory_knows_still_here() -> None:
    deps = _deps()
    ticket = await opened(deps)

    for owner in ("sup-unknown", "sup-gone", "agent-9"):
        with pytest.raises(ValidationFailed) as refused:
            await escalate(deps, AGENT, ticket.number, "supervisor", owner, _handover(deps))
        assert refused.value.field == "to_staff_id"

    assert (await deps.reads.ticket_queries.get(ticket.number)).state is TicketState.NEW


async def test_t7_transfer_hands_the_ticket_to_a_department_owner() -> None:
    deps = _deps()
    ticket = await opened(deps)

    moved, notice = await transfer(deps, AGENT, ticket.number, "仓储部", "wh-1", _handover(deps))

    assert moved.state is TicketState.TRANSFERRED
    assert (moved.department, moved.assignee_id) == ("仓储部", "wh-1")
    assert "仓储部" in notice


async def test_reassigning_moves_the_open_sla_targets_to_the_new_owner() -> None:
    deps = _deps()
    ticket = await opened(deps)

    moved = await reassign(deps, SUPERVISOR, ticket.number, "agent-9", "休假")

    assert moved.assignee_id == "agent-9"
    assert {t.responsible_id for t in moved.sla if t.is_open} == {"agent-9"}
