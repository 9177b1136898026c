"""hr with the services that follow it, on the real broker: a roster published in hr changes
whom tickets assigns a new ticket to, an approved swap reaches tickets, and a person deactivated
in hr has their token refused at the gateway."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from gateway.demo import seed_demo_accounts
from gateway.main import create_app as create_gateway
from gateway.settings import GatewaySettings
from hr.main import create_app as create_hr
from hr.settings import Settings as HrSettings
from integration.hr.conftest import SHANGHAI, sh
from support.harness import running
from support.ticketing import SettableClock
from support.wait import eventually
from tickets.main import create_app as create_tickets
from tickets.settings import Settings as TicketsSettings

pytestmark = pytest.mark.integration
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}


async def _ticket(client, headers, customer_id: str) -> dict:
    answer = await client.post("/tickets", headers=headers, json={
        "channel": "im", "kind": "aftersales", "description": "鞋子开胶了",
        "importance": "low", "urgency": "low", "customer_id": customer_id})
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_roster_and_swap_in_hr_decide_whom_tickets_assigns(start_hr, isolation,
                                                                 keys) -> None:
    async with start_hr() as hr:
        settings = isolation.settings("tickets", TicketsSettings,
                                      exchange=hr.settings.exchange, sla_scan_interval_s=3600)
        app = create_tickets(settings)
        async with running(app) as tickets:
            clock = SettableClock(sh(2, 10))
            app.state.runtime.deps.clock = clock
            manager = keys.headers("boss", "manager")
            customer = await tickets.post("/customers", headers=manager, json={
                "name": "张三", "platform_ids": [f"tb_{uuid.uuid4().hex[:8]}"]})
            assert customer.status_code == 201, customer.text
            customer_id = customer.json()["id"]

            team = await hr.team()  # a1 early and a2 late on 1-5 Dec
            a1, a2 = team["aftersales"]
            duty = app.state.runtime.database.db["duty"]
            await eventually(lambda: duty.count_documents({"team": team["team"]}),
                             timeout=30, what="roster reached tickets")
            first = await _ticket(tickets, keys.headers("boss", "manager"), customer_id)
            assert first["assignee_id"] == a1

            hr.clock.set(sh(2, 12))
            made = await hr.client.post("/requests/swaps", headers=hr.as_(a1, "aftersales"),
                                        json={"day": "2026-12-03", "colleague_id": a2,
                                              "colleague_day": "2026-12-03",
                                              "approver_id": team["sup"]})
            rid = made.json()["request_id"]
            await hr.client.post(f"/requests/{rid}/decisions", json={"action": "accept"},
                                 headers=hr.as_(a2, "aftersales"))
            approved = await hr.client.post(f"/requests/{rid}/decisions",
                                            json={"action": "approve"},
                                            headers=team["sup_headers"])
            assert approved.json()["state"] == "approved", approved.text
            await eventually(lambda: duty.count_documents({"source": rid}), timeout=30,
                             what="swap reached tickets")
            clock.set(sh(3, 10))
            second = await _ticket(tickets, keys.headers("boss", "manager"), customer_id)
            assert second["assignee_id"] == a2


async def test_a_person_deactivated_in_hr_is_refused_at_the_gateway(start_hr, isolation,
                                                                    keys) -> None:
    async with start_hr() as hr:
        settings = isolation.settings("gateway", GatewaySettings, exchange=hr.settings.exchange,
                                      jwt_private_key=keys.private_pem, **CHEAP_ARGON2)
        app = create_gateway(settings)
        async with running(app) as gateway:
            runtime = app.state.runtime
            await seed_demo_accounts(runtime.db, runtime.identity.passwords)
            login = await gateway.post("/auth/token", json={"staff_id": "hradmin1",
                                                            "password": "demo-hradmin1"})
            admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
            staff_id = f"new-{uuid.uuid4().hex[:6]}"
            unknown = await gateway.post("/admin/accounts", headers=admin, json={
                "staff_id": staff_id, "password": "first-password-123"})
            assert unknown.status_code == 409

            await hr.hire(staff_id, "presales", team="cs")

            async def first_password():
                answer = await gateway.post("/admin/accounts", headers=admin, json={
                    "staff_id": staff_id, "password": "first-password-123"})
                return answer.status_code == 201 and answer

            account = await eventually(first_password, timeout=30, what="hr told the gateway")
            assert (account.json()["role"], account.json()["team"]) == ("presales", "cs")
            login = await gateway.post("/auth/token", json={
                "staff_id": staff_id, "password": "first-password-123"})
            token = {"Authorization": f"Bearer {login.json()['access_token']}"}
            assert (await gateway.get("/auth/me", headers=token)).status_code == 200

            left = await hr.client.patch(f"/staff/{staff_id}", json={"active": False},
                                         headers=hr.admin)
            assert left.status_code == 200

            async def refused():
                answer = await gateway.get("/auth/me", headers=token)
                return answer.status_code == 401 and answer

            answer = await eventually(refused, timeout=30, what="token refused")
            assert answer.json()["type"].endswith("/account-inactive")


async def test_demo_staff_are_hired_in_hr_and_sign_in_at_the_gateway(isolation, keys) -> None:
    """scripts/dev: hr hires the demo staff and publishes this month's rosters; the gateway
    gives each their demo account; a new ticket goes to someone on duty."""
    hr_settings = isolation.settings("hr", HrSettings, environment="development",
                                     demo_staff=True, job_interval_s=3600)
    exchange = hr_settings.exchange
    gateway_app = create_gateway(isolation.settings(
        "gateway", GatewaySettings, exchange=exchange, environment="development",
        demo_accounts=True, jwt_private_key=keys.private_pem, **CHEAP_ARGON2))
    tickets_app = create_tickets(isolation.settings(
        "tickets", TicketsSettings, exchange=exchange, sla_scan_interval_s=3600))
    async with running(gateway_app) as gateway, running(tickets_app) as tickets:
        now = datetime.now(SHANGHAI)
        tickets_app.state.runtime.deps.clock = SettableClock(
            now.replace(hour=10, minute=0, second=0, microsecond=0))
        async with running(create_hr(hr_settings)):

            async def signed_in():
                answer = await gateway.post("/auth/token", json={
                    "staff_id": "aftersales2", "password": "demo-aftersales2"})
                return answer.status_code == 200 and answer

            login = await eventually(signed_in, timeout=60, what="demo account from hr")
            me = await gateway.get("/auth/me", headers={
                "Authorization": f"Bearer {login.json()['access_token']}"})
            assert (me.json()["role"], me.json()["team"]) == ("aftersales", "customer_service")
            duty = tickets_app.state.runtime.database.db["duty"]
            await eventually(lambda: duty.count_documents({"team": "customer_service"}),
                             timeout=60, what="demo roster reached tickets")
            customer = await tickets.post("/customers", headers=keys.headers("x", "manager"),
                                          json={"name": "张三", "platform_ids": ["tb_demo"]})
            ticket = await _ticket(tickets, keys.headers("presales1", "presales"),
                                   customer.json()["id"])
            assert ticket["assignee_id"] in ("aftersales1", "aftersales2")
