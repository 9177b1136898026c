"""What logistics tells the tickets service: returns and refunds on the timeline (T8), the
refund rectifying a complaint (T4), review items (T13), unidentified parcels (L6); on fakes."""

from __future__ import annotations

from datetime import timedelta

from ops_shared.contracts import logistics as lg
from tickets.application import on_logistics
from tickets.application.ticket_work import respond
from tickets.domain.states import TicketState
from unit.tickets.fakes import fake_deps, store_of
from unit.tickets.fakes.builders import AGENT, deliver, opened


def _opened_rma(number: str | None) -> lg.RmaOpened:
    return lg.RmaOpened(rma_number="RMA-1", kind="return", order_id="TB-1",
                        ticket_number=number, owner_id="as-5")


async def _actions(deps, number: str) -> list[str]:
    return [e["action"] for e in await deps.reads.ticket_queries.timeline(number)]


async def test_t8_an_opened_rma_goes_on_its_ticket_and_links_to_it() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    await deliver(deps, on_logistics.rma_opened, _opened_rma(ticket.number))

    stored = await deps.reads.ticket_queries.get(ticket.number)
    assert stored.links == ["RMA-1"]
    assert "rma_opened" in await _actions(deps, ticket.number)
    item = store_of(deps).review_items["RMA-1"]
    assert (item.order_id, item.owner_id, item.ticket_number) == ("TB-1", "as-5", ticket.number)


async def test_an_rma_of_an_unknown_ticket_still_starts_its_review_item() -> None:
    deps = fake_deps()

    await deliver(deps, on_logistics.rma_opened, _opened_rma("TK-20261126-0999"))

    assert "RMA-1" in store_of(deps).review_items
    assert store_of(deps).tickets == {}


async def test_t4_a_refund_rectifies_the_complaint_and_starts_the_callback_clock() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    await respond(deps, AGENT, ticket.number, "已受理")
    refund = lg.RefundIssued(refund_id="RF-1", rma_number="RMA-1", order_id="TB-1",
                             ticket_number=ticket.number, amount_fen=9900,
                             issued_at=deps.clock.now(), issued_by="fin-1")

    await deliver(deps, on_logistics.refund_issued, refund)
    await deliver(deps, on_logistics.refund_issued, refund)  # announced again: no second effect

    stored = await deps.reads.ticket_queries.get(ticket.number)
    assert stored.state is TicketState.AWAITING_CALLBACK
    assert stored.links == ["RF-1"]
    assert stored.target("callback") is not None
    assert (await _actions(deps, ticket.number)).count("refund_issued") == 1


async def test_t4_a_refund_rectifies_a_complaint_nobody_answered_yet() -> None:
    # After-sales asked for the return straight from the new ticket (issue 10, story 2).
    deps = fake_deps()
    ticket = await opened(deps)
    assert ticket.state is TicketState.NEW
    refund = lg.RefundIssued(refund_id="RF-2", rma_number="RMA-2", order_id="TB-2",
                             ticket_number=ticket.number, amount_fen=45900,
                             issued_at=deps.clock.now(), issued_by="as-5")

    await deliver(deps, on_logistics.refund_issued, refund)
    await deliver(deps, on_logistics.refund_issued, refund)  # announced again: no second effect

    stored = await deps.reads.ticket_queries.get(ticket.number)
    assert stored.state is TicketState.AWAITING_CALLBACK
    assert stored.rectified_at == refund.issued_at
    assert stored.target("callback") is not None
    assert stored.target("first_response").met_at is None  # T2: still owed an answer
    actions = await _actions(deps, ticket.number)
    assert actions.count("opened_by_refund") == 1 and actions.count("rectified") == 1

    # The customer's first answer comes late: it meets T2 and leaves the ticket awaiting its
    # callback (T4) instead of reopening it.
    await respond(deps, AGENT, ticket.number, "退款已到账，请查收")
    answered = await deps.reads.ticket_queries.get(ticket.number)
    assert answered.state is TicketState.AWAITING_CALLBACK
    assert answered.first_responded_at is not None
    assert answered.target("first_response").met_at is not None


async def test_t13_a_status_change_into_dispute_puts_the_item_on_the_review_list() -> None:
    deps = fake_deps()
    due = deps.clock.now() - timedelta(hours=1)

    await deliver(deps, on_logistics.rma_status_changed, lg.RmaStatusChanged(
        rma_number="RMA-1", order_id="TB-1", from_status="received", to_status="disputed",
        owner_id="as-5", dispute=True, next_action_at=due))

    item = store_of(deps).review_items["RMA-1"]
    assert (item.kind, item.owner_id, item.next_action_at) == ("dispute", "as-5", due)


async def test_t8_a_shipped_exchange_goes_on_the_timeline() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    await deliver(deps, on_logistics.exchange_shipped, lg.ExchangeShipped(
        rma_number="RMA-1", order_id="TB-1", ticket_number=ticket.number,
        tracking_number="SF123", courier="SF", shipped_at=deps.clock.now()))

    assert (await _actions(deps, ticket.number))[-1] == "exchange_shipped"


async def test_l6_an_unidentified_parcel_opens_one_aftersales_ticket() -> None:
    deps = fake_deps()
    parcel = lg.ParcelUnidentified(task_id="task-1", receipt_id="rc-1", tracking_number="YT9",
                                   customer_ref="tb-buyer-9", received_at=deps.clock.now())

    await deliver(deps, on_logistics.parcel_unidentified, parcel)
    await deliver(deps, on_logistics.parcel_unidentified, parcel)  # a second announcement

    store = store_of(deps)
    [stored] = store.tickets.values()
    assert stored.ticket.kind == "aftersales"
    assert stored.extra == {"source_ref": "parcel:task-1", "parcel_task_id": "task-1"}
    [customer] = store.customers.values()
    assert customer.platform_ids == ("tb-buyer-9",)
    assert len(store.published("tickets.ticket.opened")) == 1


async def test_l6_an_identified_parcel_links_its_ticket_to_the_rma() -> None:
    deps = fake_deps()
    parcel = lg.ParcelUnidentified(task_id="task-2", receipt_id="rc-2", tracking_number="YT8",
                                   received_at=deps.clock.now())
    await deliver(deps, on_logistics.parcel_unidentified, parcel)
    [number] = store_of(deps).tickets

    await deliver(deps, on_logistics.parcel_identified, lg.ParcelIdentified(
        task_id="task-2", receipt_id="rc-2", resolved_to="RMA-20261129-0001",
        resolved_by="as-1", note="顾客确认", resolved_at=deps.clock.now()))

    ticket = store_of(deps).tickets[number].ticket
    assert ticket.links == ["RMA-20261129-0001"]
    assert (await _actions(deps, number))[-1] == "parcel_identified"


async def test_l6_an_identified_parcel_without_a_ticket_changes_nothing() -> None:
    deps = fake_deps()
    await deliver(deps, on_logistics.parcel_identified, lg.ParcelIdentified(
        task_id="task-unknown", receipt_id="rc-3", resolved_to="RMA-1", resolved_by="as-1",
        resolved_at=deps.clock.now()))
    assert not store_of(deps).tickets
