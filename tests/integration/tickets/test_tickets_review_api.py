"""T13 daily review on the real broker: logistics events in, the supervisor's list out, reminders.

Each test uses its own owner ids, so the module's shared service holds everyone's items.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from ops_shared.contracts import Envelope, new_envelope
from ops_shared.contracts.logistics import (
    CaseUpdated,
    RefundIssued,
    RmaOpened,
    RmaStatusChanged,
)
from support.ticketing import send, tap
from support.wait import eventually

pytestmark = pytest.mark.integration
REMINDER = "tickets.review.reminder_sent"


def _rma() -> str:
    return f"RMA-{uuid.uuid4().hex[:10]}"


def _owner(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:6]}"


def _status(rma: str, owner: str | None, *, next_action_at: datetime | None,
            dispute: bool = False, refund: bool = False, to: str = "disputed",
            occurred_at: datetime | None = None) -> Envelope:
    event = RmaStatusChanged(rma_number=rma, order_id=f"O-{rma}", ticket_number=None,
                             from_status="open", to_status=to, owner_id=owner,
                             refund_in_progress=refund, dispute=dispute,
                             next_action_at=next_action_at, note="买家申请平台介入")
    return new_envelope(event, occurred_at=occurred_at)


async def _publish(service, amqp_url: str, *envelopes: Envelope) -> None:
    for envelope in envelopes:
        await send(amqp_url, service.settings.exchange, envelope)


async def _applied(service, counts: dict[str, int]) -> None:
    """Wait until each RMA's item holds `count` applied events."""

    async def done() -> bool:
        for rma, count in counts.items():
            doc = await service.db["review_items"].find_one({"_id": rma})
            if doc is None or len(doc["history"]) != count:
                return False
        return True

    await eventually(done, timeout=30, what=f"review items {counts}")


async def _daily(service) -> dict[str, list[dict]]:
    answer = await service.client.get("/review/daily", headers=service.as_("supervisor"))
    assert answer.status_code == 200, answer.text
    return {o["owner_id"]: o for o in answer.json()["owners"]}


async def test_t13_review_lists_overdue_disputes_and_open_refunds_by_owner(service,
                                                                           amqp_url) -> None:
    now = datetime.now(UTC)
    alice, bob, carol = _owner("as-alice"), _owner("as-bob"), _owner("as-carol")
    overdue, future, refund, refunded, other = (_rma() for _ in range(5))
    # Built in the order they happened: the review ignores a status change older than the
    # newest event an item holds.
    opened = new_envelope(RmaOpened(rma_number=overdue, kind="return", order_id=f"O-{overdue}",
                                    ticket_number="TK-20261125-0001", owner_id=alice))
    first = _status(overdue, alice, dispute=True, next_action_at=now - timedelta(hours=2),
                    occurred_at=opened.occurred_at + timedelta(seconds=1))
    await _publish(
        service, amqp_url, opened,
        first, first,  # a duplicate delivery of the same event
        _status(future, alice, dispute=True, next_action_at=now + timedelta(days=2)),
        _status(refund, bob, refund=True, to="refunding", next_action_at=now + timedelta(days=1)),
        _status(refunded, bob, refund=True, to="refunding", next_action_at=now - timedelta(days=1)),
        new_envelope(RefundIssued(refund_id=f"RF-{refunded}", rma_number=refunded,
                                  order_id=f"O-{refunded}", amount_fen=19900, issued_at=now)),
        _status(other, carol, dispute=True, next_action_at=now - timedelta(minutes=5)),
    )
    await _applied(service, {overdue: 2, future: 1, refund: 1, refunded: 2, other: 1})

    owners = await _daily(service)

    assert [i["rma_number"] for i in owners[alice]["items"]] == [overdue]  # not the future one
    item = owners[alice]["items"][0]
    assert item["kind"] == "dispute" and item["overdue"] is True
    assert item["ticket_number"] == "TK-20261125-0001" and item["order_id"] == f"O-{overdue}"
    # An open refund is on the list every day (domain rule); a refund issued leaves it.
    assert [i["rma_number"] for i in owners[bob]["items"]] == [refund]
    assert owners[bob]["items"][0]["kind"] == "refund_in_progress"
    assert [i["rma_number"] for i in owners[carol]["items"]] == [other]
    assert owners[alice]["reminded_at"] is None
    doc = await service.db["review_items"].find_one({"_id": overdue})
    assert [h["type"] for h in doc["history"]] == ["logistics.rma.opened",
                                                   "logistics.rma.status_changed"]


async def test_t13_older_status_change_does_not_undo_a_newer_one(service, amqp_url) -> None:
    now = datetime.now(UTC)
    dave = _owner("as-dave")
    rma = _rma()
    closed = _status(rma, dave, next_action_at=None, to="closed", occurred_at=now)
    stale = _status(rma, dave, dispute=True, next_action_at=now - timedelta(days=1),
                    occurred_at=now - timedelta(hours=1))
    reopened = _rma()
    await _publish(service, amqp_url, closed, stale,
                   _status(reopened, dave, refund=True, to="refunding", next_action_at=None,
                           occurred_at=now - timedelta(days=3)),
                   new_envelope(RefundIssued(refund_id="RF-1", rma_number=reopened,
                                             order_id=f"O-{reopened}", amount_fen=100,
                                             issued_at=now - timedelta(days=2)),
                                occurred_at=now - timedelta(days=2)),
                   _status(reopened, dave, dispute=True, to="disputed", next_action_at=None,
                           occurred_at=now - timedelta(days=1)))
    await _applied(service, {rma: 2, reopened: 3})

    owners = await _daily(service)

    # The stale dispute stays out; a dispute raised after the refund puts the order back on.
    assert [i["rma_number"] for i in owners[dave]["items"]] == [reopened]
    assert owners[dave]["items"][0]["kind"] == "dispute"


def _case(case_id: str, owner: str, *, is_open: bool, next_action_at: datetime | None,
          occurred_at: datetime, status: str = "recall_requested") -> Envelope:
    event = CaseUpdated(case_type="recall", case_id=case_id, order_id=f"O-{case_id}",
                        status=status, open=is_open, owner_id=owner,
                        next_action_at=next_action_at, ticket_number="TK-20261125-0002",
                        note="快递拦截中", updated_at=occurred_at)
    return new_envelope(event, occurred_at=occurred_at)


async def test_t13_logistics_cases_are_reviewed_until_closed(service, amqp_url) -> None:
    """L12: an open recall whose next action is due is on its owner's list beside the RMAs; a
    closing event takes it off; a redelivered or an older event changes nothing."""
    now = datetime.now(UTC)
    erin, frank = _owner("as-erin"), _owner("as-frank")
    due, later = f"RC-{uuid.uuid4().hex[:8]}", f"RC-{uuid.uuid4().hex[:8]}"
    opened = _case(due, erin, is_open=True, next_action_at=now - timedelta(hours=3),
                   occurred_at=now - timedelta(hours=5))
    rma = _rma()
    await _publish(
        service, amqp_url, opened,
        _case(later, frank, is_open=True, next_action_at=now + timedelta(days=1),
              occurred_at=now - timedelta(hours=5)),
        _status(rma, erin, dispute=True, next_action_at=now - timedelta(hours=1)))
    await _applied(service, {f"recall:{due}": 1, f"recall:{later}": 1, rma: 1})
    daily = await _daily(service)
    assert frank not in daily  # its next action is not due yet
    items = {i["rma_number"]: i for i in daily[erin]["items"]}
    assert set(items) == {f"recall:{due}", rma}
    recall = items[f"recall:{due}"]
    assert recall["case_type"] == "recall" and recall["case_id"] == due
    assert recall["kind"] == "dispute" and recall["overdue"] is True
    assert recall["status"] == "recall_requested" and recall["order_id"] == f"O-{due}"
    assert items[rma]["case_type"] == "rma" and items[rma]["case_id"] == rma

    closed = _case(due, erin, is_open=False, next_action_at=None, status="recalled",
                   occurred_at=now - timedelta(hours=1))
    await _publish(service, amqp_url, closed)
    await _applied(service, {f"recall:{due}": 2})
    assert [i["rma_number"] for i in (await _daily(service))[erin]["items"]] == [rma]

    # The closing event again, and an open one older than it: neither puts the case back.
    stale = _case(due, erin, is_open=True, next_action_at=now - timedelta(hours=2),
                  occurred_at=now - timedelta(hours=2), status="recall_requested")
    await _publish(service, amqp_url, closed, stale)
    await _applied(service, {f"recall:{due}": 3})  # the stale one lands in the history only
    doc = await service.db["review_items"].find_one({"_id": f"recall:{due}"})
    assert doc["resolved"] is True and doc["status"] == "recalled" and doc["kind"] is None
    assert [i["rma_number"] for i in (await _daily(service))[erin]["items"]] == [rma]


async def test_t13_reminders_name_each_case_by_type_and_id(service, amqp_url) -> None:
    """L12: a reminder's items say what each case is (`case_type`, `case_id`, additive in v1)
    beside the v1 key, and the day's reminders list the cases the same way."""
    now = datetime.now(UTC)
    hana = _owner("as-hana")
    recall, rma = f"RC-{uuid.uuid4().hex[:8]}", _rma()
    await _publish(service, amqp_url,
                   _case(recall, hana, is_open=True, next_action_at=now - timedelta(hours=2),
                         occurred_at=now - timedelta(hours=3)),
                   _status(rma, hana, dispute=True, next_action_at=now - timedelta(hours=1)))
    await _applied(service, {f"recall:{recall}": 1, rma: 1})

    async with tap(amqp_url, service.settings.exchange, REMINDER) as seen:
        answer = await service.client.post("/review/daily/reminders",
                                           headers=service.as_("supervisor"),
                                           json={"owner_ids": [hana]})
        assert answer.status_code == 200, answer.text
        [sent] = await eventually(lambda: [d for d in seen.data(REMINDER)
                                           if d["owner_id"] == hana], timeout=30)
    items = {i["case_id"]: i for i in sent["items"]}
    assert (items[recall]["case_type"], items[recall]["rma_number"]) == (
        "recall", f"recall:{recall}")
    assert (items[rma]["case_type"], items[rma]["rma_number"]) == ("rma", rma)
    listed = await service.client.get("/review/reminders", headers=service.as_("supervisor"))
    [mine] = [r for r in listed.json() if r["owner_id"] == hana]
    assert sorted((c["case_type"], c["case_id"]) for c in mine["cases"]) == [
        ("recall", recall), ("rma", rma)]


async def test_t13_supervisor_reminds_owners_once_a_day(service, amqp_url) -> None:
    now = datetime.now(UTC)
    erin, frank = _owner("as-erin"), _owner("as-frank")
    rma_e, rma_f = _rma(), _rma()
    await _publish(service, amqp_url,
                   _status(rma_e, erin, dispute=True, next_action_at=now - timedelta(hours=1)),
                   _status(rma_f, frank, refund=True, to="refunding",
                           next_action_at=now + timedelta(hours=5)))
    await _applied(service, {rma_e: 1, rma_f: 1})
    nobody = _owner("as-nobody")

    async with tap(amqp_url, service.settings.exchange, REMINDER) as seen:
        answer = await service.client.post(
            "/review/daily/reminders", headers=service.as_("supervisor", "sup-review"),
            json={"owner_ids": [erin, frank, nobody]})
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert sorted(r["owner_id"] for r in result["reminded"]) == sorted([erin, frank])
        assert result["not_on_list"] == [nobody] and result["already_reminded"] == []
        sent = await eventually(lambda: len(seen.data(REMINDER)) >= 2 and seen.data(REMINDER),
                                timeout=30, what="reminder events")

    by_owner = {d["owner_id"]: d for d in sent}
    assert [i["rma_number"] for i in by_owner[erin]["items"]] == [rma_e]
    assert by_owner[frank]["items"][0]["kind"] == "refund_in_progress"
    assert by_owner[erin]["reminded_by"] == "sup-review"

    again = await service.client.post("/review/daily/reminders",
                                      headers=service.as_("manager"),
                                      json={"owner_ids": [erin]})
    assert again.json()["reminded"] == [] and again.json()["already_reminded"] == [erin]
    owners = await _daily(service)
    assert owners[erin]["reminded_by"] == "sup-review" and owners[erin]["reminded_at"]
    listed = await service.client.get("/review/reminders", headers=service.as_("supervisor"))
    assert {erin, frank} <= {r["owner_id"] for r in listed.json()}


async def test_t13_remind_everyone_on_the_list(service, amqp_url) -> None:
    gina = _owner("as-gina")
    rma = _rma()
    await _publish(service, amqp_url, _status(rma, gina, dispute=True, next_action_at=None))
    await _applied(service, {rma: 1})

    answer = await service.client.post("/review/daily/reminders",
                                       headers=service.as_("supervisor"), json={})

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert gina in [r["owner_id"] for r in body["reminded"]] + body["already_reminded"]


async def test_t13_roles_and_bad_input(service) -> None:
    for role in ("aftersales", "presales", "order_desk", "hr_admin"):
        headers = service.as_(role)
        assert (await service.client.get("/review/daily", headers=headers)).status_code == 403
        answer = await service.client.post("/review/daily/reminders", headers=headers, json={})
        assert answer.status_code == 403
    assert (await service.client.get("/review/daily")).status_code == 401
    headers = service.as_("supervisor")
    for body in ({"owner_ids": [{"$ne": ""}]}, {"owner_ids": "as-1"}, {"owner_ids": []},
                 {"owner_ids": ["as-1"], "note": "x"}, {"owner_ids": ["$where"]}):
        answer = await service.client.post("/review/daily/reminders", headers=headers, json=body)
        assert answer.status_code == 422, (body, answer.text)
    for params in ({"day": "yesterday"}, {"day[$ne]": "x", "day": "2026-13-01"}):
        answer = await service.client.get("/review/reminders", params=params, headers=headers)
        assert answer.status_code == 422, params


async def test_t13_two_supervisors_reminding_at_once_remind_each_owner_once(
        service, amqp_url) -> None:
    owners = [_owner(f"as-race{i}") for i in range(3)]
    rmas = [_rma() for _ in owners]
    now = datetime.now(UTC)
    await _publish(service, amqp_url, *(
        _status(rma, owner, dispute=True, next_action_at=now - timedelta(hours=1))
        for rma, owner in zip(rmas, owners, strict=True)))
    await _applied(service, dict.fromkeys(rmas, 1))

    answers = await asyncio.gather(*(
        service.client.post("/review/daily/reminders", headers=service.as_("supervisor", who),
                            json={"owner_ids": owners})
        for who in ("sup-a", "sup-b")))

    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    reminded = [r["owner_id"] for a in answers for r in a.json()["reminded"]]
    assert sorted(reminded) == sorted(owners)  # each owner once, by one of the two
