"""The fake transaction behaves as the Mongo one where use cases can tell: all or nothing,
retried whole when another transaction committed meanwhile."""

from __future__ import annotations

import asyncio

import pytest
from unit.tickets.fakes import FakeTransaction, Store

from tickets.domain.ports import TicketsUnitOfWork


async def test_a_work_that_raises_leaves_the_store_as_it_was() -> None:
    store = Store()

    async def work(uow: TicketsUnitOfWork) -> None:
        await uow.tiers.put("vip", {"boost_priority": True})
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await FakeTransaction(store)(work)

    assert store.tiers == {} and store.commits == 0


async def test_concurrent_works_both_land_because_the_loser_runs_again() -> None:
    store = Store()
    transaction = FakeTransaction(store)

    async def bump(uow: TicketsUnitOfWork) -> None:
        doc = await uow.policies.assignment()
        await asyncio.sleep(0)  # let the other transaction commit meanwhile
        await uow.policies.put_assignment({"count": doc.get("count", 0) + 1})

    await asyncio.gather(transaction(bump), transaction(bump))

    assert store.service_settings["assignment"]["count"] == 2
    assert transaction.calls == 3
