"""L13: the ship date pre-sales promises, and the rule that decided it.

Policy (a manager edits it at run time): the cutoff (16:00), the lead times, the handmade SKUs
or SKU patterns, and whether the warehouse ships on non-working days.

Decided: by default the warehouse does NOT ship on non-working days (statutory holidays, the
weekly rest days and admin holidays of `ops_shared.calendar`; adjusted working weekends count as
working). A payment on such a day is treated like one after the cutoff of the previous working
day: it ships on the next working day. A manager who staffs the warehouse every day turns
`ships_on_non_working_days` on.

- in stock, paid before the cutoff on a shipping day → ships that day; otherwise the next one;
- out of stock → `out_of_stock_days` shipping days after that;
- handmade (full wool, rubber-soled handmade shoes) → within `handmade_hours` of payment: the day
  that deadline falls on, moved to the next shipping day if the warehouse does not ship then.
An order ships when its slowest item does; the answer names the rule of that item.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from logistics.domain.errors import ValidationFailed


class WorkingDays(Protocol):
    tz: ZoneInfo

    def is_working_day(self, d: date) -> bool: ...


class PromiseRule(StrEnum):
    IN_STOCK_BEFORE_CUTOFF = "in_stock_before_cutoff"
    IN_STOCK_AFTER_CUTOFF = "in_stock_after_cutoff"
    IN_STOCK_NON_SHIPPING_DAY = "in_stock_non_shipping_day"
    OUT_OF_STOCK = "out_of_stock"
    HANDMADE = "handmade"


@dataclass(frozen=True)
class PromisePolicy:
    cutoff: time = time(16, 0)
    in_stock_days: int = 0
    out_of_stock_days: int = 1
    handmade_hours: int = 48
    handmade_patterns: tuple[str, ...] = ("*HANDMADE*", "WOOL-*")
    ships_on_non_working_days: bool = False

    def __post_init__(self) -> None:
        if self.in_stock_days < 0 or self.out_of_stock_days < 0 or self.handmade_hours < 1:
            raise ValidationFailed("lead times must be >= 0 days (handmade >= 1 hour)")

    def is_handmade(self, sku: str) -> bool:
        return any(fnmatch.fnmatchcase(sku.upper(), p.upper()) for p in self.handmade_patterns)


@dataclass(frozen=True)
class SkuAsked:
    sku: str
    in_stock: bool


@dataclass(frozen=True)
class SkuPromise:
    sku: str
    ship_date: date
    rule: PromiseRule


@dataclass(frozen=True)
class Promise:
    ship_date: date
    rule: PromiseRule
    decided_by_sku: str
    items: tuple[SkuPromise, ...]
    ship_by: datetime | None = None  # handmade: the 48-hour deadline itself


def promise(paid_at: datetime, skus: Sequence[SkuAsked], policy: PromisePolicy,
            days: WorkingDays) -> Promise:
    """L13: the promised ship date of an order paid at `paid_at`."""
    if not skus:
        raise ValidationFailed("ask about at least one SKU", "skus")
    if paid_at.tzinfo is None:
        raise ValidationFailed("the payment time needs a time zone", "paid_at")
    local = paid_at.astimezone(days.tz)
    items = tuple(_one(local, s, policy, days) for s in skus)
    slowest = max(items, key=lambda p: (p.ship_date, p.rule == PromiseRule.HANDMADE))
    ship_by = (local + timedelta(hours=policy.handmade_hours)
               if slowest.rule == PromiseRule.HANDMADE else None)
    return Promise(slowest.ship_date, slowest.rule, slowest.sku, items, ship_by)


def _one(local: datetime, asked: SkuAsked, policy: PromisePolicy,
         days: WorkingDays) -> SkuPromise:
    ships = _ShippingDays(policy, days)
    if policy.is_handmade(asked.sku):
        deadline = local + timedelta(hours=policy.handmade_hours)
        return SkuPromise(asked.sku, ships.on_or_after(deadline.date()), PromiseRule.HANDMADE)
    today = local.date()
    if not ships.ships(today):
        first, rule = ships.after(today), PromiseRule.IN_STOCK_NON_SHIPPING_DAY
    elif local.time() < policy.cutoff:
        first, rule = today, PromiseRule.IN_STOCK_BEFORE_CUTOFF
    else:
        first, rule = ships.after(today), PromiseRule.IN_STOCK_AFTER_CUTOFF
    if asked.in_stock:
        return SkuPromise(asked.sku, ships.add(first, policy.in_stock_days), rule)
    return SkuPromise(asked.sku, ships.add(first, policy.out_of_stock_days),
                      PromiseRule.OUT_OF_STOCK)


class _ShippingDays:
    def __init__(self, policy: PromisePolicy, days: WorkingDays) -> None:
        self.every_day = policy.ships_on_non_working_days
        self.days = days

    def ships(self, d: date) -> bool:
        return self.every_day or self.days.is_working_day(d)

    def after(self, d: date) -> date:
        for _ in range(3660):
            d += timedelta(days=1)
            if self.ships(d):
                return d
        raise ValidationFailed("no shipping day within ten years")

    def on_or_after(self, d: date) -> date:
        return d if self.ships(d) else self.after(d)

    def add(self, d: date, n: int) -> date:
        for _ in range(n):
            d = self.after(d)
        return d
