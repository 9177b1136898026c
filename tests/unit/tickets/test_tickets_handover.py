"""T7 escalation and transfer, T8 timeline and merge, reassignment."""

from dataclasses import FrozenInstanceError

import pytest

from tickets.domain.errors import NotAllowed, TransitionRefused, ValidationFailed
from tickets.domain.handover import (
    Handover,
    customer_notice,
    escalation_owner,
    next_level,
    reassignment_owner,
    transfer_owner,
)
from tickets.domain.model import StaffMember
from tickets.domain.states import TicketState


def _escalate(ticket, sh, level, to="sup-1", **overrides):
    args = {
        "actor_id": "agent-1",
        "at": sh(2026, 11, 26, 11),
        "to_staff_id": to,
        "to_level": level,
        "reason": "客户要求赔偿超出权限",
        "deadline": sh(2026, 11, 27, 11),
        "customer_notice": "您的问题已升级至主管，预计明天11点前答复",
    }
    return ticket.escalate(**{**args, **overrides})


def test_t7_escalation_goes_supervisor_then_manager(open_ticket, sh):
    ticket = open_ticket()
    with pytest.raises(NotAllowed, match="next level: supervisor"):
        _escalate(ticket, sh, "manager")
    events = _escalate(ticket, sh, "supervisor")
    assert ticket.state is TicketState.ESCALATED and ticket.assignee_id == "sup-1"
    assert events[0].name == "Escalated" and events[0].deadline == sh(2026, 11, 27, 11)
    _escalate(ticket, sh, "manager", to="mgr-1")
    assert (ticket.escalation_level, ticket.assignee_id) == ("manager", "mgr-1")
    with pytest.raises(NotAllowed, match="next level: none"):
        _escalate(ticket, sh, "manager", to="mgr-2")


@pytest.mark.parametrize(
    ("field", "value"), [("reason", " "), ("to_staff_id", ""), ("customer_notice", "")]
)
def test_t7_escalation_requires_reason_owner_and_notice(open_ticket, sh, field, value):
    ticket = open_ticket()
    with pytest.raises(ValidationFailed):
        _escalate(ticket, sh, "supervisor", **{field: value})
    assert ticket.state is TicketState.NEW and ticket.assignee_id == "agent-1"


def test_t7_escalation_deadline_must_be_later(open_ticket, sh):
    with pytest.raises(ValidationFailed, match="deadline"):
        _escalate(open_ticket(), sh, "supervisor", deadline=sh(2026, 11, 26, 10))


def test_t7_transfer_to_department_moves_owner_and_open_targets(open_ticket, sh, calendar):
    ticket = open_ticket(kind="complaint", grade="major")
    notice = customer_notice("转交仓库核实", sh(2026, 11, 27, 10), calendar.tz)
    events = ticket.transfer(
        "agent-1",
        sh(2026, 11, 26, 10, 2),
        "warehouse",
        "wh-1",
        "需核实发货",
        sh(2026, 11, 27, 10),
        notice,
    )
    assert notice == "您的问题已转交仓库核实，预计于 2026-11-27 10:00 前给您答复。"
    assert (ticket.state, ticket.department, ticket.assignee_id) == (
        "transferred",
        "warehouse",
        "wh-1",
    )
    assert events[0].owner_id == "wh-1"
    assert ticket.target("rectification").responsible_id == "wh-1"


def test_t8_timeline_is_append_only(open_ticket, clock, sh):
    ticket = open_ticket()
    ticket.respond("agent-1", sh(2026, 11, 26, 10, 1), "您好", clock)
    ticket.reassign("sup-1", sh(2026, 11, 26, 10, 5), "agent-2", "换班")
    first = ticket.timeline[0]
    assert isinstance(ticket.timeline, tuple)
    assert [e.action for e in ticket.timeline] == ["opened", "first_responded", "reassigned"]
    assert ticket.timeline[1].details == {
        "from_state": "new",
        "to_state": "open",
        "message": "您好",
    }
    assert ticket.timeline[2].actor_id == "sup-1"
    with pytest.raises(FrozenInstanceError):
        first.action = "edited"  # type: ignore[misc]
    assert ticket.timeline[0] is first


def test_t8_merge_keeps_both_histories_and_links(open_ticket, clock, sh):
    keep = open_ticket(id="t-1", number="TK-20261126-0001")
    dup = open_ticket(id="t-2", number="TK-20261126-0002")
    events = dup.merge_into(keep, "agent-1", sh(2026, 11, 26, 10, 3))
    assert events[0].into_number == "TK-20261126-0001"
    assert (dup.state, dup.merged_into) == (TicketState.MERGED, "TK-20261126-0001")
    assert [e.action for e in dup.timeline] == ["opened", "merged"]
    assert [e.action for e in keep.timeline] == ["opened", "merged_from"]
    assert "TK-20261126-0002" in keep.links
    with pytest.raises(TransitionRefused):
        dup.respond("agent-1", sh(2026, 11, 26, 10, 4), "您好", clock)


def test_t8_links_returns_once(open_ticket, sh):
    ticket = open_ticket(kind="aftersales")
    assert ticket.link("agent-1", sh(2026, 11, 26, 10, 5), "RMA-20261126-0001")
    assert ticket.link("agent-1", sh(2026, 11, 26, 10, 6), "RMA-20261126-0001") == []
    assert ticket.links == ["RMA-20261126-0001"]


def test_t7_closed_ticket_cannot_be_escalated(open_ticket, clock, sh):
    ticket = open_ticket()
    ticket.respond("agent-1", sh(2026, 11, 26, 10, 1), "您好", clock)
    ticket.close("agent-1", sh(2026, 11, 26, 10, 2))
    with pytest.raises(TransitionRefused) as refused:
        _escalate(ticket, sh, "supervisor")
    assert refused.value.allowed == []


def test_t7_escalation_levels_go_supervisor_then_manager_then_nowhere():
    assert next_level(None, "supervisor") == "supervisor"
    assert next_level("supervisor", "manager") == "manager"
    for current, wanted in ((None, "manager"), ("supervisor", "supervisor"), ("manager", "x")):
        with pytest.raises(NotAllowed):
            next_level(current, wanted)


def test_t7_a_handover_names_owner_reason_later_deadline_and_notice(sh):
    handover = Handover.checked(sh(2026, 11, 26, 11), " sup-1 ", " 超出权限 ",
                                sh(2026, 11, 27, 11), " 已升级 ")
    assert (handover.to_staff_id, handover.reason, handover.customer_notice) == (
        "sup-1", "超出权限", "已升级")
    with pytest.raises(ValidationFailed) as early:
        Handover.checked(sh(2026, 11, 26, 11), "sup-1", "r", sh(2026, 11, 26, 11), "n")
    assert early.value.field == "deadline"


# -- owners checked against the staff directory and their role (T7, T15) ----------------------

def _member(staff_id: str, role: str, active: bool = True) -> StaffMember:
    return StaffMember(staff_id, role, active)


def test_t15_escalation_never_goes_to_the_caller():
    with pytest.raises(NotAllowed):
        escalation_owner("supervisor", _member("agent-2", "aftersales"), "agent-2", "agent-2")
    with pytest.raises(NotAllowed):  # a supervisor neither
        escalation_owner("supervisor", _member("sup-1", "supervisor"), "sup-1", "sup-1")


@pytest.mark.parametrize(("level", "role"), [("supervisor", "aftersales"),
                                             ("supervisor", "warehouse"),
                                             ("manager", "supervisor")])
def test_t7_escalation_owner_role_must_fit_the_level(level, role):
    with pytest.raises(ValidationFailed) as refused:
        escalation_owner(level, _member("x-1", role), "x-1", "agent-1")
    assert refused.value.field == "to_staff_id"


def test_t7_escalation_owner_supervisor_or_manager_from_the_directory():
    assert escalation_owner("supervisor", _member("sup-1", "supervisor"), "sup-1", "a") == "sup-1"
    assert escalation_owner("supervisor", _member("mgr-1", "manager"), "mgr-1", "a") == "mgr-1"
    assert escalation_owner("manager", _member("mgr-1", "manager"), "mgr-1", "sup-1") == "mgr-1"


@pytest.mark.parametrize("member", [None, _member("sup-9", "supervisor", active=False)])
def test_t7_owner_unknown_or_gone_is_refused_naming_the_field(member):
    with pytest.raises(ValidationFailed) as escalation:
        escalation_owner("supervisor", member, "sup-9", "agent-1")
    assert escalation.value.field == "to_staff_id"
    with pytest.raises(ValidationFailed) as transfer:
        transfer_owner(member, "sup-9", "agent-1", "aftersales", "agent-1")
    assert transfer.value.field == "owner_id"
    with pytest.raises(ValidationFailed) as reassignment:
        reassignment_owner(member, "sup-9")
    assert reassignment.value.field == "to_staff_id"


def test_t15_agent_may_not_take_a_ticket_someone_else_holds():
    me = _member("agent-2", "aftersales")
    with pytest.raises(NotAllowed):
        transfer_owner(me, "agent-2", "agent-2", "aftersales", "agent-1")
    assert transfer_owner(me, "agent-2", "agent-2", "aftersales", "agent-2") == "agent-2"
    assert transfer_owner(me, "agent-2", "agent-2", "aftersales", None) == "agent-2"  # unheld
    boss = _member("sup-1", "supervisor")
    assert transfer_owner(boss, "sup-1", "sup-1", "supervisor", "agent-1") == "sup-1"
    warehouse = _member("wh-1", "warehouse")  # a department's owner may have any role
    assert transfer_owner(warehouse, "wh-1", "agent-2", "aftersales", "agent-1") == "wh-1"


def test_t7_reassignment_goes_to_a_role_that_works_tickets():
    assert reassignment_owner(_member("agent-3", "presales"), "agent-3") == "agent-3"
    with pytest.raises(ValidationFailed) as refused:
        reassignment_owner(_member("wh-1", "warehouse"), "wh-1")
    assert refused.value.field == "to_staff_id"
