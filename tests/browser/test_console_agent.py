"""Agents in the console: the queue with SLA clocks, answering a ticket, a refused action, the
parts of the system that are down, and the session rules (next=, sign-out)."""

from __future__ import annotations

import re

import httpx
import pytest
from console.main import create_app as create_console
from console.settings import ConsoleSettings
from console_ui import screenshot, sign_in
from playwright.async_api import expect

from support.uvicorn_served import served as serve

pytestmark = [pytest.mark.integration, pytest.mark.slow]
AGENT = "aftersales1"


async def test_agent_answers_a_ticket_and_the_sla_turns_green(page, console_system) -> None:
    system = console_system
    await system.roster({AGENT: "aftersales", "presales1": "presales"})
    ticket = await system.open_ticket_for(AGENT)
    number = ticket["number"]

    # An expired (here: absent) session returns to sign-in and keeps the wanted page.
    await page.goto(f"{system.console_url}/tickets/{number}")
    await expect(page).to_have_url(re.compile(r"/\?next=%2Ftickets%2F"))
    await expect(page.get_by_role("heading", name="员工登录")).to_be_visible()
    await page.get_by_label("工号").fill(AGENT)
    await page.get_by_label("密码").fill(f"demo-{AGENT}")
    await page.get_by_role("button", name="登录").click()
    await expect(page).to_have_url(f"{system.console_url}/tickets/{number}")

    await page.goto(f"{system.console_url}/queue")
    row = page.locator(f'tr[data-ticket="{number}"]')
    await expect(row).to_be_visible()
    first = row.locator('.sla[data-metric="first_response"]')
    await expect(first).to_have_class(re.compile(r"sla-(running|warned)"))
    await screenshot(page, "queue")

    await row.get_by_role("link", name=number).click()
    await expect(page.get_by_role("heading", name=f"工单 {number}")).to_be_visible()
    await expect(page.locator("#ticket-sla .sla[data-metric='first_response']")).not_to_have_class(
        re.compile("sla-met"))
    await page.get_by_label("答复内容").fill("您好，非常抱歉，我们马上为您换一双合适的尺码。")
    await page.get_by_role("button", name="发送答复").click()

    await expect(page.locator(".notice")).to_contain_text("操作已完成")
    await expect(page.locator("#ticket-state")).to_have_text("处理中")
    green = page.locator("#ticket-sla .sla[data-metric='first_response']")
    await expect(green).to_have_class(re.compile("sla-met"))
    await expect(green).to_contain_text("已达成")
    await expect(page.locator("ol.timeline li[data-action='first_responded']")).to_contain_text(
        "首次答复")
    await screenshot(page, "ticket")

    # The customer profile, masked or not exactly as the API gives it to this person.
    profile = await system.call(AGENT, "GET", f"/api/tickets/customers/{ticket['customer_id']}")
    await page.get_by_role("link", name=ticket["customer"]["name"]).click()
    await expect(page.get_by_role("heading", name="客户资料")).to_be_visible()
    await expect(page.locator("main")).to_contain_text(profile.json()["phone"])


async def test_a_refused_action_shows_the_apis_reason(page, console_system) -> None:
    system = console_system
    await system.roster({AGENT: "aftersales"})
    ticket = await system.open_ticket_for(AGENT, grade="major")
    number = ticket["number"]
    answered = await system.call(AGENT, "POST", f"/api/tickets/tickets/{number}/responses",
                                 {"message": "您好，我们正在处理。"})
    assert answered.status_code == 200, answered.text
    # What the API answers to this very action (T4: no close without a confirmed callback).
    refused = await system.call(AGENT, "POST", f"/api/tickets/tickets/{number}/close", {})
    assert refused.status_code in (409, 422), refused.text
    detail = refused.json()["detail"]

    await sign_in(page, system.console_url, AGENT, f"?next=/tickets/{number}")
    await page.get_by_role("button", name="关闭", exact=True).click()
    alert = page.locator("#act-close").locator("..").get_by_role("alert")
    await expect(alert).to_contain_text(detail)
    await expect(page.locator("#ticket-state")).to_have_text("处理中")
    await screenshot(page, "refused-action")


async def test_a_field_the_api_names_gets_its_message(page, console_system) -> None:
    system = console_system
    await system.roster({AGENT: "aftersales"})
    ticket = await system.open_ticket_for(AGENT)
    await sign_in(page, system.console_url, AGENT, f"?next=/tickets/{ticket['number']}")
    form = page.locator("form[aria-labelledby='act-articles-used']")
    await form.get_by_label("文章编号").fill("no-such-article")
    await form.get_by_label("版本").fill("1")
    await form.get_by_role("button", name="记录").click()
    await expect(page.locator("form[aria-labelledby='act-articles-used'] [role=alert]").first
                 ).to_be_visible()


async def test_a_service_that_is_down_is_named_and_nothing_breaks(browser,
                                                                 console_system) -> None:
    """A second console whose gateway answers 502 for logistics, as when it is down."""
    gateway = httpx.ASGITransport(app=console_system.gateway_app)

    class LogisticsDown(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.startswith("/api/logistics/"):
                return httpx.Response(502, json={"title": "Upstream unavailable",
                                                 "status": 502, "detail": "logistics"})
            return await gateway.handle_async_request(request)

    app = create_console(ConsoleSettings(environment="test", cookie_secure=False,
                                         gateway_url="http://gateway.browser"),
                         transport=LogisticsDown())
    context = await browser.new_context(locale="zh-CN")
    page = await context.new_page()
    try:
        async with serve(app) as base:
            await sign_in(page, base, AGENT)
            await page.goto(f"{base}/rmas")
            await expect(page.locator(".unavailable")).to_contain_text("物流服务暂时不可用")
            await page.goto(f"{base}/parcel-tasks")
            await expect(page.locator(".unavailable")).to_contain_text("物流服务暂时不可用")
            await page.goto(f"{base}/me/attendance")  # hr answers
            await expect(page.get_by_role("heading", name="我的排班与打卡")).to_be_visible()
            await expect(page.locator(".unavailable")).to_have_count(0)
    finally:
        await context.close()


async def test_each_role_sees_only_its_menu(page, console_system) -> None:
    await sign_in(page, console_system.console_url, AGENT)
    menu = page.get_by_role("navigation", name="主菜单")
    await expect(menu).to_contain_text("我的队列")
    await expect(menu).not_to_contain_text("死信")
    await expect(menu).not_to_contain_text("审批收件箱")
    await screenshot(page, "home-agent")
    await page.get_by_role("button", name="退出登录").click()
    await expect(page.locator(".notice")).to_contain_text("您已退出登录")
    await page.goto(f"{console_system.console_url}/queue")
    await expect(page.get_by_role("heading", name="员工登录")).to_be_visible()

    await sign_in(page, console_system.console_url, "manager1")
    menu = page.get_by_role("navigation", name="主菜单")
    for text in ("结算审批", "报表", "策略设置", "死信", "审批收件箱"):
        await expect(menu).to_contain_text(text)


async def test_sign_in_keeps_only_local_next_paths(page, console_system) -> None:
    await sign_in(page, console_system.console_url, AGENT, "?next=//evil.example/x")
    await expect(page).to_have_url(f"{console_system.console_url}/home")


async def test_phone_width_sign_in_and_queue(browser, console_system) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844},
                                        locale="zh-CN", is_mobile=True)
    page = await context.new_page()
    try:
        await page.goto(console_system.console_url)
        await screenshot(page, "sign-in-phone")
        await sign_in(page, console_system.console_url, AGENT, "?next=/queue")
        await expect(page.get_by_role("heading", name="我的队列")).to_be_visible()
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, width
        await screenshot(page, "queue-phone")
    finally:
        await context.close()


async def test_knowledge_base_search_updates_as_the_agent_types(page, console_system) -> None:
    system = console_system
    written = await system.call(AGENT, "POST", "/api/tickets/articles", {
        "title": "退货运费由谁承担", "body": "质量问题退货，运费由店铺承担；非质量问题由顾客承担。",
        "tags": ["退货", "运费"]})
    assert written.status_code == 201, written.text
    await sign_in(page, system.console_url, AGENT, "?next=/kb")
    await page.get_by_label("关键词").fill("退货 运费")  # htmx asks as the agent types
    results = page.locator("#kb-results")
    await expect(results.get_by_role("link", name="退货运费由谁承担")).to_be_visible()
    await results.get_by_role("link", name="退货运费由谁承担").click()
    await expect(page.locator("main")).to_contain_text("运费由店铺承担")
