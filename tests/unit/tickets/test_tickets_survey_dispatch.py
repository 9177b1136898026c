"""T5: dispatch status, late steps (including the customer callback) and opinion routing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tickets.domain.errors import TransitionRefused, ValidationFailed
from tickets.domain.surveys import (
    UNCLASSIFIED,
    DispatchRecord,
    OpinionDispatch,
    route_unclassified,
)


def _record(calendar, sh) -> DispatchRecord:
    plan = OpinionDispatch.plan("logistics", ["快递太慢"], sh(2026, 9, 30, 10), calendar)
    return DispatchRecord(id="r.logistics", round_id="r", dispatch=plan, steps_by={})


def test_t5_status_follows_the_steps_and_the_callback_can_be_late(calendar, sh) -> None:
    record = _record(calendar, sh)
    assert record.status == "planned"
    assert record.late(sh(2026, 10, 8, 11)) == []  # due Fri 9 Oct with the fake calendar
    assert record.late(sh(2026, 10, 9, 11)) == ["dispatch"]
    record.dispatch.dispatch(sh(2026, 10, 9, 11), calendar)
    assert record.status == "dispatched"
    record.dispatch.return_measures(sh(2026, 10, 12, 9), "更换快递")
    assert record.status == "measures_returned"
    record.dispatch.mark_fixed(sh(2026, 10, 13, 9), calendar)
    assert record.status == "fixed"
    due = record.dispatch.callback_due
    assert due == sh(2026, 10, 13, 9) + timedelta(weeks=2)
    assert record.late(due + timedelta(minutes=1)) == ["callback"]
    record.callback_scheduled_for = due - timedelta(days=1)
    assert record.status == "callback_scheduled"
    assert record.late(due + timedelta(days=1)) == []


def test_t5_unclassified_opinions_go_to_the_default_department() -> None:
    routed = route_unclassified({UNCLASSIFIED: ["包装一般"], "customer_service": ["态度好"],
                                  "quality": ["开胶"]}, "customer_service")
    assert routed == {"customer_service": ["包装一般", "态度好"], "quality": ["开胶"]}


def test_t5_dispatch_steps_go_in_order_and_record_who_took_them(calendar, sh) -> None:
    record = _record(calendar, sh)
    with pytest.raises(TransitionRefused) as refused:
        record.fix(sh(2026, 10, 1, 9), calendar, "n", "sv-1")
    assert refused.value.allowed == ["dispatch"] and record.steps_by == {}
    record.send(sh(2026, 10, 1, 9), calendar, "sv-1")
    record.return_measures(sh(2026, 10, 2, 9), "更换快递", "sv-2")
    record.fix(sh(2026, 10, 5, 9), calendar, " 已换 ", "sv-1")
    with pytest.raises(ValidationFailed):  # T5: the callback is due within 2 weeks
        record.schedule_callback(sh(2026, 10, 5, 10), sh(2026, 10, 30, 9), "", "sv-3")
    record.schedule_callback(sh(2026, 10, 5, 10), sh(2026, 10, 6, 9), "", "sv-3")
    assert record.status == "callback_scheduled" and record.fix_note == "已换"
    assert record.steps_by == {"dispatch": "sv-1", "measures": "sv-2", "fix": "sv-1",
                               "callback": "sv-3"}
