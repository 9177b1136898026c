"""Privilege escalation (issue 7, item 6): nobody grants a role above their own. An HR admin
gives first passwords to (and resets those of) the front line and supervisors; manager,
hr_admin and ops_admin need a manager. Every grant, including the role changes and
deactivations that hr's directory brings, is on an append-only audit trail that managers and
HR admins read."""

from __future__ import annotations

import pytest

from gateway.grants import ROLE_RANK
from ops_shared.web import Role

pytestmark = pytest.mark.integration
FRONT_LINE_AND_SUPERVISOR = ["aftersales", "order_desk", "presales", "warehouse", "supervisor"]


def account(staff_id: str) -> dict[str, str]:
    return {"staff_id": staff_id, "password": f"{staff_id}-password-123"}


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


@pytest.mark.parametrize("role", ["manager", "hr_admin"])
async def test_an_hr_admin_cannot_create_an_account_above_what_it_may_grant(gateway,
                                                                           role: str) -> None:
    await gateway.seed()
    await gateway.announce("mole", role)
    answer = await gateway.client.post("/admin/accounts", json=account("mole"),
                                       headers=await gateway.headers("hradmin1"))
    assert_grant_refused(answer)
    assert (await gateway.login("mole", "mole-password-123")).status_code == 401
    assert await _trail(gateway, "manager1", staff_id="mole") == []


@pytest.mark.parametrize("role", ["supervisor", "warehouse"])
async def test_an_hr_admin_creates_front_line_and_supervisor_accounts(gateway, role: str) -> None:
    await gateway.seed()
    await gateway.announce("li.na", role)
    answer = await gateway.client.post("/admin/accounts", json=account("li.na"),
                                       headers=await gateway.headers("hradmin1"))
    assert answer.status_code == 201, answer.text
    assert answer.json()["role"] == role


@pytest.mark.parametrize("holder", ["manager1", "opsadmin1"])
async def test_an_hr_admin_cannot_reset_the_password_of_an_account_above_it(gateway,
                                                                           holder: str) -> None:
    await gateway.seed()
    answer = await gateway.client.post(f"/admin/accounts/{holder}/password",
                                       json={"password": "taken-over-password"},
                                       headers=await gateway.headers("hradmin1"))
    assert_grant_refused(answer)
    assert (await gateway.login(holder)).status_code == 200


async def test_a_manager_grants_manager_and_hr_roles(gateway) -> None:
    await gateway.seed()
    boss = await gateway.headers("manager1")
    await gateway.announce("wang.fang", "manager")
    created = await gateway.client.post("/admin/accounts", json=account("wang.fang"),
                                        headers=boss)
    assert created.status_code == 201, created.text
    # The new manager holds a manager's powers: it grants hr_admin in turn.
    second = await gateway.headers("wang.fang", "wang.fang-password-123")
    await gateway.announce("he.min", "hr_admin")
    granted = await gateway.client.post("/admin/accounts", json=account("he.min"),
                                        headers=second)
    assert granted.status_code == 201, granted.text


async def test_every_grant_is_on_the_audit_trail(gateway) -> None:
    await gateway.seed()
    boss = await gateway.headers("manager1")
    await gateway.announce("sun.li", "presales")
    created = await gateway.client.post("/admin/accounts", json=account("sun.li"), headers=boss)
    assert created.status_code == 201, created.text
    await gateway.announce("sun.li", "supervisor")
    await gateway.announce("sun.li", "supervisor", display_name="Sun Li")  # no grant
    await gateway.announce("sun.li", "supervisor", display_name="Sun Li", active=False)

    trail = await _trail(gateway, "hradmin1", staff_id="sun.li")
    assert [(e["action"], e["by"], e["by_role"], e["old_role"], e["new_role"])
            for e in trail] == [
        ("deactivated", "hr.directory", "hr", "supervisor", "supervisor"),
        ("role_changed", "hr.directory", "hr", "presales", "supervisor"),
        ("created", "manager1", "manager", None, "presales"),
    ]
    assert all(e["staff_id"] == "sun.li" and e["at"] for e in trail)
    assert [e["action"] for e in await _trail(gateway, "manager1", by="manager1")] == [
        "created"]
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
