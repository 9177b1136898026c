"""Steps the browser tests share: signing in through the form, screenshots for docs/console."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from gateway.demo import demo_password

# The README's pictures are refreshed with CONSOLE_SCREENSHOTS=1 (scripts/test tests/browser);
# other runs write them to a temporary folder so a test run leaves the checkout clean.
SCREENSHOTS = (Path(__file__).resolve().parents[2] / "docs" / "console"
               if os.environ.get("CONSOLE_SCREENSHOTS") == "1"
               else Path(tempfile.gettempdir()) / "console-screenshots")


async def sign_in(page: Any, base: str, staff_id: str, wanted: str = "") -> None:
    await page.goto(f"{base}/{wanted}")
    await page.get_by_label("工号").fill(staff_id)
    await page.get_by_label("密码").fill(demo_password(staff_id))
    await page.get_by_role("button", name="登录").click()
    await page.wait_for_load_state()


async def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
