"""Policies a manager edits at run time (T2-T6 SLA, T9 tiers, T11 categories, assignment),
and the seeding at start; on fakes."""

from __future__ import annotations

import pytest

from tickets.application import policies
from tickets.application.ticket_work import respond
from tickets.domain.customers import Customer
from tickets.domain.errors import NotFound, ValidationFailed
from tickets.domain.model import DEFAULT_SUGGESTION_CATEGORIES, DEFAULT_TIERS
from tickets.domain.sla import DEFAULT_POLICIES, SlaPolicy
from tickets.domain.staffed_hours import RULEBOOK_STAFFED_HOURS
from unit.tickets.fakes import Store, clock_of, fake_deps, store_of
from unit.tickets.fakes.builders import MANAGER, opened


async def test_seeding_adds_the_default_policies_tiers_and_categories_once() -> None:
    deps = fake_deps(Store())

    await policies.seed_defaults(deps)
    await policies.delete_tier(deps, "key")
    await policies.seed_defaults(deps)  # a restart does not bring a deleted default back

    assert len(await policies.list_sla_policies(deps)) == len(DEFAULT_POLICIES)
    assert [t["_id"] for t in await policies.list_tiers(deps)] == sorted(
        set(DEFAULT_TIERS) - {"key"})
    assert store_of(deps).staffed_hours == RULEBOOK_STAFFED_HOURS
    assert [c["_id"] for c in await policies.list_suggestion_categories(deps)] == sorted(
        DEFAULT_SUGGESTION_CATEGORIES)


async def test_t2_a_changed_first_response_policy_applies_to_new_tickets() -> None:
    deps = fake_deps()
    current = await policies.get_sla_policy(deps, "first_response")
    await policies.put_sla_policy(deps, MANAGER, current.model_copy(update={"amount": 10}))
    ticket = await opened(deps)
    clock_of(deps).advance(minutes=5)

    await respond(deps, MANAGER, ticket.number, "您好")

    assert store_of(deps).published("tickets.sla.breached") == []
    assert (await policies.get_sla_policy(deps, "first_response")).amount == 10
    assert store_of(deps).sla_policies["first_response"]["updated_by"] == MANAGER.staff_id


async def test_t3_a_policy_counting_too_many_working_days_is_refused() -> None:
    deps = fake_deps()
    policy = SlaPolicy(name="slow", metric="rectification", amount=10_000, unit="working_days")

    with pytest.raises(ValidationFailed):
        await policies.put_sla_policy(deps, MANAGER, policy)

    with pytest.raises(NotFound):
        await policies.get_sla_policy(deps, "slow")


async def test_deleting_an_unknown_policy_is_not_found() -> None:
    with pytest.raises(NotFound):
        await policies.delete_sla_policy(fake_deps(), "nope")


async def test_the_assignment_strategy_is_stored_with_who_changed_it() -> None:
    deps = fake_deps()

    changed = await policies.put_assignment_policy(deps, MANAGER, "least_loaded")

    assert (changed["strategy"], changed["updated_by"]) == ("least_loaded", "mgr-1")
    assert (await policies.get_assignment_policy(deps))["strategy"] == "least_loaded"


async def test_t9_a_new_boosted_tier_raises_the_priority_of_its_customers_tickets() -> None:
    deps = fake_deps()
    await policies.put_tier(deps, MANAGER, "vip", "VIP", boost_priority=True)
    store_of(deps).customers["CU-VIP"] = Customer(id="CU-VIP", tier="vip")

    ticket = await opened(deps, customer_id="CU-VIP")

    assert ticket.priority == "P3"  # low x low is P4, raised one level


async def test_t11_a_category_is_data_the_manager_adds_and_removes() -> None:
    deps = fake_deps()

    await policies.put_suggestion_category(deps, MANAGER, "packaging", "包装")
    names = [c["_id"] for c in await policies.list_suggestion_categories(deps)]
    await policies.delete_suggestion_category(deps, "packaging")

    assert "packaging" in names
    assert "packaging" not in store_of(deps).categories
    with pytest.raises(NotFound):
        await policies.delete_suggestion_category(deps, "packaging")
