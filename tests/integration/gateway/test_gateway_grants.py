"""Privilege escalation (issue 7, item 6): nobody grants a role above their own. An HR admin
grants the front line and supervisors; manager, hr_admin and ops_admin need a manager. Every
grant is on an append-only audit trail that managers and HR admins read."""

from __future__ import annotations

import pytest

from gateway.grants import ROLE_RANK
from ops_shared.web import Role

pytestmark = pytest.mark.integration
FRONT_LINE_AND_SUPERVISOR = ["aftersales", "order_desk", "presales", "warehouse", "supervisor"]


def account(staff_id: str, role: str) -> dict[str, str]:
    return {"staff_id": staff_id, "display_name": staff_id.title(), "role": role,
            "team": "customer_service", "password": f"{staff_id}-password-123"}


def assert_grant_refused(answer, actor_role: str = "hr_admin") -> None:
    assert answer.status_code == 403, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"].endswith("/role-grant-not-allowed")
    assert problem["rule"].startswith("Nobody grants a role above their own")
    assert problem["rule"] in problem["detail"]
    if actor_role == "hr_admin":
        assert problem["grantable"] == FRONT_LINE_AND_SUPERVISOR


async def _trail(gateway, reader: str, **params: str) -> list[dict]:
    answer = await gateway.client.get("/admin/account-audit", params=params,
                                      headers=await gateway.headers(reader))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_every_role_has_a_rank() -> None:
    assert set(ROLE_RANK) == set(Role.__args__)


@pytest.mark.parametrize("role", ["manager", "ops_admin", "hr_admin"])
async def test_an_hr_admin_cannot_create_an_account_above_what_it_may_grant(gateway,
                                                                           role: str) -> None:
    await gateway.seed()
    answer = await gateway.client.post("/admin/accounts", json=account("mole", role),
                                       headers=await gateway.headers("hradmin1"))
    assert_grant_refused(answer)
    assert (await gateway.login("mole", "mole-password-123")).status_code == 401
    assert await _trail(gateway, "manager1", staff_id="mole") == []


@pytest.mark.parametrize("role", ["supervisor", "warehouse"])
async def test_an_hr_admin_creates_front_line_and_supervisor_accounts(gateway, role: str) -> None:
    await gateway.seed()
    answer = await gateway.client.post("/admin/accounts", json=account("li.na", role),
                                       headers=await gateway.headers("hradmin1"))
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("role", ["ops_admin", "manager"])
async def test_an_hr_admin_cannot_promote_above_what_it_may_grant(gateway, role: str) -> None:
    await gateway.seed()
    hr = await gateway.headers("hradmin1")
    created = await gateway.client.post("/admin/accounts", json=account("zhao.lei", "presales"),
                                        headers=hr)
    assert created.status_code == 201, created.text
    answer = await gateway.client.patch("/admin/accounts/zhao.lei", json={"role": role},
                                        headers=hr)
    assert_grant_refused(answer)
    me = await gateway.client.get("/auth/me",
                                  headers=await gateway.headers("zhao.lei",
                                                                "zhao.lei-password-123"))
    assert me.json()["role"] == "presales"


@pytest.mark.parametrize("change", [{"role": "presales"}, {"active": False}, {"team": "hr"}])
async def test_an_hr_admin_cannot_change_a_managers_account(gateway, change: dict) -> None:
    await gateway.seed()
    answer = await gateway.client.patch("/admin/accounts/manager1", json=change,
                                        headers=await gateway.headers("hradmin1"))
    assert_grant_refused(answer)
    assert (await gateway.login("manager1")).status_code == 200


async def test_a_manager_grants_manager_and_ops_roles(gateway) -> None:
    await gateway.seed()
    boss = await gateway.headers("manager1")
    for staff_id, role in (("wang.fang", "manager"), ("chen.jie", "presales")):
        created = await gateway.client.post("/admin/accounts", json=account(staff_id, role),
                                            headers=boss)
        assert created.status_code == 201, created.text
    promoted = await gateway.client.patch("/admin/accounts/chen.jie", json={"role": "ops_admin"},
                                          headers=boss)
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["role"] == "ops_admin"
    # The new manager holds a manager's powers: it grants hr_admin in turn.
    second = await gateway.headers("wang.fang", "wang.fang-password-123")
    granted = await gateway.client.post("/admin/accounts", json=account("he.min", "hr_admin"),
                                        headers=second)
    assert granted.status_code == 201, granted.text


async def test_every_grant_is_on_the_audit_trail(gateway) -> None:
    await gateway.seed()
    boss, hr = await gateway.headers("manager1"), await gateway.headers("hradmin1")
    steps = [
        ("POST", "/admin/accounts", account("sun.li", "presales"), boss, 201),
        ("PATCH", "/admin/accounts/sun.li", {"role": "supervisor"}, hr, 200),
        ("PATCH", "/admin/accounts/sun.li", {"role": "ops_admin"}, hr, 403),  # not recorded
        ("PATCH", "/admin/accounts/sun.li", {"display_name": "Sun Li"}, hr, 200),  # no grant
        ("PATCH", "/admin/accounts/sun.li", {"role": "ops_admin"}, boss, 200),
        ("PATCH", "/admin/accounts/sun.li", {"active": False}, boss, 200),
    ]
    for method, path, body, headers, status in steps:
        answer = await gateway.client.request(method, path, json=body, headers=headers)
        assert answer.status_code == status, (body, answer.text)

    trail = await _trail(gateway, "hradmin1", staff_id="sun.li")
    assert [(e["action"], e["by"], e["by_role"], e["old_role"], e["new_role"])
            for e in trail] == [
        ("deactivated", "manager1", "manager", "ops_admin", "ops_admin"),
        ("role_changed", "manager1", "manager", "supervisor", "ops_admin"),
        ("role_changed", "hradmin1", "hr_admin", "presales", "supervisor"),
        ("created", "manager1", "manager", None, "presales"),
    ]
    assert all(e["staff_id"] == "sun.li" and e["at"] for e in trail)
    assert [e["action"] for e in await _trail(gateway, "manager1", by="hradmin1")] == [
        "role_changed"]
    assert len(await _trail(gateway, "manager1", staff_id="sun.li", limit="1")) == 1


async def test_only_managers_and_hr_admins_read_the_audit_trail(gateway) -> None:
    await gateway.seed()
    for reader in ("supervisor1", "opsadmin1"):
        answer = await gateway.client.get("/admin/account-audit",
                                          headers=await gateway.headers(reader))
        assert answer.status_code == 403
        assert answer.json()["type"].endswith("/forbidden")
    hr = await gateway.headers("hradmin1")
    for params in ({"staff_id[$ne]": "x"}, {"limit": "0"}, {"staff_id": "bad id"}):
        answer = await gateway.client.get("/admin/account-audit", params=params, headers=hr)
        assert answer.status_code == 422, params
        assert answer.headers["content-type"] == "application/problem+json"
