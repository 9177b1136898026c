"""Schemas of customer profiles (T9, T15) and their order references."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from tickets.api.schemas.common import request_config

Name = Annotated[str, Field(min_length=1, max_length=100)]
Phone = Annotated[str, Field(min_length=3, max_length=32, pattern=r"^\+?[0-9 -]+$")]
Email = Annotated[str, Field(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")]
Address = Annotated[str, Field(min_length=1, max_length=500)]
PlatformId = Annotated[str, Field(min_length=1, max_length=100)]
TierName = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$")]
CustomerId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9:_-]+$")]

CUSTOMER_EXAMPLE = {"id": "CU1A2B3C4D5E6F", "name": "张**", "phone": "138****5678",
                    "email": "z***@example.com", "address": "浙江省杭州市****",
                    "platform_ids": ["tb****ng"], "tier": "regular",
                    "orders": [{"order_id": "TB-9876543210", "platform": "taobao",
                                "placed_on": "2026-11-20"}], "masked": True}


class CustomerCreate(BaseModel):
    """A customer profile (客户档案)."""

    model_config = request_config(
        {"name": "张三", "phone": "13812345678", "email": "zhang@example.com",
         "address": "浙江省杭州市西湖区文三路100号", "platform_ids": ["tb_zhang"], "tier": "new"})

    name: Name
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = None
    platform_ids: list[PlatformId] = Field(default_factory=list, max_length=20)
    tier: TierName = "new"


class CustomerUpdate(BaseModel):
    """Changed fields only; the tier is changed by a supervisor or manager (T9)."""

    model_config = request_config({"phone": "13900001111"}, {"tier": "key"})

    name: Name | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = None
    platform_ids: list[PlatformId] | None = Field(None, max_length=20)
    tier: TierName | None = None


class OrderRefCreate(BaseModel):
    """A reference to one of the customer's orders (the order lives on the shop platform)."""

    model_config = request_config(
        {"order_id": "TB-9876543210", "platform": "taobao", "placed_on": "2026-11-20"})

    order_id: Annotated[str, Field(min_length=1, max_length=100)]
    platform: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    placed_on: date | None = None


class OrderRefRead(BaseModel):
    order_id: str
    platform: str | None = None
    placed_on: date | None = None


class CustomerRead(BaseModel):
    """A profile; personal fields are masked unless the viewer may see them (T15)."""

    model_config = ConfigDict(json_schema_extra={"examples": [CUSTOMER_EXAMPLE]})

    id: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    platform_ids: list[str] = []
    tier: str
    orders: list[OrderRefRead] = []
    masked: bool = False

    @classmethod
    def of(cls, doc: dict[str, Any]) -> CustomerRead:
        orders = [OrderRefRead(**{**o, "placed_on": o.get("placed_on")})
                  for o in doc.get("orders") or []]
        return cls(id=doc["_id"], name=doc.get("name"), phone=doc.get("phone"),
                   email=doc.get("email"), address=doc.get("address"),
                   platform_ids=doc.get("platform_ids") or [], tier=doc.get("tier") or "regular",
                   orders=orders, masked=bool(doc.get("masked")))


class CustomerTicketsQuery(BaseModel):
    """The query of `GET /customers/{id}/tickets`; an unknown parameter is a 422."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=10_000)
    limit: int = Field(20, ge=1, le=100)
