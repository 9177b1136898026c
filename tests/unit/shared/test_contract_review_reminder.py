"""`tickets.review.reminder_sent` v1: `case_type` and `case_id` on each item are additive, so a
payload without them still reads (as an RMA), and a reader that does not know them ignores
them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from ops_shared.contracts import new_envelope
from ops_shared.contracts.tickets import ReviewReminderItem, ReviewReminderSent

AT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
OLD_ITEM = {"rma_number": "RMA-20261126-0001", "order_id": "TB-1", "kind": "dispute",
            "next_action_at": AT.isoformat()}


def test_t13_a_v1_item_without_case_type_is_an_rma() -> None:
    item = ReviewReminderItem.model_validate(OLD_ITEM)
    assert item.case_type == "rma" and item.case_id is None


def test_t13_the_item_carries_case_type_and_id_in_the_same_version() -> None:
    item = ReviewReminderItem(rma_number="recall:RC-1", order_id="TB-1", kind="dispute",
                              next_action_at=AT, case_type="recall", case_id="RC-1")
    event = ReviewReminderSent(owner_id="as-1", day="2026-11-26", items=[item],
                               reminded_by="sup-1", reminded_at=AT)
    envelope = new_envelope(event)
    assert envelope.version == 1
    data = envelope.data["items"][0]
    assert (data["case_type"], data["case_id"], data["rma_number"]) == (
        "recall", "RC-1", "recall:RC-1")


def test_t13_a_reader_of_the_first_v1_shape_still_reads_the_new_items() -> None:
    class FirstItem(BaseModel):  # the item as v1 first defined it
        model_config = ConfigDict(frozen=True, extra="ignore")
        rma_number: str
        order_id: str
        kind: str
        next_action_at: datetime

    new = ReviewReminderItem(**OLD_ITEM, case_type="reshipment", case_id="RS-1")
    assert FirstItem.model_validate(new.model_dump(mode="json")).rma_number == OLD_ITEM[
        "rma_number"]


def test_t13_an_unknown_case_type_is_refused() -> None:
    with pytest.raises(ValidationError):
        ReviewReminderItem.model_validate({**OLD_ITEM, "case_type": "parcel"})
