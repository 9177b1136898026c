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


async def test_an_unidentified_parcel_is_resolved_to_its_rma(page, console_system) -> None:
    """L6: a parcel the warehouse cannot match waits for after-sales; a number the API refuses
    is shown beside the field, the right one resolves it and the RMA has the receipt."""
    system = console_system
    opened = await system.call("aftersales1", "POST", "/api/logistics/rmas", {
        "kind": "return", "order_id": f"TB-{uuid.uuid4().int % 10**10:010d}",
        "reason": "尺码不合适", "customer_id": f"tb_{uuid.uuid4().hex[:8]}",
        "contact_name": "李四", "contact_phone": "13912345678",
        "address": "上海市徐汇区漕溪北路1号",
        "items": [{"sku": "WOOL-39", "quantity": 1, "unit_paid_fen": 19900}]})
    assert opened.status_code == 201, opened.text
    number = opened.json()["number"]
    receipt_id = f"WR-{uuid.uuid4().hex[:10]}"
    received = await system.call("warehouse1", "POST", "/api/logistics/receipts", {
        "receipt_id": receipt_id, "received_at": "2026-11-30T09:00:00+08:00",
        "tracking_number": f"YT{uuid.uuid4().hex[:8]}", "courier": "YTO",
        "items": [{"sku": "WOOL-39", "quantity": 1, "intact": True, "box_complete": True,
                   "resellable": True}],
        "inspector": "warehouse1", "signed_by": "张三"})
    assert received.status_code in (200, 201), received.text

    await sign_in(page, system.console_url, "aftersales1", "?next=/parcel-tasks")
    card = page.locator(f".parcel:has-text('{receipt_id}')")
    await expect(card).to_be_visible()
    await card.get_by_label("退换货单号或拦截单号").fill("not-a-number")
    await card.get_by_role("button", name="认领").click()
    card = page.locator(f".parcel:has-text('{receipt_id}')")
    await expect(card.locator(".field-error")).to_have_text("格式不对")  # the API names `number`
    await screenshot(page, "parcels")
    await card.get_by_label("退换货单号或拦截单号").fill(number)
    await card.get_by_role("button", name="认领").click()
    await expect(page.locator(".notice")).to_contain_text(f"包裹已认领到 {number}")
    await expect(page.locator("[data-listing='最近认领']")).to_contain_text(number)

    await page.goto(f"{system.console_url}/rmas/{number}")
    await expect(page.locator("#inspection")).to_contain_text(receipt_id)
