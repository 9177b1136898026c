"""T1 numbering: unique across replicas, and no gap left by an opening that fails (issue 7)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

from ops_shared.contracts.logistics import ParcelUnidentified
from support.ticketing import send
from support.wait import eventually
from tickets.storage.tickets import MongoTicketNumbers


def _seq(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


async def test_t1_failed_opening_leaves_no_gap_in_the_next_numbers(service) -> None:
    first = await service.ticket()
    # Both fail inside the opening's transaction, after the number was reserved outside it.
    unknown_customer = await service.client.post("/tickets", headers=service.as_("aftersales"),
                                                  json={"customer_id": "CU-NOBODY", **_BODY})
    assert unknown_customer.status_code == 422, unknown_customer.text
    unknown_category = await service.client.post(
        "/tickets", headers=service.as_("aftersales"),
        json={"customer_id": first["customer"]["id"], **_BODY, "kind": "suggestion",
              "category": "no-such-category"})
    assert unknown_category.status_code == 422, unknown_category.text
    second, third = await service.ticket(), await service.ticket()
    assert [_seq(t["number"]) for t in (second, third)] == [_seq(first["number"]) + 1,
                                                            _seq(first["number"]) + 2]


async def test_t1_released_numbers_are_taken_once_across_replicas(service) -> None:
    day = date(2031, 3, 4)
    one, two = MongoTicketNumbers(service.db), MongoTicketNumbers(service.db)  # two replicas
    reserved = [await one.next(day) for _ in range(4)]
    await one.release(day, reserved[2])
    await two.release(day, reserved[1])
    await two.release(day, reserved[1])  # released twice: still given once
    taken = await asyncio.gather(*(r.next(day) for r in (one, two, one, two)))
    assert len(set(taken)) == 4 and not set(taken) & {reserved[0], reserved[3]}
    assert sorted(taken)[:2] == [reserved[1], reserved[2]]  # the released ones come back first


async def test_t1_the_first_numbers_of_a_day_taken_at_once_are_consecutive(service) -> None:
    day = date(2031, 7, 8)  # no counter yet: every replica creates it at the same moment
    taken = await asyncio.gather(*(MongoTicketNumbers(service.db).next(day) for _ in range(8)))
    assert sorted(_seq(n) for n in taken) == list(range(1, 9))


async def test_t1_a_retried_handler_keeps_the_number_reserved_for_its_task(service) -> None:
    day = date(2031, 5, 6)
    one, two = MongoTicketNumbers(service.db), MongoTicketNumbers(service.db)
    first = await asyncio.gather(one.reserve(day, "parcel:T-1"), two.reserve(day, "parcel:T-1"))
    assert first[0] == first[1]  # two deliveries of one task racing: one number
    assert await one.reserve(day, "parcel:T-1") == first[0]  # a retry: the same number
    other = await one.reserve(day, "parcel:T-2")
    # The racing loser's number came back and is given next: whichever of the two won, the
    # day has no gap.
    assert sorted([_seq(first[0]), _seq(other)]) == [1, 2]


async def test_t1_a_burst_of_unidentified_parcels_gets_consecutive_numbers(service,
                                                                         amqp_url) -> None:
    tasks = [f"UP-{uuid.uuid4().hex[:8]}" for _ in range(8)]
    await asyncio.gather(*(send(amqp_url, service.settings.exchange, ParcelUnidentified(
        task_id=task, receipt_id=f"WR-{task}", received_at=datetime.now(UTC)))
        for task in tasks))

    async def opened() -> list[dict]:
        docs = await service.db["tickets"].find({"parcel_task_id": {"$in": tasks}}).to_list()
        return docs if len(docs) == len(tasks) else []

    docs = await eventually(opened, timeout=30, what="a ticket per parcel")
    seqs = sorted(_seq(doc["_id"]) for doc in docs)
    assert seqs == list(range(seqs[0], seqs[0] + len(tasks)))


_BODY = {"channel": "im", "kind": "aftersales", "description": "鞋子开胶了", "importance": "low",
         "urgency": "low"}
