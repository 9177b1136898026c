"""Signing out in the console revokes that session at the gateway: the old cookie (the token in
it) no longer works, in the console or at the API, while the same person's session in another
browser keeps working."""

from __future__ import annotations

import pytest
from console_ui import sign_in
from playwright.async_api import expect

pytestmark = [pytest.mark.integration, pytest.mark.slow]
PERSON = "presales1"


async def test_after_sign_out_the_old_cookie_and_token_no_longer_work(
        browser, console_system) -> None:
    system = console_system
    desk = await browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    phone = await browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page, other = await desk.new_page(), await phone.new_page()
        await sign_in(page, system.console_url, PERSON)
        await sign_in(other, system.console_url, PERSON)
        kept = [c for c in await desk.cookies() if c["name"] == "ops_session"]
        assert len(kept) == 1
        token = {"Authorization": f"Bearer {kept[0]['value']}"}
        assert (await system.api.get("/auth/me", headers=token)).status_code == 200

        await page.get_by_role("button", name="退出登录").click()
        await expect(page.locator(".notice")).to_contain_text("您已退出登录")

        refused = await system.api.get("/auth/me", headers=token)
        assert refused.status_code == 401
        assert refused.json()["type"].endswith("/token-revoked")
        await desk.add_cookies(kept)  # the old cookie, put back as if copied before sign-out
        await page.goto(f"{system.console_url}/me/requests")
        await expect(page.get_by_role("heading", name="员工登录")).to_be_visible()
        assert "next=%2Fme%2Frequests" in page.url

        await other.goto(f"{system.console_url}/me/requests")  # the other browser: still in
        await expect(other.get_by_role("heading", name="调班、请假与补卡")).to_be_visible()
    finally:
        await desk.close()
        await phone.close()
