"""T13: the supervisor's daily review list and the reminders to its owners; on fakes."""

from __future__ import annotations

from datetime import timedelta

from ops_shared.contracts import logistics as lg
from tickets.application import on_logistics, review
from unit.tickets.fakes import clock_of, fake_deps, store_of
from unit.tickets.fakes.builders import SUPERVISOR, deliver


async def _item(deps, rma: str, owner: str, *, dispute: bool = False, refund: bool = False,
                hours: float = -1) -> None:
    await deliver(deps, on_logistics.rma_status_changed, lg.RmaStatusChanged(
        rma_number=rma, order_id=f"TB-{rma}", from_status="a", to_status="b", owner_id=owner,
        dispute=dispute, refund_in_progress=refund,
        next_action_at=deps.clock.now() + timedelta(hours=hours)))


async def test_t13_the_list_has_open_refunds_and_overdue_disputes_by_owner() -> None:
    deps = fake_deps()
    await _item(deps, "R1", "as-1", refund=True, hours=+5)  # refunds: every day
    await _item(deps, "R2", "as-2", dispute=True, hours=-1)  # overdue dispute
    await _item(deps, "R3", "as-2", dispute=True, hours=+5)  # dispute not yet due

    listed = await review.daily_list(deps)

    assert [(o.owner_id, [r.rma_number for r, _ in o.items]) for o in listed.owners] == [
        ("as-1", ["R1"]), ("as-2", ["R2"])]


async def test_t13_a_refund_issued_takes_the_item_off_the_list() -> None:
    deps = fake_deps()
    await _item(deps, "R1", "as-1", refund=True)
    clock_of(deps).advance(minutes=1)

    await deliver(deps, on_logistics.refund_issued, lg.RefundIssued(
        refund_id="RF-1", rma_number="R1", order_id="TB-R1", amount_fen=100,
        issued_at=deps.clock.now()))

    assert (await review.daily_list(deps)).owners == []


async def test_t13_each_owner_is_reminded_once_a_day_and_each_reminder_published() -> None:
    deps = fake_deps()
    await _item(deps, "R1", "as-1", refund=True)
    await _item(deps, "R2", "as-2", dispute=True)

    first = await review.send_reminders(deps, SUPERVISOR, owner_ids=None)
    again = await review.send_reminders(deps, SUPERVISOR, owner_ids=["as-1", "as-9"])

    assert [r.owner_id for r in first.reminded] == ["as-1", "as-2"]
    assert (again.reminded, again.already_reminded, again.not_on_list) == (
        [], ["as-1"], ["as-9"])
    sent = store_of(deps).published("tickets.review.reminder_sent")
    assert [e.data["owner_id"] for e in sent] == ["as-1", "as-2"]
    day, reminders = await review.reminders_on(deps, None)
    assert day == "2026-11-26" and len(reminders) == 2


async def test_t13_reminder_items_name_the_case_type_and_id() -> None:
    """L12 cases on a reminder say what they are (additive `case_type`, `case_id` in v1); the
    item key stays as v1 consumers know it."""
    deps = fake_deps()
    await _item(deps, "RMA-20261126-0001", "as-1", dispute=True)
    await deliver(deps, on_logistics.case_updated, lg.CaseUpdated(
        case_type="recall", case_id="RC-20261126-0002", order_id="TB-9", status="requested",
        open=True, owner_id="as-1", next_action_at=deps.clock.now() - timedelta(hours=1),
        updated_at=deps.clock.now()))

    await review.send_reminders(deps, SUPERVISOR, owner_ids=None)

    [sent] = store_of(deps).published("tickets.review.reminder_sent")
    items = {i["case_id"]: i for i in sent.data["items"]}
    assert items["RC-20261126-0002"]["case_type"] == "recall"
    assert items["RC-20261126-0002"]["rma_number"] == "recall:RC-20261126-0002"
    assert items["RMA-20261126-0001"]["case_type"] == "rma"
    assert items["RMA-20261126-0001"]["rma_number"] == "RMA-20261126-0001"
    _, [reminder] = await review.reminders_on(deps, None)
    assert sorted(reminder.cases) == [("recall", "RC-20261126-0002"),
                                      ("rma", "RMA-20261126-0001")]
