"""Opening a ticket (T1) with its customer (T9) and an on-duty assignee, on in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tickets.application.customers import NewCustomer
from tickets.application.intake import open_ticket
from tickets.domain.errors import ValidationFailed
from tickets.domain.model import Kind, Priority
from tickets.domain.states import TicketState
from unit.tickets.fakes import Store, fake_deps, seeded, store_of
from unit.tickets.fakes.builders import AGENT, add_customer, command, opened, put_on_duty

THURSDAY = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


async def test_t1_opening_numbers_the_ticket_and_publishes_it() -> None:
    deps = fake_deps()

    first = await opened(deps)
    second = await opened(deps)

    assert (first.number, second.number) == ("TK-20261126-0001", "TK-20261126-0002")
    store = store_of(deps)
    assert set(store.tickets) == {first.number, second.number}
    assert [e.data["ticket_number"] for e in store.published("tickets.ticket.opened")] == [
        first.number, second.number]
    timeline = await deps.reads.ticket_queries.timeline(first.number)
    assert timeline[0]["action"] == "opened"


async def test_t1_assigns_an_on_duty_agent_of_the_kind_s_role_round_robin() -> None:
    deps = fake_deps()
    store = store_of(deps)
    for staff_id in ("as-1", "as-2"):
        put_on_duty(store, staff_id, "aftersales", THURSDAY.date())
    put_on_duty(store, "ps-1", "presales", THURSDAY.date())

    complaints = [await opened(deps) for _ in range(3)]
    consultation = await opened(deps, Kind.CONSULTATION)

    assert [t.assignee_id for t in complaints] == ["as-1", "as-2", "as-1"]
    assert consultation.assignee_id == "ps-1"
    assert store.cursors["aftersales"]["last"] == "as-1"


async def test_t1_least_loaded_strategy_picks_the_agent_with_fewest_open_tickets() -> None:
    deps = fake_deps()
    store = store_of(deps)
    store.service_settings["assignment"] = {"_id": "assignment", "strategy": "least_loaded"}
    put_on_duty(store, "as-1", "aftersales", THURSDAY.date())
    first = await opened(deps)
    put_on_duty(store, "as-2", "aftersales", THURSDAY.date())

    second = await opened(deps)

    assert (first.assignee_id, second.assignee_id) == ("as-1", "as-2")


async def test_t1_nobody_on_duty_leaves_the_ticket_unassigned() -> None:
    deps = fake_deps()

    ticket = await opened(deps)

    assert ticket.assignee_id is None
    assert ticket.state is TicketState.NEW


async def test_t9_a_key_customer_s_ticket_gets_a_higher_priority() -> None:
    deps = fake_deps()
    add_customer(store_of(deps), "CU-KEY", tier="key")
    add_customer(store_of(deps), "CU-REG", tier="regular")

    key = await opened(deps, customer_id="CU-KEY")
    regular = await opened(deps, customer_id="CU-REG")

    assert (key.priority, regular.priority) == (Priority.P3, Priority.P4)


async def test_t1_a_new_customer_profile_is_created_with_the_ticket() -> None:
    deps = fake_deps()
    profile = NewCustomer(name="李雷", phone="13900000000", platform_ids=["jd-9"])

    ticket = await open_ticket(deps, AGENT, command(customer_id=None, customer=profile))

    customer = store_of(deps).customers[ticket.customer_id]
    assert customer.platform_ids == ("jd-9",)
    assert customer.tier == "new"


async def test_t1_a_known_platform_id_reuses_the_existing_profile() -> None:
    deps = fake_deps()
    add_customer(store_of(deps), "CU-OLD", platform_ids=("jd-9",))
    profile = NewCustomer(name="李雷", platform_ids=["jd-9"])

    ticket = await open_ticket(deps, AGENT, command(customer_id=None, customer=profile))

    assert ticket.customer_id == "CU-OLD"
    assert set(store_of(deps).customers) == {"CU-OLD"}


async def test_t1_an_unknown_customer_id_is_refused_and_nothing_is_stored() -> None:
    deps = fake_deps()

    with pytest.raises(ValidationFailed) as refused:
        await open_ticket(deps, AGENT, command(customer_id="CU-NOBODY"))

    assert refused.value.field == "customer_id"
    store = store_of(deps)
    assert store.tickets == {} and store.outbox == []


async def test_t9_an_unknown_tier_on_a_new_profile_rolls_back_the_whole_opening() -> None:
    store = seeded(Store())
    deps = fake_deps(store)
    profile = NewCustomer(name="李雷", tier="platinum")

    with pytest.raises(ValidationFailed):
        await open_ticket(deps, AGENT, command(customer_id=None, customer=profile))

    assert store.customers == {} and store.tickets == {} and store.outbox == []


async def test_t1_a_failed_opening_gives_its_number_to_the_next_one() -> None:
    deps = fake_deps()
    with pytest.raises(ValidationFailed):
        await open_ticket(deps, AGENT, command(customer_id="CU-NOBODY"))

    ticket = await opened(deps)

    assert ticket.number == "TK-20261126-0001"


async def test_t2_a_request_logged_late_starts_its_clock_when_the_customer_asked() -> None:
    deps = fake_deps()
    asked = deps.clock.now() - timedelta(minutes=10)

    ticket = await opened(deps, asked_at=asked)

    target = ticket.target("first_response")
    assert target is not None and target.due_at < deps.clock.now()


async def test_t2_a_request_older_than_the_intake_policy_allows_is_refused() -> None:
    deps = fake_deps()

    with pytest.raises(ValidationFailed) as refused:
        await opened(deps, asked_at=deps.clock.now() - timedelta(days=4))

    assert refused.value.field == "asked_at"
    assert store_of(deps).tickets == {}
