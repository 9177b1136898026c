"""Contract of the lists a manager edits: tiers (T9), suggestion categories (T11), SLA and
assignment policies (T2-T6), seed markers; on the fakes and on MongoDB alike."""

from __future__ import annotations

from datetime import time

import pytest

from contract.tickets.backends import Backend
from contract.tickets.tickets_data import T0
from tickets.domain.errors import NotFound
from tickets.domain.intake import IntakePolicy
from tickets.domain.model import BOOST_TIERS, DEFAULT_SUGGESTION_CATEGORIES, DEFAULT_TIERS
from tickets.domain.ports import TicketsUnitOfWork
from tickets.domain.sla import DEFAULT_POLICIES
from tickets.domain.staffed_hours import RULEBOOK_STAFFED_HOURS, StaffedHours

LISTS = ["tiers", "categories"]


@pytest.mark.parametrize("name", LISTS)
async def test_a_named_list_puts_gets_lists_and_deletes_by_name(backend: Backend,
                                                                name: str) -> None:
    await backend.run(lambda uow: getattr(uow, name).put("b", {"description": "B"}))
    stored = await backend.run(lambda uow: getattr(uow, name).put("a", {"description": "A"}))
    changed = await backend.run(lambda uow: getattr(uow, name).put("a", {"extra": 1}))
    repo = getattr(backend.reads, name)

    assert stored == {"_id": "a", "description": "A"}
    assert changed == {"_id": "a", "description": "A", "extra": 1}  # fields are merged
    assert await repo.names() == ["a", "b"]
    assert [doc["_id"] for doc in await repo.all()] == ["a", "b"]
    assert await repo.get("b") == {"_id": "b", "description": "B"}

    await backend.run(lambda uow: getattr(uow, name).delete("a"))
    assert await repo.names() == ["b"]


@pytest.mark.parametrize("name", LISTS)
async def test_a_missing_name_is_not_found(backend: Backend, name: str) -> None:
    repo = getattr(backend.reads, name)
    with pytest.raises(NotFound):
        await repo.get("nope")
    with pytest.raises(NotFound):
        await backend.run(lambda uow: getattr(uow, name).delete("nope"))


async def test_t9_seeding_adds_the_default_tiers_once_and_keeps_edits(backend: Backend) -> None:
    await backend.run(lambda uow: uow.tiers.put("key", {"boost_priority": False}))

    await backend.run(lambda uow: uow.tiers.seed())
    await backend.run(lambda uow: uow.tiers.seed())

    assert await backend.reads.tiers.names() == sorted(DEFAULT_TIERS)
    assert await backend.reads.tiers.boosted() == frozenset()  # the edit of "key" is kept


async def test_t9_boosted_tiers_are_those_that_raise_priority(backend: Backend) -> None:
    await backend.run(lambda uow: uow.tiers.seed())
    await backend.run(lambda uow: uow.tiers.put("vip", {"boost_priority": True}))

    assert await backend.reads.tiers.boosted() == BOOST_TIERS | {"vip"}


async def test_t11_seeding_adds_the_default_categories(backend: Backend) -> None:
    await backend.run(lambda uow: uow.categories.seed())

    assert await backend.reads.categories.names() == sorted(DEFAULT_SUGGESTION_CATEGORIES)


async def test_sla_policies_put_get_list_and_delete(backend: Backend) -> None:
    first, second = sorted(DEFAULT_POLICIES, key=lambda p: p.name)[:2]

    async def put(uow: TicketsUnitOfWork) -> None:
        await uow.policies.put_sla_policy(second, "mgr-1")
        await uow.policies.put_sla_policy(first, "mgr-1")
    await backend.run(put)
    policies = backend.reads.policies

    assert await policies.sla_policies() == (first, second)
    assert await policies.sla_policy(second.name) == second

    await backend.run(lambda uow: uow.policies.delete_sla_policy(first.name))
    assert await policies.sla_policies() == (second,)
    with pytest.raises(NotFound):
        await policies.sla_policy(first.name)
    with pytest.raises(NotFound):
        await backend.run(lambda uow: uow.policies.delete_sla_policy(first.name))


async def test_seeding_sla_policies_adds_the_defaults_and_keeps_edits(backend: Backend) -> None:
    edited = DEFAULT_POLICIES[0].model_copy(update={"warn_before_ratio": 0.5})
    await backend.run(lambda uow: uow.policies.put_sla_policy(edited, "mgr-1"))

    await backend.run(lambda uow: uow.policies.seed_sla_policies())

    stored = await backend.reads.policies.sla_policies()
    assert {p.name for p in stored} == {p.name for p in DEFAULT_POLICIES}
    assert await backend.reads.policies.sla_policy(edited.name) == edited


async def test_the_assignment_policy_defaults_to_round_robin(backend: Backend) -> None:
    assert (await backend.reads.policies.assignment())["strategy"] == "round_robin"

    changed = await backend.run(lambda uow: uow.policies.put_assignment(
        {"strategy": "least_loaded", "updated_by": "mgr-1"}))

    assert changed == {"_id": "assignment", "strategy": "least_loaded", "updated_by": "mgr-1"}
    assert await backend.reads.policies.assignment() == changed


async def test_t2_the_intake_policy_has_a_default_and_keeps_its_edits(backend: Backend) -> None:
    assert await backend.reads.policies.intake() == IntakePolicy()

    await backend.run(lambda uow: uow.policies.put_intake(
        IntakePolicy(max_asked_age_hours=5), "mgr-1", T0))

    assert await backend.reads.policies.intake() == IntakePolicy(max_asked_age_hours=5)


async def test_a_seed_is_claimed_once_per_database(backend: Backend) -> None:
    assert await backend.run(lambda uow: uow.policies.claim_seed("tiers"))
    assert not await backend.run(lambda uow: uow.policies.claim_seed("tiers"))
    assert await backend.run(lambda uow: uow.policies.claim_seed("suggestion_categories"))


async def test_t2_staffed_hours_are_the_rulebook_s_until_changed(backend: Backend) -> None:
    policies = backend.reads.policies
    assert await policies.staffed_hours() == RULEBOOK_STAFFED_HOURS

    changed = StaffedHours(periods=((time(13), time(22)), (time(8, 30), time(12))),
                           open_days="working", updated_by="mgr-1", updated_at=T0)
    await backend.run(lambda uow: uow.policies.put_staffed_hours(changed))
    await backend.run(lambda uow: uow.policies.seed_staffed_hours())  # keeps the edit

    stored = await policies.staffed_hours()
    assert stored == changed
    assert stored.periods == ((time(8, 30), time(12)), (time(13), time(22)))


async def test_t2_seeding_stores_the_rulebook_s_staffed_hours(backend: Backend) -> None:
    await backend.run(lambda uow: uow.policies.seed_staffed_hours())

    assert await backend.reads.policies.staffed_hours() == RULEBOOK_STAFFED_HOURS
