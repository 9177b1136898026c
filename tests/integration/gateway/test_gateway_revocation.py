"""A token the gateway revoked is refused by the services themselves, called directly (issue 7,
item 5): the gateway publishes `gateway.session.revoked` from its outbox in the transaction of
the account change, and every service's staff sessions follow it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.demo import demo_password, seed_demo_accounts
from gateway.main import create_app as create_gateway
from gateway.settings import GatewaySettings
from ops_shared.contracts.hr import StaffChanged
from support.harness import running
from support.ticketing import send
from support.wait import eventually
from tickets.main import create_app as create_tickets
from tickets.settings import Settings as TicketsSettings

pytestmark = pytest.mark.integration
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}
PROBE = "/intake-policy"  # any agent may read it


@pytest.fixture(scope="module")
async def apps(isolation, keys) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient,
                                                      GatewaySettings]]:
    """A gateway and a tickets service on one exchange; the tickets one reached directly."""
    tickets_settings = isolation.settings("tickets", TicketsSettings,
                                          jwt_public_key=keys.public_pem,
                                          staff_session_cache_s=0.2)
    gateway_settings = isolation.settings(
        "gateway", GatewaySettings, jwt_private_key=keys.private_pem,
        jwt_public_key=keys.public_pem, exchange=tickets_settings.exchange,
        tickets_url="http://tickets.invalid", logistics_url="http://logistics.invalid",
        hr_url="http://hr.invalid", **CHEAP_ARGON2)
    gateway_app = create_gateway(gateway_settings)
    async with (running(create_tickets(tickets_settings)) as tickets,
                running(gateway_app) as gateway):
        runtime = gateway_app.state.runtime
        await seed_demo_accounts(runtime.db, runtime.identity.passwords)
        yield gateway, tickets, gateway_settings


async def _sign_in(gateway: httpx.AsyncClient, staff_id: str, password: str) -> dict[str, str]:
    answer = await gateway.post("/auth/token", json={"staff_id": staff_id, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def _refusal(tickets: httpx.AsyncClient, headers: dict[str, str]) -> str | None:
    answer = await tickets.get(PROBE, headers=headers)
    if answer.status_code == 200:
        return None
    assert answer.status_code == 401, answer.text
    return answer.json()["type"].rsplit("/", 1)[-1]


async def test_a_reset_password_revokes_the_token_at_the_service_itself(apps) -> None:
    gateway, tickets, _ = apps
    old = await _sign_in(gateway, "aftersales1", demo_password("aftersales1"))
    assert (await tickets.get(PROBE, headers=old)).status_code == 200
    admin = await _sign_in(gateway, "hradmin1", demo_password("hradmin1"))
    reset = await gateway.post("/admin/accounts/aftersales1/password", headers=admin,
                               json={"password": "a-brand-new-password-42"})
    assert reset.status_code == 200, reset.text

    await eventually(lambda: _refusal(tickets, old), timeout=20, what="old token revoked")
    assert await _refusal(tickets, old) == "token-revoked"
    fresh = await _sign_in(gateway, "aftersales1", "a-brand-new-password-42")
    assert (await tickets.get(PROBE, headers=fresh)).status_code == 200


async def test_a_changed_own_password_revokes_the_old_token_only(apps) -> None:
    gateway, tickets, _ = apps
    old = await _sign_in(gateway, "presales1", demo_password("presales1"))
    assert (await tickets.get(PROBE, headers=old)).status_code == 200
    changed = await gateway.post("/auth/password", headers=old, json={
        "current_password": demo_password("presales1"), "new_password": "another-new-pass-43"})
    assert changed.status_code == 200, changed.text
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}

    await eventually(lambda: _refusal(tickets, old), timeout=20, what="old token revoked")
    assert await _refusal(tickets, old) == "token-revoked"
    assert (await tickets.get(PROBE, headers=fresh)).status_code == 200


async def test_a_team_change_from_hr_revokes_the_token_at_the_service_itself(
        apps, amqp_url) -> None:
    """hr's event carries no session version: the gateway's announcement does."""
    gateway, tickets, settings = apps
    old = await _sign_in(gateway, "supervisor1", demo_password("supervisor1"))
    assert (await tickets.get(PROBE, headers=old)).status_code == 200
    await send(amqp_url, settings.exchange, StaffChanged(
        staff_id="supervisor1", display_name="Supervisor1", role="supervisor", team="returns"))

    await eventually(lambda: _refusal(tickets, old), timeout=20, what="old token revoked")
    assert await _refusal(tickets, old) == "token-revoked"


async def test_signing_out_ends_that_session_only_at_the_gateway_and_at_the_service(
        apps) -> None:
    """The token used to sign out stops working at the gateway at once and at the service once
    it has the event; the same person's other session (another device) keeps working."""
    gateway, tickets, _ = apps
    token = await _sign_in(gateway, "supervisor1", demo_password("supervisor1"))
    other = await _sign_in(gateway, "supervisor1", demo_password("supervisor1"))
    assert (await tickets.get(PROBE, headers=token)).status_code == 200
    signed_out = await gateway.post("/auth/sign-out", headers=token)
    assert signed_out.status_code == 204, signed_out.text

    refused = await gateway.get("/auth/me", headers=token)
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("/token-revoked")
    await eventually(lambda: _refusal(tickets, token), timeout=20, what="token revoked")
    assert await _refusal(tickets, token) == "token-revoked"
    assert (await gateway.get("/auth/me", headers=other)).status_code == 200
    assert await _refusal(tickets, other) is None
    again = await _sign_in(gateway, "supervisor1", demo_password("supervisor1"))
    assert (await gateway.get("/auth/me", headers=again)).status_code == 200

    assert (await gateway.post("/auth/sign-out", headers=other)).status_code == 204
    assert (await gateway.get("/auth/me", headers=other)).status_code == 401
    assert (await gateway.get("/auth/me", headers=token)).status_code == 401  # still ended
    assert (await gateway.get("/auth/me", headers=again)).status_code == 200


async def test_signing_out_of_all_sessions_ends_every_token_of_the_person(apps) -> None:
    gateway, tickets, _ = apps
    token = await _sign_in(gateway, "aftersales2", demo_password("aftersales2"))
    other = await _sign_in(gateway, "aftersales2", demo_password("aftersales2"))
    signed_out = await gateway.post("/auth/sign-out", headers=token,
                                    params={"all_sessions": "true"})
    assert signed_out.status_code == 204, signed_out.text

    assert (await gateway.get("/auth/me", headers=token)).status_code == 401
    assert (await gateway.get("/auth/me", headers=other)).status_code == 401
    await eventually(lambda: _refusal(tickets, other), timeout=20, what="other token revoked")
    assert await _refusal(tickets, other) == "token-revoked"
    assert await _refusal(tickets, token) == "token-revoked"
