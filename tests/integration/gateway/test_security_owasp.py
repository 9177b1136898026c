"""The OWASP API Security Top 10 (2023) at the gateway (issue 10, item 4).

- API1 object level: a caller reaches only its own account through `/auth`; two holders of the
  same role cannot act on each other's account.
- API2 authentication: forged, expired, foreign tokens are refused before anything is forwarded.
- API3 property level: unknown fields, and role / owner / session fields where the caller may not
  set them, are refused with 422.
- API4 resource consumption: rate limits (429 + Retry-After), oversized and deeply nested bodies.
- API5 function level: admin routes refuse other roles.
- API8 misconfiguration: security headers (see test_gateway_front_door.py), no stack traces.
- Injection (API8/API10): MongoDB operators in queries and bodies never reach a filter.
The services' own checks are in tests/integration/tickets/test_tickets_security.py.
"""

from __future__ import annotations

import pytest

from support.forged_tokens import FORGERIES, forged_tokens
from support.problems import assert_problem

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"



# --- API2: broken authentication --------------------------------------------------------------

@pytest.mark.parametrize("name", FORGERIES)
async def test_forged_and_foreign_tokens_are_refused_and_never_forwarded(gateway, keys,
                                                                         name: str) -> None:
    await gateway.seed()
    token = forged_tokens(keys, "manager1", "manager")[name]
    headers = {"Authorization": f"Bearer {token}"}
    for method, path in (("GET", "/auth/me"), ("GET", "/api/tickets/echo/x"),
                         ("POST", "/api/hr/echo/y"), ("GET", "/admin/accounts"),
                         ("GET", "/admin/account-audit")):
        answer = await gateway.client.request(method, path, headers=headers, json={})
        body = assert_problem(answer, 401)
        assert body["type"].rsplit("/", 1)[1] in {"invalid-token", "token-expired"}, body
    assert all(not seen.requests for seen in gateway.upstreams.seen.values())


async def test_a_missing_or_non_bearer_credential_is_refused(gateway, keys) -> None:
    await gateway.seed()
    token = keys.token("manager1", "manager")
    for headers in ({}, {"Authorization": f"Basic {token}"}, {"Authorization": "Bearer"},
                    {"Authorization": "Bearer not.a.token"}):
        assert_problem(await gateway.client.get("/api/tickets/echo/x", headers=headers), 401)
    assert not gateway.upstreams.seen["tickets"].requests
    # The control: the same claims, properly signed, go through.
    valid = await gateway.client.get("/api/tickets/echo/x",
                                     headers={"Authorization": f"Bearer {token}"})
    assert valid.status_code == 200, valid.text


# --- API1 and API5: object and function level ----------------------------------------------------

async def test_two_hr_admins_cannot_change_each_others_accounts(gateway) -> None:
    await gateway.seed()
    await gateway.announce("hradmin2", "hr_admin", "hr")
    made = await gateway.client.post("/admin/accounts", headers=await gateway.headers("manager1"),
                                     json={"staff_id": "hradmin2",
                                           "password": "a-long-password-2"})
    assert made.status_code == 201, made.text
    first = await gateway.headers("hradmin1")
    second = await gateway.headers("hradmin2", "a-long-password-2")
    for actor, target in ((first, "hradmin2"), (second, "hradmin1")):
        answer = await gateway.client.post(f"/admin/accounts/{target}/password", headers=actor,
                                           json={"password": "taken-over-password"})
        assert assert_problem(answer, 403)["type"].endswith("/role-grant-not-allowed")
    # Nor their own through the admin route (their own password: /auth/password).
    assert_problem(await gateway.client.post("/admin/accounts/hradmin1/password", headers=first,
                                       json={"password": "taken-over-password"}), 403)
    assert (await gateway.login("hradmin2", "taken-over-password")).status_code == 401
    me = await gateway.client.get("/auth/me", headers=second)
    assert me.json()["staff_id"] == "hradmin2" and me.json()["role"] == "hr_admin"


async def test_a_password_change_acts_on_the_callers_own_account_only(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("presales1")
    aimed = await gateway.client.post("/auth/password", headers=headers, json={
        "staff_id": "aftersales1", "current_password": "demo-presales1",
        "new_password": "a-brand-new-password"})
    assert_problem(aimed, 422)  # no field names another account
    assert (await gateway.login("aftersales1")).status_code == 200


@pytest.mark.parametrize("path", ["/admin/accounts", "/admin/account-audit"])
async def test_admin_routes_refuse_front_line_and_supervisors(gateway, path: str) -> None:
    await gateway.seed()
    for staff_id in ("presales1", "aftersales1", "orderdesk1", "warehouse1",
                     "supervisor1"):
        answer = await gateway.client.get(path, headers=await gateway.headers(staff_id))
        assert assert_problem(answer, 403)["type"].endswith("/forbidden"), staff_id
    created = await gateway.client.post(
        "/admin/accounts", headers=await gateway.headers("supervisor1"),
        json={"staff_id": "x1", "display_name": "X", "role": "presales",
              "password": "a-long-password-3"})
    assert_problem(created, 403)


# --- API3: property level ----------------------------------------------------------------------

@pytest.mark.parametrize("extra", [
    {"session_version": 0}, {"password_hash": "$argon2id$v=19$..."}, {"created_by": "manager1"},
    {"active": True}, {"role": "manager"}, {"_id": "other"}, {"staff_id": "someone-else"},
])
async def test_owner_session_and_role_fields_are_refused_in_password_resets(
        gateway, extra: dict) -> None:
    await gateway.seed()
    hr = await gateway.headers("hradmin1")
    reset = await gateway.client.post("/admin/accounts/presales1/password", headers=hr,
                                      json={"password": "a-new-long-password", **extra})
    assert_problem(reset, 422)
    assert (await gateway.login("presales1")).status_code == 200  # nothing was applied


@pytest.mark.parametrize("extra", [{"role": "manager"}, {"team": "hr"}, {"active": True},
                                   {"session_version": 7}, {"created_by": "manager1"},
                                   {"password_hash": "x"}, {"display_name": "X"}])
async def test_account_creation_takes_role_team_and_status_from_hr_only(gateway,
                                                                         extra: dict) -> None:
    await gateway.seed()
    await gateway.announce("ps-x", "presales")
    answer = await gateway.client.post(
        "/admin/accounts", headers=await gateway.headers("hradmin1"),
        json={"staff_id": "ps-x", "password": "a-long-password-4", **extra})
    assert_problem(answer, 422)


async def test_sign_in_refuses_a_role_or_any_other_field(gateway) -> None:
    await gateway.seed()
    for extra in ({"role": "manager"}, {"team": "hr"}, {"scope": "admin"}):
        answer = await gateway.client.post(
            "/auth/token", json={"staff_id": "presales1", "password": "demo-presales1", **extra})
        assert_problem(answer, 422)


# --- injection ---------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    {"staff_id": {"$ne": ""}, "password": {"$ne": ""}},
    {"staff_id": {"$gt": ""}, "password": "x"},
    {"staff_id": "presales1", "password": {"$regex": ".*"}},
    {"staff_id": ["presales1"], "password": "demo-presales1"},
])
async def test_operators_in_the_sign_in_body_are_refused(gateway, body: dict) -> None:
    await gateway.seed()
    assert_problem(await gateway.client.post("/auth/token", json=body), 422)


@pytest.mark.parametrize("query", [
    "staff_id[$ne]=x", "staff_id=%7B%22%24ne%22%3A%22%22%7D", "by[$regex]=.*",
    "staff_id=$where", "limit[$gt]=0",
])
async def test_operators_in_admin_queries_are_refused(gateway, query: str) -> None:
    await gateway.seed()
    hr = await gateway.headers("hradmin1")
    assert_problem(await gateway.client.get(f"/admin/account-audit?{query}", headers=hr), 422)
    listed = await gateway.client.get(f"/admin/accounts?{query.replace('staff_id', 'role')}",
                                      headers=hr)
    assert_problem(listed, 422)


async def test_operators_in_account_bodies_are_refused(gateway) -> None:
    await gateway.seed()
    hr = await gateway.headers("hradmin1")
    for body in ({"password": {"$ne": ""}}, {"password": {"$set": {"role": "manager"}}}):
        assert_problem(await gateway.client.post("/admin/accounts/presales1/password", headers=hr,
                                           json=body), 422)
        assert_problem(await gateway.client.post("/admin/accounts", headers=hr,
                                           json={"staff_id": {"$ne": ""}, **body}), 422)
    assert_problem(await gateway.client.post("/admin/accounts/%24ne/password", headers=hr,
                                       json={"password": "a-new-long-password"}), 422)


# --- API4: resource consumption ----------------------------------------------------------------

async def test_rate_limits_answer_429_with_retry_after(make_gateway) -> None:
    async with make_gateway(api_rate_per_s=0.5, api_burst=2, signin_rate_per_min=2,
                            signin_burst=2) as gateway:
        await gateway.seed()
        headers = await gateway.headers("presales1")
        await gateway.login("presales1")
        signin = assert_problem(await gateway.login("presales1"), 429)
        assert signin["type"].endswith("/rate-limited")
        for _ in range(2):
            await gateway.client.get("/auth/me", headers=headers)
        answer = await gateway.client.get("/api/tickets/echo/x", headers=headers)
        assert assert_problem(answer, 429)["limit"] == "API"
        assert answer.headers["retry-after"] == "2"  # one token at 0.5/s
        assert not gateway.upstreams.seen["tickets"].requests


async def test_oversized_bodies_are_refused_before_the_route(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("hradmin1")
    big = b'{"display_name": "' + b"x" * (2 << 20) + b'"}'
    for path in ("/auth/token", "/api/tickets/echo/x"):
        answer = await gateway.client.post(path, content=big,
                                           headers={**headers, "Content-Type": "application/json"})
        assert assert_problem(answer, 413)["type"].endswith("/content-too-large")
    assert not gateway.upstreams.seen["tickets"].requests


@pytest.mark.parametrize("body", [
    "[" * 10_000 + "]" * 10_000,
    '{"a":' * 10_000 + "1" + "}" * 10_000,
    '{"staff_id": ' + "[" * 50_000,
])
async def test_deeply_nested_bodies_are_refused_without_a_server_error(gateway, body: str
                                                                       ) -> None:
    await gateway.seed()
    hr = await gateway.headers("hradmin1")
    for method, path in (("POST", "/auth/token"), ("POST", "/admin/accounts"),
                         ("POST", "/admin/accounts/presales1/password"),
                         ("POST", "/auth/password")):
        answer = await gateway.client.request(
            method, path, content=body, headers={**hr, "Content-Type": "application/json"})
        # Nested past the parser's depth: 422 saying so, the same at every route and service;
        # never a 500, a bare 400 or a recursion error.
        assert answer.status_code == 422, (path, answer.status_code, answer.text[:200])
        assert answer.headers["content-type"] == PROBLEM
        assert answer.json()["type"].endswith("/body-too-deep"), answer.text[:300]
        assert "Recursion" not in answer.text and "Traceback" not in answer.text
