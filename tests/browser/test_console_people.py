"""hr in the console: a swap requested, accepted by the colleague and approved by the
supervisor, each in their own browser session (H5-H7, H11)."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

import pytest
from console_ui import screenshot, sign_in
from playwright.async_api import expect

from support.wait import eventually

pytestmark = [pytest.mark.integration, pytest.mark.slow]
PASSWORD = "console-pass-123"
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _team(system) -> dict[str, str]:
    """A supervisor and two after-sales agents: accounts at the gateway, hired in hr, on the
    published December roster (hr's clock: 1 Dec 07:00)."""
    tag = uuid.uuid4().hex[:6]
    team = {"team": f"team-{tag}", "sup": f"sup-{tag}", "a1": f"as1-{tag}", "a2": f"as2-{tag}"}
    for key, role in (("sup", "supervisor"), ("a1", "aftersales"), ("a2", "aftersales")):
        hire = {"staff_id": team[key], "display_name": team[key], "role": role,
                "team": team["team"]}
        if key != "sup":
            hire |= {"supervisor_id": team["sup"], "wage_fen": 652_500}
        hired = await system.call("manager1", "POST", "/api/hr/staff", hire)
        assert hired.status_code == 201, hired.text

        async def account(staff_id: str = team[key]) -> bool:
            made = await system.call("manager1", "POST", "/admin/accounts", {
                "staff_id": staff_id, "password": PASSWORD})
            assert made.status_code == 201, made.text
            return True

        await eventually(account, timeout=30, interval=0.3, what="the gateway hears hr")
    sup_token = await _token(system, team["sup"])
    roster = await system.api.post("/api/hr/rosters", json={"month": "2026-12",
                                                            "team": team["team"]},
                                   headers=sup_token)
    assert roster.status_code == 201, roster.text
    published = await system.api.post(f"/api/hr/rosters/{roster.json()['roster_id']}/publish",
                                      headers=sup_token)
    assert published.status_code == 200, published.text
    return team


async def _token(system, staff_id: str) -> dict[str, str]:
    answer = await system.api.post("/auth/token", json={"staff_id": staff_id,
                                                        "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def _sign_in(page, base: str, staff_id: str, wanted: str) -> None:
    await page.goto(f"{base}/?next={wanted}")
    await page.get_by_label("工号").fill(staff_id)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page).to_have_url(f"{base}{wanted}")


async def test_a_swap_requested_accepted_and_approved(browser, console_system) -> None:
    system = console_system
    team = await _team(system)
    base = system.console_url

    async def as_(staff_id: str, wanted: str):
        context = await browser.new_context(viewport={"width": 1280, "height": 860},
                                            locale="zh-CN")
        page = await context.new_page()
        await _sign_in(page, base, staff_id, wanted)
        return context, page

    context, page = await as_(team["a1"], "/me/requests")
    form = page.locator("#form-swap")
    await form.get_by_label("我的日期").fill("2026-12-03")
    await form.get_by_label("同事工号").fill(team["a2"])
    await form.get_by_label("同事的日期").fill("2026-12-03")
    await form.get_by_label("审批人（直属主管工号）").fill(team["sup"])
    await form.get_by_label("原因").fill("家里有事")
    await form.get_by_role("button", name="提交").click()
    await expect(page.locator(".notice")).to_contain_text("调班申请已提交")
    await expect(page.locator("[data-listing='我的申请']")).to_contain_text("2026-12-03")
    await screenshot(page, "requests")
    await context.close()

    context, page = await as_(team["a2"], "/me/requests")
    asked = page.locator("[data-listing='请我确认的调班']")
    await expect(asked).to_contain_text(team["a1"])
    await asked.get_by_role("button", name="接受").click()
    await expect(page.locator(".notice")).to_contain_text("已处理")
    await context.close()

    context, page = await as_(team["sup"], "/approvals")
    inbox = page.locator("[data-listing='待审批']")
    await expect(inbox).to_contain_text(team["a1"])
    await screenshot(page, "approvals")
    await inbox.get_by_role("button", name="批准").click()
    await expect(page.locator(".notice")).to_contain_text("已审批")
    await expect(page.locator("[data-listing='待审批']")).not_to_contain_text(team["a1"])
    await context.close()

    listed = await system.api.get("/api/hr/requests", headers=await _token(system, team["a1"]),
                                  params={"staff_id": team["a1"]})
    assert [r["state"] for r in listed.json()] == ["approved"], listed.text


async def test_a_refused_request_shows_hr_s_rule_and_reason(browser, console_system) -> None:
    system = console_system
    team = await _team(system)
    context = await browser.new_context(locale="zh-CN")
    page = await context.new_page()
    try:
        await _sign_in(page, system.console_url, team["a1"], "/me/requests")
        form = page.locator("#form-swap")
        await form.get_by_label("我的日期").fill("2026-12-03")
        await form.get_by_label("同事工号").fill(team["a2"])
        await form.get_by_label("同事的日期").fill("2026-12-03")
        await form.get_by_label("审批人（直属主管工号）").fill("manager1")  # not the direct boss
        await form.get_by_role("button", name="提交").click()
        await expect(form.get_by_role("alert").first).to_contain_text("H11")
        await expect(form.get_by_role("alert").first).to_contain_text("审批人不是直属主管")
    finally:
        await context.close()


async def test_a_refusal_reason_reaches_the_requester_and_the_clock_in_works(
        browser, console_system) -> None:
    """The supervisor refuses with a reason in the inbox; the requester reads it beside the
    request. The same person clocks in from their attendance page (H3)."""
    system = console_system
    team = await _team(system)
    asked = await system.api.post("/api/hr/requests/swaps", headers=await _token(
        system, team["a1"]), json={"day": "2026-12-04", "colleague_id": team["a2"],
                                   "colleague_day": "2026-12-04", "approver_id": team["sup"]})
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    accepted = await system.api.post(f"/api/hr/requests/{request_id}/decisions",
                                     headers=await _token(system, team["a2"]),
                                     json={"action": "accept"})
    assert accepted.status_code == 200, accepted.text

    context = await browser.new_context(locale="zh-CN")
    page = await context.new_page()
    try:
        await _sign_in(page, system.console_url, team["sup"], "/approvals")
        inbox = page.locator("[data-listing='待审批']")
        await inbox.get_by_label("驳回原因").fill("当天人手不足")
        await inbox.get_by_role("button", name="驳回").click()
        await expect(page.locator(".notice")).to_contain_text("已审批")
    finally:
        await context.close()

    context = await browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = await context.new_page()
    try:
        await _sign_in(page, system.console_url, team["a1"], "/me/requests")
        mine = page.locator("[data-listing='我的申请']")
        await expect(mine).to_contain_text("已驳回")
        await expect(mine.locator("td[data-label='驳回/拒绝原因']")).to_contain_text("当天人手不足")
        await screenshot(page, "requests-refused")

        await page.goto(f"{system.console_url}/me/attendance")
        await page.get_by_role("button", name="打卡（上班/下班）").click()
        await expect(page.locator(".notice")).to_contain_text("打卡成功")  # hr answered 201

        await page.goto(f"{system.console_url}/me/attendance?month=2026-12")
        roster = page.locator("[data-listing='我的本月排班']")
        await expect(roster).to_contain_text("2026-12-04")  # the refused swap left it as it was
        await expect(roster).to_contain_text("客服")  # shifts by their Chinese names
        clock = system.hr_clock.now().astimezone(SHANGHAI)  # hr's time of the punch
        first = page.locator(f"[data-listing='本月出勤'] tr:has-text('{clock:%Y-%m-%d}')").first
        await expect(first).to_contain_text(f"{clock:%Y-%m-%d %H:%M}")
        await screenshot(page, "attendance")
    finally:
        await context.close()


async def test_the_manager_approves_a_settlement_and_downloads_the_xlsx(
        page, console_system) -> None:
    system = console_system
    team = await _team(system)
    sup = await _token(system, team["sup"])
    drafted = await system.api.post("/api/hr/settlements", json={"month": "2026-12"},
                                    headers=sup)
    assert drafted.status_code in (200, 201), drafted.text
    reviewed = await system.api.post("/api/hr/settlements/2026-12/review", headers=sup)
    assert reviewed.status_code == 200, reviewed.text

    await sign_in(page, system.console_url, "manager1", "?next=/settlements?month=2026-12")
    form = page.locator("#form-approve")
    await form.get_by_label("月份").fill("2026-12")
    await form.get_by_role("button", name="提交").click()
    await expect(page.locator(".notice")).to_contain_text("结算已批准")
    await screenshot(page, "settlement")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="导出 2026-12 工资表（XLSX）").click()
    download = await waiting.value
    assert download.suggested_filename.endswith(".xlsx")
    path = await download.path()
    with open(path, "rb") as file:  # noqa: ASYNC230 - a small local file
        assert file.read(2) == b"PK"  # a zip container: the workbook as hr made it
