"""The OWASP API Security Top 10 (2023) at the services directly (issue 10, item 4): a caller
who bypasses the gateway meets the same refusals.

- API1 object level, tickets: two agents of the same role; the one who is not the assignee sees
  the customer masked (T15: no full phone, name, e-mail or address) and may not classify the
  other's ticket. Logistics and hr have theirs in test_logistics_security.py and
  test_hr_security.py.
- API2 authentication: forged and foreign tokens at tickets, and at the logistics and hr
  skeletons' authenticated routes (dead letters, calendar days).
- API3 property level: unknown, owner and state fields in bodies (422); the customer's tier only
  by a supervisor (403).
- Injection: MongoDB operators in queries, paths and bodies (422).
- API4: oversized (413) and deeply nested (422 `body-too-deep`, never a 500) bodies.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hr.main import create_app as create_hr
from hr.settings import Settings as HrSettings
from logistics.main import create_app as create_logistics
from logistics.settings import Settings as LogisticsSettings
from support.forged_tokens import FORGERIES, forged_tokens
from support.harness import running
from support.problems import assert_problem

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
AGENT_A, AGENT_B = "as-sec-a", "as-sec-b"
FULL_PHONE = "13812345678"



@pytest.fixture(scope="module")
async def owned(service) -> dict[str, str]:
    """A's suggestion ticket for a customer of A's; B holds the same role."""
    for staff_id in (AGENT_A, AGENT_B):
        await service.hire(staff_id, "aftersales")
    customer = await service.customer()
    ticket = await service.ticket(customer_id=customer, kind="suggestion",
                                  description="建议增加尺码表")
    moved = await service.client.post(f"/tickets/{ticket['number']}/reassign",
                                      headers=service.as_("supervisor"),
                                      json={"to_staff_id": AGENT_A, "reason": "owner"})
    assert moved.status_code == 200, moved.text
    return {"customer": customer, "number": ticket["number"]}


# --- API1: object level ------------------------------------------------------------------------

async def test_only_the_assignee_of_two_agents_sees_the_customer_in_full(service, owned) -> None:
    a, b = service.as_("aftersales", AGENT_A), service.as_("aftersales", AGENT_B)
    number, customer = owned["number"], owned["customer"]
    reads = {
        "ticket": lambda h: service.client.get(f"/tickets/{number}", headers=h),
        "customer": lambda h: service.client.get(f"/customers/{customer}", headers=h),
        "list": lambda h: service.client.get(f"/tickets?customer_id={customer}", headers=h),
        "customer tickets": lambda h: service.client.get(f"/customers/{customer}/tickets",
                                                         headers=h),
    }
    for name, read in reads.items():
        as_a, as_b = await read(a), await read(b)
        assert as_a.status_code == as_b.status_code == 200, (name, as_b.text)
        assert FULL_PHONE in as_a.text, name
        assert FULL_PHONE not in as_b.text, name  # B gets the masked profile, every way round
        assert "138****5678" in as_b.text, name


async def test_an_agent_may_not_classify_another_agents_ticket(service, owned) -> None:
    number = owned["number"]
    refused = await service.client.post(
        f"/tickets/{number}/classification", json={"summary": "B 的总结"},
        headers=service.as_("aftersales", AGENT_B))
    assert_problem(refused, 403)
    done = await service.client.post(
        f"/tickets/{number}/classification", json={"summary": "A 的总结"},
        headers=service.as_("aftersales", AGENT_A))
    assert done.status_code == 200, done.text
    assert done.json()["summary"] == "A 的总结"


async def test_an_agent_may_not_change_a_customers_tier(service, owned) -> None:
    customer = owned["customer"]
    for staff_id in (AGENT_A, AGENT_B):
        answer = await service.client.patch(f"/customers/{customer}", json={"tier": "key"},
                                            headers=service.as_("aftersales", staff_id))
        assert_problem(answer, 403)
    read = await service.client.get(f"/customers/{customer}", headers=service.as_("supervisor"))
    assert read.json()["tier"] == "new"


# --- API2: authentication, at every service directly -------------------------------------------

@pytest.mark.parametrize("name", FORGERIES)
async def test_forged_and_foreign_tokens_are_refused_by_tickets(service, keys, name: str) -> None:
    headers = {"Authorization": f"Bearer {forged_tokens(keys, 'mgr-1', 'manager')[name]}"}
    for method, path in (("GET", "/tickets"), ("POST", "/customers"),
                         ("GET", "/admin/dead-letters")):
        answer = await service.client.request(method, path, headers=headers, json={})
        assert assert_problem(answer, 401)["type"].rsplit("/", 1)[1] in {"invalid-token",
                                                                    "token-expired"}


@pytest.fixture(scope="module")
async def skeletons(isolation) -> AsyncIterator[dict[str, object]]:
    """The logistics and hr services, as they run today (skeletons with admin routes)."""
    logistics = create_logistics(isolation.settings("logistics", LogisticsSettings))
    hr = create_hr(isolation.settings("hr", HrSettings))
    async with running(logistics) as logistics_client, running(hr) as hr_client:
        yield {"logistics": logistics_client, "hr": hr_client}


@pytest.mark.parametrize("service_name", ["logistics", "hr"])
async def test_forged_and_foreign_tokens_are_refused_by_logistics_and_hr(
        skeletons, keys, service_name: str) -> None:
    client = skeletons[service_name]
    tokens = forged_tokens(keys, "mgr-1", "manager")
    for name in FORGERIES:
        headers = {"Authorization": f"Bearer {tokens[name]}"}
        for method, path in (("GET", "/admin/dead-letters"),
                             ("GET", "/admin/calendar/days"),
                             ("POST", "/admin/dead-letters/x/replay")):
            answer = await client.request(method, path, headers=headers)
            assert answer.status_code == 401, (name, path, answer.text)
            assert answer.headers["content-type"] == PROBLEM
    # The control: the same route with a genuine manager token.
    genuine = await client.get("/admin/dead-letters", headers=keys.headers("mgr-1", "manager"))
    assert genuine.status_code == 200, genuine.text
    agent = await client.get("/admin/dead-letters", headers=keys.headers("as-1", "aftersales"))
    assert_problem(agent, 403)
    injected = await client.get("/admin/dead-letters?status=%7B%22%24ne%22%3A%22x%22%7D",
                                headers=keys.headers("mgr-1", "manager"))
    assert_problem(injected, 422)


# --- API3: property level ----------------------------------------------------------------------

@pytest.mark.parametrize("extra", [
    {"assignee_id": AGENT_B}, {"state": "closed"}, {"number": "T20260101-0001"},
    {"created_by": "mgr-1"}, {"opened_by": "mgr-1"}, {"sla": []}, {"role": "manager"},
])
async def test_opening_a_ticket_refuses_owner_state_and_unknown_fields(service, owned,
                                                                       extra: dict) -> None:
    body = {"channel": "im", "kind": "aftersales", "description": "鞋子开胶了",
            "importance": "low", "urgency": "low", "customer_id": owned["customer"], **extra}
    answer = await service.client.post("/tickets", json=body,
                                       headers=service.as_("aftersales", AGENT_B))
    errors = assert_problem(answer, 422)["errors"]
    assert {e["field"] for e in errors} == set(extra)


@pytest.mark.parametrize("extra", [{"id": "CU000000000000"}, {"masked": False},
                                   {"owner": AGENT_B}, {"created_at": "2026-01-01T00:00:00Z"}])
async def test_customer_bodies_refuse_fields_nobody_sets(service, owned, extra: dict) -> None:
    headers = service.as_("aftersales", AGENT_A)
    assert_problem(await service.client.post("/customers", json={"name": "李四", **extra},
                                       headers=headers), 422)
    assert_problem(await service.client.patch(f"/customers/{owned['customer']}",
                                        json={"phone": "13900001111", **extra},
                                        headers=headers), 422)


async def test_action_bodies_refuse_unknown_fields(service, owned) -> None:
    number = owned["number"]
    headers = service.as_("aftersales", AGENT_A)
    for action, body in (("responses", {"message": "好", "author_id": AGENT_B}),
                         ("classification", {"summary": "x", "assignee_id": AGENT_B}),
                         ("links", {"other_number": number, "state": "closed"})):
        assert_problem(await service.client.post(f"/tickets/{number}/{action}", json=body,
                                           headers=headers), 422)
    refused = await service.client.post(
        f"/tickets/{number}/reassign", json={"to_staff_id": AGENT_B, "reason": "x",
                                             "by": "mgr-1"}, headers=service.as_("supervisor"))
    assert_problem(refused, 422)


# --- injection ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "state[$ne]=x", "assignee[$ne]=", "assignee=%7B%22%24ne%22%3A%22%22%7D",
    "customer_id[$gt]=", "customer_id=%24where", "kind[$in][]=complaint", "page[$gt]=0",
])
async def test_operators_in_ticket_queries_are_refused(service, query: str) -> None:
    answer = await service.client.get(f"/tickets?{query}", headers=service.as_("aftersales"))
    assert_problem(answer, 422)


async def test_operators_in_paths_and_bodies_are_refused(service, owned) -> None:
    headers = service.as_("aftersales", AGENT_A)
    for path in ("/customers/%7B%22%24ne%22%3A%22%22%7D", "/customers/$ne",
                 "/tickets/%7B%22%24ne%22%3A%22%22%7D"):
        assert (await service.client.get(path, headers=headers)).status_code in {404, 422}
    bodies = [("/customers", {"name": {"$ne": ""}}),
              ("/customers", {"name": "王五", "platform_ids": [{"$ne": ""}]}),
              ("/tickets", {"channel": "im", "kind": "aftersales", "description": "x",
                            "importance": "low", "urgency": "low",
                            "customer_id": {"$ne": ""}}),
              (f"/tickets/{owned['number']}/links", {"other_number": {"$gt": ""}})]
    for path, body in bodies:
        assert_problem(await service.client.post(path, json=body, headers=headers), 422)
    patched = await service.client.patch(f"/customers/{owned['customer']}",
                                         json={"phone": {"$set": "1"}}, headers=headers)
    assert_problem(patched, 422)


# --- API4: resource consumption ----------------------------------------------------------------

async def test_oversized_bodies_are_refused(service) -> None:
    big = b'{"name": "' + b"x" * (2 << 20) + b'"}'
    answer = await service.client.post(
        "/customers", content=big,
        headers={**service.as_("aftersales"), "Content-Type": "application/json"})
    assert_problem(answer, 413)


@pytest.mark.parametrize("body", ["[" * 10_000 + "]" * 10_000,
                                  '{"name":' * 10_000 + '"x"' + "}" * 10_000])
async def test_deeply_nested_bodies_are_422_saying_why(service, owned, body: str) -> None:
    headers = {**service.as_("aftersales", AGENT_A), "Content-Type": "application/json"}
    for path in ("/tickets", "/customers", f"/tickets/{owned['number']}/responses"):
        answer = await service.client.post(path, content=body, headers=headers)
        problem = assert_problem(answer, 422)
        assert problem["type"].endswith("/body-too-deep"), (path, problem)
        assert "Recursion" not in answer.text
    # Still serving.
    assert (await service.client.get("/tickets", headers=headers)).status_code == 200
