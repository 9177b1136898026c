"""The ops admin in the console: a dead letter inspected and replayed; the manager's reports
and policies; the supervisor's daily review."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from console_ui import screenshot, sign_in
from playwright.async_api import expect

from ops_shared.contracts import new_envelope
from ops_shared.contracts.logistics import RefundIssued
from support.wait import eventually

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def test_ops_admin_inspects_and_replays_a_dead_letter(page, console_system) -> None:
    system = console_system
    # logistics gets a refund event wrong: it can never be applied, so it is dead-lettered.
    valid = new_envelope(RefundIssued(
        refund_id="RF-x", rma_number=f"RMA-{uuid.uuid4().hex[:8]}", order_id="TB-1",
        ticket_number="TK-20261126-0001", amount_fen=100, issued_at=datetime.now(UTC)))
    broken = valid.model_copy(update={"data": {k: v for k, v in valid.data.items()
                                               if k != "amount_fen"}})
    await system.publish(broken)

    async def dead() -> dict | None:
        answer = await system.call("opsadmin1", "GET", "/api/tickets/admin/dead-letters")
        assert answer.status_code == 200, answer.text
        return next((d for d in answer.json() if d["message_id"] == broken.id), None)

    letter = await eventually(dead, timeout=30, what="the broken refund dead-lettered")

    await sign_in(page, system.console_url, "opsadmin1", "?next=/dead-letters")
    tickets = page.locator("#dl-tickets")
    row = tickets.locator(f'tr[data-dead-letter="{letter["id"]}"]')
    await expect(row).to_contain_text("logistics.refund.issued")
    await expect(page.locator("#dl-logistics")).to_contain_text("没有待处理的死信")
    await row.get_by_role("link", name="查看").click()  # htmx: the detail appears in place
    detail = page.locator("#detail-tickets .dead-letter-detail")
    await expect(detail).to_contain_text(broken.id)
    await expect(detail).to_contain_text("amount_fen")
    await screenshot(page, "dead-letters")

    await row.get_by_role("button", name="重放").click()
    await expect(page.locator(".notice")).to_contain_text("已重放")
    await expect(page.locator(f'tr[data-dead-letter="{letter["id"]}"]')).to_have_count(0)

    async def replayed() -> bool:
        answer = await system.call("opsadmin1", "GET",
                                   f"/api/tickets/admin/dead-letters/{letter['id']}")
        return answer.json()["status"] == "replayed"

    await eventually(replayed, timeout=10, what="the letter marked replayed")


async def test_manager_sees_reports_as_charts_and_edits_a_policy(page, console_system) -> None:
    system = console_system
    await sign_in(page, system.console_url, "manager1", "?next=/reports")
    await expect(page.get_by_role("heading", name="报表")).to_be_visible()
    await expect(page.locator("svg.chart").first).to_be_visible()
    await screenshot(page, "reports")

    await page.goto(f"{system.console_url}/policies")
    form = page.locator("#form-sla")
    await form.get_by_label("策略名称").fill("console_probe")
    await form.get_by_label("指标").select_option("first_response")
    await form.get_by_label("时限数值").fill("0")
    await form.get_by_label("单位").select_option("staffed_minutes")
    await form.get_by_role("button", name="保存").click()
    # The API refuses 0; its message stands next to the field it names.
    await expect(page.locator("#err-amount")).to_be_visible()

    # A typed policy form: the current values filled in, the API's refusal beside its field.
    promise = page.locator("#form-promise")
    days = promise.get_by_label("有货时发货天数（天）")
    before = await days.input_value()
    assert before.isdigit()
    await days.fill("99")
    await promise.get_by_role("button", name="保存发货承诺（L13）").click()
    refused = page.locator("#form-promise #err-in_stock_days")
    await expect(refused).to_have_text("不能大于 30")
    await expect(page.locator("#form-promise .problem")).to_contain_text("填写内容有误")
    await days.fill("2")
    await page.locator("#form-promise").get_by_role("button", name="保存发货承诺（L13）").click()
    await expect(page.locator(".notice")).to_contain_text("发货承诺（L13）已保存")
    policy = await system.call("manager1", "GET", "/api/logistics/policies/promise")
    assert policy.json()["in_stock_days"] == 2
    await expect(page.locator("#form-promise").get_by_label("有货时发货天数（天）")).to_have_value(
        "2")

    follow_up = page.locator("#form-follow-up")
    recall = follow_up.get_by_label("快递已接受拦截（小时）")
    await recall.fill("2000")
    await follow_up.get_by_role("button", name="保存跟进间隔（L8、L12）").click()
    await expect(page.locator("#form-follow-up #err-recall_courier_accepted_hours")).to_be_visible()
    await page.locator("#form-follow-up").get_by_label("快递已接受拦截（小时）").fill("36")
    await page.locator("#form-follow-up").get_by_role(
        "button", name="保存跟进间隔（L8、L12）").click()
    await expect(page.locator(".notice")).to_contain_text("跟进间隔（L8、L12）已保存")
    saved = await system.call("manager1", "GET", "/api/logistics/policies/follow-up")
    assert saved.json()["recall_courier_accepted_hours"] == 36

    hr = page.locator("#form-hr")
    await hr.get_by_label("缺卡罚款（元）").fill("abc")
    await hr.get_by_role("button", name="保存人事规则").click()
    await expect(page.locator("#form-hr #err-missed_punch_fine_fen")).to_contain_text("金额")
    await screenshot(page, "policies")


async def test_H2_manager_edits_a_shift_period_and_sees_the_api_refuse_a_bad_one(
        page, console_system) -> None:
    system = console_system
    before = (await system.call("manager1", "GET", "/api/hr/policy")).json()
    early = next(i for i, s in enumerate(before["shifts"]) if s["code"] == "cs_early")
    try:
        await sign_in(page, system.console_url, "manager1", "?next=/policies")
        editor = page.locator("#form-hr-shifts")
        row = editor.locator(f"#shift-{early}")
        await expect(row.get_by_label("代码（小写字母、数字、下划线）")).to_have_value("cs_early")
        await expect(row.get_by_label("第 2 段结束")).to_have_value("18:30")

        await row.get_by_label("第 2 段结束").fill("18:00")
        await editor.get_by_role("button", name="保存班次与轮换顺序").click()
        await expect(page.locator(".notice")).to_contain_text("班次定义与轮换顺序已保存")
        saved = (await system.call("manager1", "GET", "/api/hr/policy")).json()
        periods = saved["shifts"][early]["periods"]
        assert [(p["start"], p["end"]) for p in periods] == [
            ("09:00:00", "11:30:00"), ("12:30:00", "18:00:00")]
        assert saved["rotation"] == before["rotation"]
        await expect(page.locator(f"#shift-{early}").get_by_label("第 2 段结束")).to_have_value(
            "18:00")

        # An end before its start: the API's reason stands beside that period, in Chinese.
        row = page.locator(f"#form-hr-shifts #shift-{early}")
        await row.get_by_label("第 2 段结束").fill("12:00")
        await page.locator("#form-hr-shifts").get_by_role(
            "button", name="保存班次与轮换顺序").click()
        refused = page.locator(f"#form-hr-shifts #err-shifts-{early}-periods-1")
        await expect(refused).to_contain_text("结束时间须晚于开始时间")
        await expect(page.locator(f"#shift-{early}-period-1")).to_contain_text(
            "结束时间须晚于开始时间")
        await expect(page.locator(f"#shift-{early}").get_by_label("第 2 段结束")).to_have_attribute(
            "aria-describedby", f"err-shifts-{early}-periods-1")
        await expect(page.locator(f"#shift-{early}").get_by_label("第 2 段结束")).to_have_value(
            "12:00")  # what the manager typed stays to be corrected

        # A malformed time: the API names the field itself.
        await page.locator(f"#shift-{early}").get_by_label("第 2 段结束").fill("25:00")
        await page.locator("#form-hr-shifts").get_by_role(
            "button", name="保存班次与轮换顺序").click()
        malformed = page.locator(f"#form-hr-shifts #err-shifts-{early}-periods-1-end")
        await expect(malformed).to_contain_text("请输入有效时间")
        await expect(page.locator(f"#shift-{early}").get_by_label("第 2 段结束")).to_have_attribute(
            "aria-invalid", "true")
        unchanged = (await system.call("manager1", "GET", "/api/hr/policy")).json()
        assert unchanged["shifts"][early]["periods"][1]["end"] == "18:00:00"

        # A new row: added blank, filled, saved with the rotation naming it.
        await page.goto(f"{system.console_url}/policies")
        await page.locator("#form-hr-shifts").get_by_role("button", name="添加一个班次").click()
        new = page.locator(f"#shift-{len(before['shifts'])}")
        await expect(new.get_by_label("代码（小写字母、数字、下划线）")).to_be_focused()
        await new.get_by_label("代码（小写字母、数字、下划线）").fill("wh_day")
        await new.get_by_label("中文名称").fill("仓库白班")
        await new.get_by_label("仓库").check()
        await new.get_by_label("第 1 段开始").fill("9:00")
        await new.get_by_label("第 1 段结束").fill("17:00")
        await page.locator("#form-hr-shifts").get_by_label("仓库 的轮换顺序").fill("wh_day")
        await page.locator("#form-hr-shifts").get_by_role(
            "button", name="保存班次与轮换顺序").click()
        await expect(page.locator(".notice")).to_contain_text("班次定义与轮换顺序已保存")
        added = (await system.call("manager1", "GET", "/api/hr/policy")).json()
        shift = added["shifts"][-1]
        assert (shift["code"], shift["name"], shift["roles"], shift["late"]) == (
            "wh_day", "仓库白班", ["warehouse"], False)
        assert shift["periods"] == [{"start": "09:00:00", "end": "17:00:00"}]
        assert added["rotation"]["warehouse"] == ["wh_day"]
        await screenshot(page, "policies-shifts")
    finally:
        await system.call("manager1", "PATCH", "/api/hr/policy", {
            "shifts": [{k: s[k] for k in ("code", "name", "roles", "periods", "late")}
                       for s in before["shifts"]],
            "rotation": before["rotation"]})


async def test_supervisor_sees_the_daily_review_and_approvals(page, console_system) -> None:
    await sign_in(page, console_system.console_url, "supervisor1", "?next=/review")
    await expect(page.get_by_role("heading", name="每日复盘（T13）")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("日期")
    await page.goto(f"{console_system.console_url}/approvals")
    await expect(page.get_by_role("heading", name="审批收件箱")).to_be_visible()
