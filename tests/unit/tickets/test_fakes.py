"""The fakes offer exactly their Protocols' methods, and the fake transaction behaves as the
Mongo one where use cases can tell: all or nothing, retried whole when another transaction
committed meanwhile."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from tickets.domain import ports
from tickets.domain.ports import TicketsUnitOfWork
from unit.tickets import fakes
from unit.tickets.fakes import FakeTransaction, Store

PAIRS = [
    (ports.TicketRepository, fakes.FakeTicketRepository),
    (ports.TicketNumbers, fakes.FakeTicketNumbers),
    (ports.TicketQueries, fakes.FakeTicketQueries),
    (ports.CustomerRepository, fakes.FakeCustomerRepository),
    (ports.TierRepository, fakes.FakeTierRepository),
    (ports.CategoryRepository, fakes.FakeCategoryRepository),
    (ports.PolicyRepository, fakes.FakePolicyRepository),
    (ports.StaffRepository, fakes.FakeStaffRepository),
    (ports.SurveyRepository, fakes.FakeSurveyRepository),
    (ports.ReviewRepository, fakes.FakeReviewRepository),
    (ports.ArticleRepository, fakes.FakeArticleRepository),
    (ports.TicketsUnitOfWork, fakes.FakeTicketsUnitOfWork),
]


def _methods(cls: type) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in inspect.getmembers(cls)
            if not name.startswith("_") and inspect.isfunction(member)}


def _shape(signature: inspect.Signature) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


@pytest.mark.parametrize(("port", "fake"), PAIRS, ids=[port.__name__ for port, _ in PAIRS])
def test_each_fake_offers_every_method_of_its_protocol_with_the_same_parameters(
        port: type, fake: type) -> None:
    wanted, offered = _methods(port), _methods(fake)

    assert set(wanted) <= set(offered)
    for name, signature in wanted.items():
        assert _shape(offered[name]) == _shape(signature), name
        assert inspect.iscoroutinefunction(getattr(fake, name)) == \
            inspect.iscoroutinefunction(getattr(port, name)), name


def test_the_fake_unit_of_work_has_every_repository_of_the_protocol() -> None:
    uow = fakes.FakeTicketsUnitOfWork(Store())
    for name in ports.TicketsRepositories.__annotations__:
        assert hasattr(uow, name), name


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
