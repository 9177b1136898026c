"""One set of repository tests run on the in-memory fakes and on the real database, so the
fakes the unit tests use cannot drift from the Mongo repositories."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from logistics import bootstrap
from logistics.domain.errors import Conflict, NotFound
from logistics.domain.model import Item, Refund
from logistics.domain.promise import PromisePolicy
from logistics.domain.recall import Recall, Void
from logistics.domain.receipts import (
    InspectedItem,
    Match,
    MatchedBy,
    ParcelTask,
    Receipt,
    RecordedReceipt,
    TargetKind,
)
from logistics.domain.report import Period
from logistics.domain.rma import PlatformStatus, Rma, RmaKind, RmaState, ServiceCard, Verdict
from logistics.storage.indexes import INDEXES
from logistics.storage.unit_of_work import MongoLogisticsRepositories
from ops_shared.persistence import FOUNDATION_INDEXES, Database, apply_indexes, make_client
from unit.logistics.fakes import FakeDatabase, FakeRepositories

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@dataclass
class Store:
    transaction: Any
    reads: Any


@pytest.fixture(params=["fake", "mongo"])
async def store(request, mongo_url) -> AsyncIterator[Store]:
    if request.param == "fake":
        fake = FakeDatabase()
        yield Store(fake.transaction, FakeRepositories(fake.state))
        return
    client = make_client(mongo_url, app_name="contract")
    name = f"t_contract_{uuid.uuid4().hex[:8]}"
    database = Database(client, name, "logistics")
    await apply_indexes(database.db, [*FOUNDATION_INDEXES, *INDEXES])

    async def transaction(work):
        return await database.transaction(lambda base: work(bootstrap.unit_of_work(base)))
    try:
        yield Store(transaction, MongoLogisticsRepositories(database.db))
    finally:
        await client.drop_database(name)
        await client.close()


def rma(number: str = "RMA-20261126-0001", order: str = "TB-1", **fields: Any) -> Rma:
    values: dict[str, Any] = {
        "number": number, "kind": RmaKind.RETURN, "order_id": order,
        "items": [Item("WOOL-38", 1, 29900)], "card": ServiceCard("cust-1", "尺码", "张三"),
        "owner_id": "as-1", "by": "as-1", "at": T0, "quality_claim": True, "photos": ["p"],
        **fields}
    return Rma.open(**values)[0]


async def add(store: Store, aggregate: Rma) -> None:
    await store.transaction(lambda uow: uow.rmas.add(aggregate))


async def change(store: Store, number: str, action) -> Rma:
    async def work(uow) -> Rma:
        loaded = await uow.rmas.get(number)
        action(loaded)
        await uow.rmas.save(loaded)
        return loaded
    return await store.transaction(work)


async def test_rma_round_trip_keeps_every_field(store) -> None:
    original = rma()
    original.record_tracking("SF1", "SF", 900, "as-1", T0)
    original.decide_quality(Verdict.CONFIRMED, "开胶", "as-1", T0)
    original.apply_receipt(Receipt("WR-1", T0, (InspectedItem("WOOL-38", 1, True, True, True),),
                                   "wh", "张三"), "rma_number", T0)
    await add(store, original)
    loaded = await store.reads.rmas.get(original.number)
    assert replace(loaded, timeline=[]) == replace(original, timeline=[])
    assert loaded.postage.owed_to_customer_fen == 900
    assert [e.action for e in await store.reads.rmas.timeline(original.number)] == [
        "opened", "tracking_recorded", "quality_decided", "received"]


async def test_save_appends_the_timeline_and_refuses_a_stale_copy(store) -> None:
    number = "RMA-20261126-0001"
    await add(store, rma())
    await change(store, number, lambda r: r.set_platform_status(
        PlatformStatus.WAITING_SELLER, "as-2", T0))
    timeline = await store.reads.rmas.timeline(number)
    assert [(e.action, e.actor_id) for e in timeline] == [("opened", "as-1"),
                                                          ("platform_status", "as-2")]
    stale = await store.reads.rmas.get(number)
    await change(store, number, lambda r: r.reassign("as-3", "sup", T0))
    stale.reassign("as-4", "sup", T0)
    with pytest.raises(Conflict):
        await store.reads.rmas.save(stale)
    assert (await store.reads.rmas.get(number)).owner_id == "as-3"
    assert len(await store.reads.rmas.timeline(number)) == 3


async def test_missing_is_not_found(store) -> None:
    with pytest.raises(NotFound):
        await store.reads.rmas.get("RMA-20000101-0001")
    with pytest.raises(NotFound):
        await store.reads.rmas.timeline("RMA-20000101-0001")
    with pytest.raises(NotFound):
        await store.reads.parcel_tasks.get("PT-nope")


async def test_l1_one_open_rma_per_order_and_item(store) -> None:
    await add(store, rma())
    with pytest.raises(Conflict):
        await add(store, rma("RMA-20261126-0002"))
    await add(store, rma("RMA-20261126-0003", items=[Item("OTHER", 1)]))
    await change(store, "RMA-20261126-0001", lambda r: r.cancel("x", "as-1", T0))
    await add(store, rma("RMA-20261126-0004"))
    assert {r.number for r in await store.reads.rmas.open_for_order("TB-1")} == {
        "RMA-20261126-0003", "RMA-20261126-0004"}


async def test_lookups_for_matching_reports_and_exchanges(store) -> None:
    await add(store, rma())
    await change(store, "RMA-20261126-0001",
                 lambda r: r.record_tracking("SF9", None, None, "as", T0))
    exchange = rma("RMA-20261126-0002", order="TB-2", kind=RmaKind.EXCHANGE,
                   card=ServiceCard("cust-2", "r", wanted_replacement="W-37"))
    exchange.apply_receipt(Receipt("WR-2", T0, (InspectedItem("WOOL-38", 1, True, True, True),),
                                   "wh", "李"), "rma_number", T0)
    await add(store, exchange)
    assert [r.number for r in await store.reads.rmas.by_tracking("SF9")] == [
        "RMA-20261126-0001"]
    assert [r.number for r in await store.reads.rmas.awaiting_parcel("cust-1")] == [
        "RMA-20261126-0001"]
    assert await store.reads.rmas.awaiting_parcel("cust-2") == []
    assert [r.number for r in await store.reads.rmas.exchange_orders("pending", 10)] == [
        "RMA-20261126-0002"]
    period = Period(T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert len(await store.reads.rmas.opened_between(period)) == 2
    assert await store.reads.rmas.opened_between(Period(T0 + timedelta(hours=1),
                                                        T0 + timedelta(hours=2))) == []
    from logistics.domain.ports import CaseFilter
    listed = await store.reads.rmas.listing(CaseFilter(state=RmaState.RECEIVED, limit=5))
    assert [r.number for r in listed] == ["RMA-20261126-0002"]


async def test_l7_one_refund_per_subject(store) -> None:
    refund = Refund("RF-RMA-1", "RMA-1", "TB-1", 100, 10, T0, "as-1")
    await store.transaction(lambda uow: uow.refunds.add(refund))
    with pytest.raises(Conflict) as twice:
        await store.transaction(lambda uow: uow.refunds.add(replace(refund, items_fen=5)))
    assert twice.value.existing == "RF-RMA-1"
    assert await store.reads.refunds.for_subject("RMA-1") == refund
    assert await store.reads.refunds.issued_between(
        Period(T0, T0 + timedelta(seconds=1))) == [refund]


async def test_l6_one_receipt_per_id_and_tasks(store) -> None:
    receipt = Receipt("WR-9", T0, (InspectedItem("A", 1, True, False, True, "盒损"),), "wh",
                      None, tracking_number="T", customer_ref="c")
    recorded = RecordedReceipt(receipt, T0, matched=Match(TargetKind.RMA, "RMA-1",
                                                          MatchedBy.TRACKING_NUMBER),
                               notes=("n",))
    assert await store.transaction(lambda uow: uow.receipts.add(recorded)) is True
    other = replace(recorded, notes=("second",))
    assert await store.transaction(lambda uow: uow.receipts.add(other)) is False
    assert await store.reads.receipts.get("WR-9") == recorded
    assert await store.reads.receipts.get("WR-0") is None
    task = ParcelTask("PT-WR-9", receipt, T0, notes=("nothing",))
    await store.transaction(lambda uow: uow.parcel_tasks.add(task))
    with pytest.raises(Conflict):
        await store.transaction(lambda uow: uow.parcel_tasks.add(task))
    task.resolve("RMA-1", "ok", "as", T0)
    await store.transaction(lambda uow: uow.parcel_tasks.save(task))
    assert (await store.reads.parcel_tasks.get("PT-WR-9")).resolved_to == "RMA-1"
    assert await store.reads.parcel_tasks.listing(True, 10) == []
    assert len(await store.reads.parcel_tasks.listing(False, 10)) == 1


async def test_recalls_voids_policies_numbers(store) -> None:
    recall, _ = Recall.open(number="RC-20261126-0001", order_id="TB-3", tracking_number="ZT",
                            courier=None, paid_fen=5, owner_id="a", reason="r", by="a", at=T0)
    await store.transaction(lambda uow: uow.recalls.add(recall))
    assert [r.number for r in await store.reads.recalls.by_tracking("ZT")] == [recall.number]
    void = Void("TB-4", "r", "desk", T0)
    await store.transaction(lambda uow: uow.voids.add(void))
    with pytest.raises(Conflict):
        await store.transaction(lambda uow: uow.voids.add(void))
    assert await store.reads.voids.get("TB-4") == void
    assert await store.reads.policies.promise_policy() == PromisePolicy()
    policy = PromisePolicy(cutoff=time(15, 30), handmade_patterns=("FELT-*",))
    await store.transaction(lambda uow: uow.policies.save_promise_policy(policy, "m", T0))
    assert await store.reads.policies.promise_policy() == policy
    day = date(2026, 11, 26)
    assert [await store.reads.numbers.next("RMA", day) for _ in range(2)] == [
        "RMA-20261126-0001", "RMA-20261126-0002"]
    assert await store.reads.numbers.next("RC", day) == "RC-20261126-0001"


async def test_a_failed_transaction_stores_nothing(store) -> None:
    async def work(uow) -> None:
        await uow.rmas.add(rma())
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError):
        await store.transaction(work)
    with pytest.raises(NotFound):
        await store.reads.rmas.get("RMA-20261126-0001")


async def test_writes_held_to_the_commit_are_read_back_and_still_checked(store) -> None:
    """In a unit of work the saves, refunds and receipts of the receipt path may be held and
    sent together before the commit: its reads still see them, the unique keys and versions
    still refuse, and a refused transaction stores nothing."""
    await add(store, rma())
    await add(store, rma("RMA-20261126-0002", order="TB-2"))
    refund = Refund("RF-RMA-20261126-0001", "RMA-20261126-0001", "TB-1", 100, 0, T0, "as-1")
    receipt = Receipt("WR-H1", T0, (InspectedItem("WOOL-38", 1, True, True, True),), "wh", "张")
    recorded = RecordedReceipt(receipt, T0, matched=Match(TargetKind.RMA, "RMA-20261126-0001",
                                                          MatchedBy.RMA_NUMBER))

    async def work(uow) -> None:
        await uow.receipts.expect(["WR-H1", "WR-H0"])
        await uow.rmas.load(["RMA-20261126-0001", "RMA-UNKNOWN"])
        loaded = await uow.rmas.get("RMA-20261126-0001")
        loaded.cancel("客户撤销", "as-1", T0)
        await uow.rmas.save(loaded)
        assert [r.number for r in await uow.rmas.open_for_order("TB-1")] == []
        await uow.refunds.add(refund)
        assert await uow.refunds.for_subject("RMA-20261126-0001") == refund
        assert await uow.receipts.add(recorded) is True
        assert await uow.receipts.add(replace(recorded, notes=("again",))) is False
        assert await uow.receipts.get("WR-H1") == recorded
    await store.transaction(work)
    assert (await store.reads.rmas.get("RMA-20261126-0001")).state == RmaState.CANCELLED
    assert await store.reads.refunds.for_subject("RMA-20261126-0001") == refund

    second = replace(refund, refund_id="RF-RMA-20261126-0002", subject="RMA-20261126-0002")

    async def twice(uow) -> None:
        loaded = await uow.rmas.get("RMA-20261126-0002")
        loaded.cancel("客户撤销", "as-1", T0)
        await uow.rmas.save(loaded)
        await uow.refunds.add(second)
        await uow.refunds.add(second)
    with pytest.raises(Conflict):
        await store.transaction(twice)
    assert await store.reads.refunds.for_subject("RMA-20261126-0002") is None
    assert (await store.reads.rmas.get("RMA-20261126-0002")).state == RmaState.OPENED
