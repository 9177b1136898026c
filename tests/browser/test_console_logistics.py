"""logistics in the console: the warehouse records a receipt by hand and the refund appears on
the RMA (L4, L6, L7)."""

from __future__ import annotations

import uuid

import pytest
from console_ui import screenshot, sign_in
from playwright.async_api import expect

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def test_a_receipt_by_hand_and_the_refund_on_the_rma(page, console_system) -> None:
    system = console_system
    opened = await system.call("aftersales1", "POST", "/api/logistics/rmas", {
        "kind": "return", "order_id": f"TB-{uuid.uuid4().int % 10**10:010d}",
        "reason": "鞋底开胶", "customer_id": f"tb_{uuid.uuid4().hex[:8]}",
        "contact_name": "张三丰", "contact_phone": "13812345678",
        "address": "浙江省杭州市西湖区文三路100号", "quality_claim": True, "photos": ["p/1.jpg"],
        "items": [{"sku": "WOOL-38", "quantity": 1, "unit_paid_fen": 29900}]})
    assert opened.status_code == 201, opened.text
    number = opened.json()["number"]
    tracked = await system.call("aftersales1", "POST", f"/api/logistics/rmas/{number}/tracking",
                                {"tracking_number": f"SF{uuid.uuid4().hex[:8]}",
                                 "return_postage_fen": 1000})
    assert tracked.status_code == 200, tracked.text
    decided = await system.call("aftersales1", "POST",
                                f"/api/logistics/rmas/{number}/quality-decision",
                                {"verdict": "confirmed"})
    assert decided.status_code == 200, decided.text

    await sign_in(page, system.console_url, "warehouse1", "?next=/receipts/new")
    form = page.locator("#form-record")
    await form.get_by_label("收货单号").fill(f"WR-{uuid.uuid4().hex[:10]}")
    await form.get_by_label("退换货单号").fill(number)
    await form.get_by_label("SKU").fill("WOOL-38")
    await form.get_by_label("数量").fill("1")
    for box in ("外观完好", "包装齐全", "可二次销售"):
        await form.get_by_label(box).check()
    await form.get_by_label("签收人").fill("张三")
    await screenshot(page, "receipt")
    await form.get_by_role("button", name="录入").click()
    await expect(page.locator(".notice")).to_contain_text("收货已录入")

    await page.get_by_role("button", name="退出登录").click()
    await sign_in(page, system.console_url, "aftersales1", f"?next=/rmas/{number}")
    refund = page.locator("#refund")
    await expect(refund).to_contain_text("¥309.00")  # 299.00 paid + 10.00 return postage
    await screenshot(page, "rma-refund")
