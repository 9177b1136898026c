"""The whole system answers every staff role through the gateway (the stories' ground)."""

from __future__ import annotations

import pytest

from gateway.demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.integration


async def test_every_demo_staff_member_signs_in_and_reaches_the_services(whole) -> None:
    for staff_id, role, _ in DEMO_ACCOUNTS:
        me = await whole.ok(staff_id, "GET", "/auth/me")
        assert (me["staff_id"], me["role"]) == (staff_id, role)
    ready = await whole.api.get("/readyz")
    assert ready.status_code == 200, ready.text
    staff = await whole.ok("hradmin1", "GET", "/api/hr/staff")
    hired = {s["staff_id"] for s in (staff["items"] if isinstance(staff, dict) else staff)}
    assert {"aftersales1", "supervisor1", "manager1"} <= hired
