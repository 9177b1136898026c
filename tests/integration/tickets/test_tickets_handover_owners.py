"""Handovers go only to owners the staff directory knows, in a role that may take the ticket
(T7, T15; issue 7 items 6 and 10), tried with two users of the same role on the real broker.

The directory is fed by `hr.staff.changed` over the broker here; a refused handover leaves the
ticket with its holder, so the customer's phone stays masked for the agent who tried.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from ops_shared.contracts.hr import StaffChanged
from support.ticketing import send
from support.wait import eventually

pytestmark = pytest.mark.integration
FULL_PHONE, MASKED_PHONE = "13812345678", "138****5678"


def _id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def _deadline() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).isoformat()


async def _hire(service, amqp_url: str, role: str, *, active: bool = True) -> str:
    """A new staff member, announced as hr announces them: hr.staff.changed on the broker."""
    staff_id = _id(role[:3])
    await send(amqp_url, service.settings.exchange, StaffChanged(
        staff_id=staff_id, display_name=staff_id, role=role, active=active))

    async def known() -> bool:
        return await service.db["staff"].count_documents(
            {"_id": staff_id, "active": active}) == 1

    await eventually(known, timeout=20, what=f"{staff_id} in the staff directory")
    return staff_id


async def _held_by(service, holder: str) -> str:
    """A ticket held by `holder` (given to them by a supervisor)."""
    number = (await service.ticket())["number"]
    given = await _post(service, number, "reassign", {"to_staff_id": holder}, "supervisor")
    assert given.status_code == 200, given.text
    return number


async def _post(service, number: str, action: str, body: dict, role: str,
                staff_id: str | None = None):
    return await service.client.post(f"/tickets/{number}/{action}", json=body,
                                     headers=service.as_(role, staff_id))


async def _phone_seen_by(service, number: str, role: str, staff_id: str) -> str:
    answer = await service.client.get(f"/tickets/{number}", headers=service.as_(role, staff_id))
    assert answer.status_code == 200, answer.text
    return answer.json()["customer"]["phone"]


def _refused(answer, status: int, field: str | None = None) -> None:
    assert answer.status_code == status, answer.text
    problem = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    if field is not None:
        assert problem["field"] == field, problem


async def test_t15_agent_cannot_transfer_another_agents_ticket_to_itself(service,
                                                                         amqp_url) -> None:
    holder = await _hire(service, amqp_url, "aftersales")
    other = await _hire(service, amqp_url, "aftersales")
    number = await _held_by(service, holder)
    taken = await _post(service, number, "transfers", {
        "department": "售后", "owner_id": other, "reason": "我来处理", "deadline": _deadline()},
        "aftersales", other)
    _refused(taken, 403)
    assert "supervisor" in taken.json()["detail"]
    assert await _phone_seen_by(service, number, "aftersales", other) == MASKED_PHONE
    assert await _phone_seen_by(service, number, "aftersales", holder) == FULL_PHONE


async def test_t15_agent_cannot_escalate_naming_itself_as_owner(service, amqp_url) -> None:
    holder = await _hire(service, amqp_url, "aftersales")
    other = await _hire(service, amqp_url, "aftersales")
    number = await _held_by(service, holder)
    itself = await _post(service, number, "escalations", {
        "to_level": "supervisor", "to_staff_id": other, "reason": "升级",
        "deadline": _deadline()}, "aftersales", other)
    _refused(itself, 403)
    agent_owner = await _post(service, number, "escalations", {  # to a colleague agent
        "to_level": "supervisor", "to_staff_id": holder, "reason": "升级",
        "deadline": _deadline()}, "aftersales", other)
    _refused(agent_owner, 422, "to_staff_id")
    assert await _phone_seen_by(service, number, "aftersales", other) == MASKED_PHONE


async def test_t15_supervisor_escalating_names_another_not_itself(service, amqp_url) -> None:
    holder = await _hire(service, amqp_url, "aftersales")
    supervisor = await _hire(service, amqp_url, "supervisor")
    colleague = await _hire(service, amqp_url, "supervisor")
    number = await _held_by(service, holder)
    itself = await _post(service, number, "escalations", {
        "to_level": "supervisor", "to_staff_id": supervisor, "reason": "升级",
        "deadline": _deadline()}, "supervisor", supervisor)
    _refused(itself, 403)
    escalated = await _post(service, number, "escalations", {
        "to_level": "supervisor", "to_staff_id": colleague, "reason": "升级",
        "deadline": _deadline()}, "aftersales", holder)
    assert escalated.status_code == 200, escalated.text
    assert escalated.json()["ticket"]["assignee_id"] == colleague
    # The agent who escalated no longer holds the ticket: masked for them now.
    assert await _phone_seen_by(service, number, "aftersales", holder) == MASKED_PHONE


async def test_t7_owner_unknown_to_the_directory_is_422_naming_the_field(service,
                                                                         amqp_url) -> None:
    holder = await _hire(service, amqp_url, "aftersales")
    number = await _held_by(service, holder)
    nobody = _id("nobody")
    _refused(await _post(service, number, "escalations", {
        "to_level": "supervisor", "to_staff_id": nobody, "reason": "升级",
        "deadline": _deadline()}, "aftersales", holder), 422, "to_staff_id")
    _refused(await _post(service, number, "transfers", {
        "department": "仓库", "owner_id": nobody, "reason": "核实", "deadline": _deadline()},
        "aftersales", holder), 422, "owner_id")
    _refused(await _post(service, number, "reassign", {"to_staff_id": nobody}, "supervisor"),
             422, "to_staff_id")
    gone = await _hire(service, amqp_url, "supervisor", active=False)
    _refused(await _post(service, number, "escalations", {
        "to_level": "supervisor", "to_staff_id": gone, "reason": "升级",
        "deadline": _deadline()}, "aftersales", holder), 422, "to_staff_id")
    ticket = await service.client.get(f"/tickets/{number}", headers=service.as_("supervisor"))
    assert ticket.json()["assignee_id"] == holder and ticket.json()["state"] == "new"


async def test_t7_owner_role_is_checked(service, amqp_url) -> None:
    holder = await _hire(service, amqp_url, "aftersales")
    supervisor = await _hire(service, amqp_url, "supervisor")
    warehouse = await _hire(service, amqp_url, "warehouse")
    number = await _held_by(service, holder)
    _refused(await _post(service, number, "reassign", {"to_staff_id": warehouse},
                         "supervisor"), 422, "to_staff_id")  # the warehouse works no tickets
    first = await _post(service, number, "escalations", {
        "to_level": "supervisor", "to_staff_id": supervisor, "reason": "升级",
        "deadline": _deadline()}, "aftersales", holder)
    assert first.status_code == 200, first.text
    _refused(await _post(service, number, "escalations", {  # the second level is a manager's
        "to_level": "manager", "to_staff_id": await _hire(service, amqp_url, "supervisor"),
        "reason": "升级", "deadline": _deadline()}, "supervisor", supervisor), 422, "to_staff_id")
    transferred = await _post(service, number, "transfers", {  # a department's owner: any role
        "department": "仓库", "owner_id": warehouse, "reason": "核实", "deadline": _deadline()},
        "supervisor", supervisor)
    assert transferred.status_code == 200, transferred.text


async def test_t15_taking_a_held_ticket_is_a_supervisors_decision(service, amqp_url) -> None:
    holder = await _hire(service, amqp_url, "aftersales")
    supervisor = await _hire(service, amqp_url, "supervisor")
    number = await _held_by(service, holder)
    taken = await _post(service, number, "transfers", {
        "department": "客服主管", "owner_id": supervisor, "reason": "主管接手",
        "deadline": _deadline()}, "supervisor", supervisor)
    assert taken.status_code == 200, taken.text
    assert taken.json()["ticket"]["assignee_id"] == supervisor
