"""Account administration: only HR and managers, personal accounts, changes end sessions."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration
NEW_ACCOUNT = {"staff_id": "zhang.wei", "display_name": "Zhang Wei", "role": "presales",
               "team": "cs-early", "password": "first-password-123"}


@pytest.mark.parametrize("role_holder", ["presales1", "supervisor1", "opsadmin1"])
async def test_other_roles_cannot_create_accounts(gateway, role_holder: str) -> None:
    await gateway.seed()
    answer = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT,
                                       headers=await gateway.headers(role_holder))
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/forbidden")


async def test_account_admin_needs_a_token(gateway) -> None:
    answer = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT)
    assert answer.status_code == 401
    assert answer.json()["type"].endswith("/unauthenticated")


@pytest.mark.parametrize("admin", ["hradmin1", "manager1"])
async def test_hr_and_managers_create_personal_accounts(gateway, admin: str) -> None:
    await gateway.seed()
    headers = await gateway.headers(admin)
    answer = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT, headers=headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["role"] == "presales"
    assert "password" not in answer.text
    again = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT, headers=headers)
    assert again.status_code == 409
    assert (await gateway.login("zhang.wei", "first-password-123")).status_code == 200


async def test_account_fields_are_validated(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("hradmin1")
    for bad in ({"role": "boss"}, {"password": "short"}, {"staff_id": {"$ne": ""}},
                {"display_name": "Zhang\x00Wei"}, {"display_name": "Zhang\nWei"}):
        answer = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT | bad,
                                           headers=headers)
        assert answer.status_code == 422, bad
        assert answer.json()["errors"][0]["field"] == next(iter(bad))


async def test_role_change_ends_the_accounts_sessions(gateway) -> None:
    await gateway.seed()
    admin = await gateway.headers("manager1")
    await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT, headers=admin)
    before = await gateway.headers("zhang.wei", "first-password-123")
    answer = await gateway.client.patch("/admin/accounts/zhang.wei", json={"role": "aftersales"},
                                        headers=admin)
    assert answer.status_code == 200, answer.text
    assert answer.json()["role"] == "aftersales"
    refused = await gateway.client.get("/auth/me", headers=before)
    assert refused.status_code == 401
    after = await gateway.headers("zhang.wei", "first-password-123")
    assert (await gateway.client.get("/auth/me", headers=after)).json()["role"] == "aftersales"


async def test_deactivated_accounts_can_neither_sign_in_nor_use_their_token(gateway) -> None:
    await gateway.seed()
    token = await gateway.headers("presales1")
    answer = await gateway.client.patch("/admin/accounts/presales1", json={"active": False},
                                        headers=await gateway.headers("hradmin1"))
    assert answer.json()["active"] is False
    assert (await gateway.login("presales1")).status_code == 401
    refused = await gateway.client.get("/api/tickets/echo/x", headers=token)
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("/account-inactive")
    assert gateway.upstreams.seen["tickets"].requests == []


async def test_admins_cannot_change_their_own_account(gateway) -> None:
    await gateway.seed()
    answer = await gateway.client.patch("/admin/accounts/hradmin1", json={"role": "manager"},
                                        headers=await gateway.headers("hradmin1"))
    assert answer.status_code == 403
    assert answer.json()["type"].endswith("/own-account")


async def test_changing_an_unknown_account_is_404(gateway) -> None:
    await gateway.seed()
    answer = await gateway.client.patch("/admin/accounts/nobody", json={"active": False},
                                        headers=await gateway.headers("manager1"))
    assert answer.status_code == 404
