"""L13: the ship-date promise on both sides of the cutoff, on non-working days, for handmade
SKUs, and with the policy changed."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from fakes import SHANGHAI, FakeCalendar

from logistics.domain.errors import ValidationFailed
from logistics.domain.promise import PromisePolicy, PromiseRule, SkuAsked, promise

CAL = FakeCalendar(holidays=[date(2026, 10, 1), date(2026, 10, 2)],
                   workdays=[date(2026, 10, 10)])
POLICY = PromisePolicy()


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def ask(paid: datetime, *skus: tuple[str, bool], policy: PromisePolicy = POLICY):
    return promise(paid, [SkuAsked(s, stock) for s, stock in skus], policy, CAL)


def test_l13_in_stock_before_cutoff_ships_today() -> None:
    result = ask(at(26, 15, 59), ("RUBBER-40", True))  # Thursday
    assert result.ship_date == date(2026, 11, 26)
    assert result.rule == PromiseRule.IN_STOCK_BEFORE_CUTOFF


def test_l13_in_stock_at_or_after_cutoff_ships_next_working_day() -> None:
    assert ask(at(26, 16, 0), ("RUBBER-40", True)).ship_date == date(2026, 11, 27)
    friday = ask(at(27, 17), ("RUBBER-40", True))
    assert friday.ship_date == date(2026, 11, 30)  # Monday: no shipping at the weekend
    assert friday.rule == PromiseRule.IN_STOCK_AFTER_CUTOFF


def test_l13_no_stock_ships_the_next_day() -> None:
    result = ask(at(26, 10), ("RUBBER-40", False))
    assert result.ship_date == date(2026, 11, 27) and result.rule == PromiseRule.OUT_OF_STOCK
    assert ask(at(26, 17), ("RUBBER-40", False)).ship_date == date(2026, 11, 30)


def test_l13_paid_on_a_non_working_day_ships_next_working_day() -> None:
    holiday = ask(at(1, 10, month=10), ("RUBBER-40", True))
    assert holiday.ship_date == date(2026, 10, 5)  # after the holidays and the weekend
    assert holiday.rule == PromiseRule.IN_STOCK_NON_SHIPPING_DAY
    adjusted_saturday = ask(at(10, 10, month=10), ("RUBBER-40", True))
    assert adjusted_saturday.ship_date == date(2026, 10, 10)


def test_l13_warehouse_may_ship_every_day_by_policy() -> None:
    every_day = PromisePolicy(ships_on_non_working_days=True)
    assert ask(at(28, 10), ("RUBBER-40", True), policy=every_day).ship_date == date(2026, 11, 28)


def test_l13_handmade_within_48_hours_and_decides_the_order() -> None:
    result = ask(at(23, 10), ("RUBBER-40", True), ("WOOL-HANDMADE-38", True))  # Monday
    assert result.ship_date == date(2026, 11, 25) and result.rule == PromiseRule.HANDMADE
    assert result.decided_by_sku == "WOOL-HANDMADE-38"
    assert result.ship_by == at(25, 10)
    weekend = ask(at(26, 10), ("WOOL-HANDMADE-38", True))  # deadline Saturday
    assert weekend.ship_date == date(2026, 11, 30)


def test_l13_handmade_patterns_and_cutoff_are_policy() -> None:
    policy = PromisePolicy(cutoff=time(12, 0), handmade_patterns=("FELT-*",))
    assert ask(at(26, 13), ("FELT-1", True), policy=policy).rule == PromiseRule.HANDMADE
    assert ask(at(26, 13), ("WOOL-HANDMADE-38", True), policy=policy).rule == \
        PromiseRule.IN_STOCK_AFTER_CUTOFF


def test_l13_bad_questions_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        ask(at(26, 10))
    with pytest.raises(ValidationFailed):
        promise(datetime(2026, 11, 26, 10), [SkuAsked("A", True)], POLICY, CAL)
    with pytest.raises(ValidationFailed):
        PromisePolicy(handmade_hours=0)
