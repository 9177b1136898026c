"""Ship-date promise and policy schemas (L13)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from logistics.api.schemas.common import In, Sku
from logistics.domain.promise import Promise, PromisePolicy
from ops_shared.contracts.bounds import LocalTime
from ops_shared.web import Moment, StaffTime


class SkuIn(In):
    sku: Sku
    in_stock: bool


class PromiseAsk(In):
    paid_at: Moment
    skus: list[SkuIn] = Field(min_length=1, max_length=50)


class SkuPromiseRead(BaseModel):
    sku: str
    ship_date: date
    rule: str


class PromiseRead(BaseModel):
    ship_date: date
    rule: str
    decided_by_sku: str
    ship_by: StaffTime | None
    items: list[SkuPromiseRead]

    @classmethod
    def of(cls, p: Promise) -> PromiseRead:
        return cls(ship_date=p.ship_date, rule=p.rule.value, decided_by_sku=p.decided_by_sku,
                   ship_by=p.ship_by, items=[SkuPromiseRead(sku=i.sku, ship_date=i.ship_date,
                                                            rule=i.rule.value)
                                             for i in p.items])


class PromisePolicyIn(In):
    """What the manager edits; every field is required so that an edit is never partial."""

    cutoff: LocalTime = Field(description="Paid before this shop-local time ships the same day.")
    in_stock_days: int = Field(ge=0, le=30)
    out_of_stock_days: int = Field(ge=0, le=60)
    handmade_hours: int = Field(ge=1, le=24 * 60)
    handmade_patterns: list[str] = Field(max_length=200,
                                         description="SKUs or shell patterns (WOOL-*).")
    ships_on_non_working_days: bool

    def policy(self) -> PromisePolicy:
        return PromisePolicy(cutoff=self.cutoff, in_stock_days=self.in_stock_days,
                             out_of_stock_days=self.out_of_stock_days,
                             handmade_hours=self.handmade_hours,
                             handmade_patterns=tuple(p[:100] for p in self.handmade_patterns),
                             ships_on_non_working_days=self.ships_on_non_working_days)


class PromisePolicyRead(PromisePolicyIn):
    @classmethod
    def of(cls, policy: PromisePolicy) -> PromisePolicyRead:
        return cls(cutoff=policy.cutoff, in_stock_days=policy.in_stock_days,
                   out_of_stock_days=policy.out_of_stock_days,
                   handmade_hours=policy.handmade_hours,
                   handmade_patterns=list(policy.handmade_patterns),
                   ships_on_non_working_days=policy.ships_on_non_working_days)
