"""T9 customer profiles and T15 what each viewer may see of them; on fakes."""

from __future__ import annotations

from datetime import date

import pytest

from tickets.application import customers
from tickets.application.context import Actor
from tickets.application.customers import NewCustomer, OrderRef
from tickets.domain.errors import NotAllowed, NotFound, ValidationFailed
from unit.tickets.fakes import fake_deps, store_of
from unit.tickets.fakes.builders import SUPERVISOR, opened, put_on_duty

PROFILE = NewCustomer(name="韩梅梅", phone="13700000000", address="北京市海淀区",
                      platform_ids=["tb-hmm"], tier="regular")


async def test_t9_a_profile_is_created_with_its_tier() -> None:
    deps = fake_deps()

    view = await customers.create_customer(deps, SUPERVISOR, PROFILE)

    assert (view["tier"], view["masked"]) == ("regular", False)
    assert store_of(deps).customers[view["_id"]].created_by == SUPERVISOR.staff_id


async def test_t9_an_unknown_tier_is_refused() -> None:
    deps = fake_deps()

    with pytest.raises(ValidationFailed):
        await customers.create_customer(deps, SUPERVISOR, NewCustomer(name="x", tier="gold"))

    assert store_of(deps).customers == {}


async def test_t9_only_a_supervisor_changes_a_customer_s_tier() -> None:
    deps = fake_deps()
    created = await customers.create_customer(deps, SUPERVISOR, PROFILE)

    with pytest.raises(NotAllowed):
        await customers.update_customer(deps, Actor("as-1", "aftersales"), created["_id"],
                                        {"tier": "key"})
    changed = await customers.update_customer(deps, SUPERVISOR, created["_id"], {"tier": "key"})

    assert changed["tier"] == "key"


async def test_t9_an_order_reference_is_remembered_once() -> None:
    deps = fake_deps()
    created = await customers.create_customer(deps, SUPERVISOR, PROFILE)
    order = OrderRef(order_id="TB-77", platform="taobao", placed_on=date(2026, 11, 20))

    await customers.add_order_reference(deps, SUPERVISOR, created["_id"], order)
    view = await customers.add_order_reference(deps, SUPERVISOR, created["_id"], order)

    assert [o["order_id"] for o in view["orders"]] == ["TB-77"]


async def test_t15_an_agent_sees_a_customer_in_full_only_while_working_their_ticket() -> None:
    deps = fake_deps()
    put_on_duty(store_of(deps), "as-1", "aftersales", deps.clock.now().date())
    ticket = await opened(deps)
    assignee, other = Actor("as-1", "aftersales"), Actor("as-2", "aftersales")

    mine = await customers.view_customer(deps, assignee, ticket.customer_id)
    theirs = await customers.view_customer(deps, other, ticket.customer_id)

    assert (mine["masked"], mine["phone"]) == (False, "13800138000")
    assert theirs["masked"] and theirs["phone"] != "13800138000"


async def test_an_unknown_customer_is_not_found() -> None:
    with pytest.raises(NotFound):
        await customers.view_customer(fake_deps(), SUPERVISOR, "CU-NOBODY")
