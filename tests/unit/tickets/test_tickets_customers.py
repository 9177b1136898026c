"""T9/T15: who sets a customer's tier and contact details; the profile masked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tickets.domain.customers import (
    Customer,
    OrderReference,
    check_change,
    check_tier_setter,
)
from tickets.domain.errors import NotAllowed

AT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
CUSTOMER = Customer(id="CU1", name="张三丰", phone="13812345678", email="zhang@example.com",
                    address="浙江省杭州市西湖区文三路100号", platform_ids=("tb_zhang123",))


def test_t9_agents_open_profiles_in_the_default_tier_only() -> None:
    check_tier_setter("aftersales", "new")
    check_tier_setter("supervisor", "key")
    check_tier_setter("manager", "regular")
    with pytest.raises(NotAllowed, match="T9"):
        check_tier_setter("presales", "key")


def test_t15_contact_changes_by_supervisors_or_the_agent_holding_an_open_ticket() -> None:
    check_change("supervisor", {"phone": "1"}, holds_open_ticket=False)
    check_change("aftersales", {"phone": "1"}, holds_open_ticket=True)
    with pytest.raises(NotAllowed, match="T15"):
        check_change("aftersales", {"phone": "1"}, holds_open_ticket=False)
    with pytest.raises(NotAllowed, match="T9"):
        check_change("aftersales", {"tier": "key"}, holds_open_ticket=True)


def test_t9_a_profile_changes_and_remembers_each_order_once() -> None:
    changed = CUSTOMER.changed({"phone": "13900000000", "platform_ids": ["a"]}, by="sv", at=AT)
    assert (changed.phone, changed.platform_ids, changed.updated_by) == (
        "13900000000", ("a",), "sv")
    order = OrderReference(order_id="TB-1")
    once = CUSTOMER.with_order(order)
    assert once is not None and once.orders == (order,)
    assert once.with_order(OrderReference(order_id="TB-1", platform="x")) is None


def test_t15_the_masked_profile_hides_every_personal_field() -> None:
    masked = CUSTOMER.masked()
    assert (masked.name, masked.phone, masked.email) == ("张**", "138****5678",
                                                          "z***@example.com")
    assert masked.address == "浙江省杭州市****" and masked.platform_ids == ("tb****23",)
    assert masked.tier == CUSTOMER.tier and masked.id == CUSTOMER.id
