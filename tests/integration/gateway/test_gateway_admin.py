"""Account administration: only HR and managers; accounts follow hr's staff directory
(issue 9, item 1): a first password only for a staff id hr knows, role, team and active flag
in step with `hr.staff.changed`, deactivation and role changes end sessions at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ops_shared.contracts import new_envelope
from ops_shared.contracts.hr import StaffChanged
from support.ticketing import send

pytestmark = pytest.mark.integration
NEW_ACCOUNT = {"staff_id": "zhang.wei", "password": "first-password-123"}


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
async def test_hr_and_managers_set_the_first_password_of_directory_staff(gateway,
                                                                         admin: str) -> None:
    await gateway.seed()
    await gateway.announce("zhang.wei", "presales", "cs-early", "Zhang Wei")
    headers = await gateway.headers(admin)
    answer = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT, headers=headers)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["role"], answer.json()["team"], answer.json()["display_name"]) == (
        "presales", "cs-early", "Zhang Wei")
    assert "password" not in answer.text
    again = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT, headers=headers)
    assert again.status_code == 409
    assert (await gateway.login("zhang.wei", "first-password-123")).status_code == 200


async def test_an_account_for_a_staff_id_hr_does_not_know_is_refused(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("manager1")
    answer = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT, headers=headers)
    assert answer.status_code == 409
    assert answer.json()["type"].endswith("/staff-unknown")
    await gateway.announce("zhang.wei", "presales", active=False)
    inactive = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT, headers=headers)
    assert inactive.status_code == 409
    assert (await gateway.login("zhang.wei", "first-password-123")).status_code == 401


async def test_account_fields_are_validated(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("hradmin1")
    for bad in ({"password": "short"}, {"staff_id": {"$ne": ""}}, {"role": "manager"},
                {"staff_id": "Zhang\nWei"}):
        answer = await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT | bad,
                                           headers=headers)
        assert answer.status_code == 422, bad
        assert answer.json()["errors"][0]["field"] == next(iter(bad))


async def test_a_role_change_in_hr_ends_the_accounts_sessions(gateway) -> None:
    await gateway.seed()
    await gateway.announce("zhang.wei", "presales")
    await gateway.client.post("/admin/accounts", json=NEW_ACCOUNT,
                              headers=await gateway.headers("manager1"))
    before = await gateway.headers("zhang.wei", "first-password-123")
    await gateway.announce("zhang.wei", "aftersales", team="cs-late")
    refused = await gateway.client.get("/auth/me", headers=before)
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("/token-revoked")
    after = await gateway.headers("zhang.wei", "first-password-123")
    me = (await gateway.client.get("/auth/me", headers=after)).json()
    assert (me["role"], me["team"]) == ("aftersales", "cs-late")


async def test_a_person_deactivated_in_hr_can_neither_sign_in_nor_use_their_token(gateway
                                                                                   ) -> None:
    await gateway.seed()
    token = await gateway.headers("presales1")
    await gateway.announce("presales1", "presales", active=False)
    assert (await gateway.login("presales1")).status_code == 401
    refused = await gateway.client.get("/api/tickets/echo/x", headers=token)
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("/account-inactive")
    assert gateway.upstreams.seen["tickets"].requests == []
    await gateway.announce("presales1", "presales", active=True)
    assert (await gateway.login("presales1")).status_code == 200


async def test_a_token_for_a_staff_id_without_an_account_is_refused(gateway, keys) -> None:
    await gateway.seed()
    answer = await gateway.client.get("/api/tickets/echo/x",
                                      headers=keys.headers("ghost", "manager"))
    assert answer.status_code == 401
    assert answer.json()["type"].endswith("/no-account")
    assert gateway.upstreams.seen["tickets"].requests == []


async def test_an_older_directory_event_does_not_undo_a_newer_one(gateway) -> None:
    await gateway.seed()
    stale = new_envelope(StaffChanged(staff_id="presales1", display_name="x", role="manager"))
    stale = stale.model_copy(update={"occurred_at": stale.occurred_at - timedelta(minutes=1)})
    await gateway.announce("presales1", "presales", team="newer")
    await send(gateway.settings.amqp_url, gateway.settings.exchange, stale)
    await gateway.announce("aftersales1", "aftersales")  # processed after the stale one
    me = await gateway.client.get("/auth/me", headers=await gateway.headers("presales1"))
    assert (me.json()["role"], me.json()["team"]) == ("presales", "newer")


async def test_hr_admins_reset_a_password_and_old_sessions_end(gateway) -> None:
    await gateway.seed()
    old = await gateway.headers("presales1")
    answer = await gateway.client.post("/admin/accounts/presales1/password",
                                       json={"password": "a-brand-new-password"},
                                       headers=await gateway.headers("hradmin1"))
    assert answer.status_code == 200, answer.text
    assert (await gateway.client.get("/auth/me", headers=old)).status_code == 401
    assert (await gateway.login("presales1")).status_code == 401
    assert (await gateway.login("presales1", "a-brand-new-password")).status_code == 200


async def test_admins_cannot_reset_their_own_password_here(gateway) -> None:
    await gateway.seed()
    answer = await gateway.client.post("/admin/accounts/hradmin1/password",
                                       json={"password": "a-brand-new-password"},
                                       headers=await gateway.headers("hradmin1"))
    assert answer.status_code == 403
    assert answer.json()["type"].endswith("/own-account")


async def test_resetting_an_unknown_account_is_404(gateway) -> None:
    await gateway.seed()
    answer = await gateway.client.post("/admin/accounts/nobody/password",
                                       json={"password": "a-brand-new-password"},
                                       headers=await gateway.headers("manager1"))
    assert answer.status_code == 404
