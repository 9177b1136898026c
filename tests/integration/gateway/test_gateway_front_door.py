"""The gateway's front door (issue 10, item 2): rate limits, CORS, security headers, the public
key set, account listing, and retries of idempotent reads only (against a real socket)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import jwt
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

pytestmark = pytest.mark.integration
SECURITY_HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
                    "x-frame-options": "DENY"}


def _secured(answer) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (name, dict(answer.headers))
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert len(answer.headers.get_list("x-frame-options")) == 1


async def test_every_answer_carries_the_security_headers(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("presales1")
    answers = {
        "health": await gateway.client.get("/healthz"),
        "wrong password": await gateway.client.post(
            "/auth/token", json={"staff_id": "presales1", "password": "nope"}),
        "proxied": await gateway.client.get("/api/tickets/echo/x", headers=headers),
        "upstream 404": await gateway.client.get("/api/tickets/echo/x?status=404",
                                                 headers=headers),
        "no route": await gateway.client.get("/nowhere"),
        "no token": await gateway.client.get("/api/tickets/echo/x"),
        "too large": await gateway.client.post("/auth/token", content=b"x" * (2 << 20)),
        "docs": await gateway.client.get("/docs"),
    }
    for name, answer in answers.items():
        _secured(answer)
        # Outside development (these tests run as `test`), browsers must stay on HTTPS.
        assert answer.headers["strict-transport-security"].startswith("max-age="), name
    assert answers["proxied"].headers["x-upstream"] == "tickets"  # upstream headers kept
    # The Swagger page loads its script; every other answer allows nothing to load.
    assert answers["docs"].headers["content-security-policy"] == "frame-ancestors 'none'"
    assert answers["proxied"].headers["content-security-policy"].startswith("default-src 'none'")


async def test_every_problem_and_error_answer_carries_the_security_headers(make_gateway
                                                                          ) -> None:
    async with make_gateway(api_rate_per_s=0.01, api_burst=4) as gateway:
        await gateway.seed()
        headers = await gateway.headers("presales1")

        async def boom() -> None:
            raise RuntimeError("a bug in the gateway itself")

        gateway.app.add_api_route("/boom", boom)
        gateway.upstreams.down.add("hr")
        gateway.upstreams.slow.add("logistics")
        answers = {
            401: await gateway.client.get("/auth/me", headers={"Authorization": "Bearer x"}),
            404: await gateway.client.get("/api/nowhere/x", headers=headers),
            405: await gateway.client.delete("/auth/token"),
            413: await gateway.client.post("/api/tickets/echo/x", headers=headers,
                                           content=b"x" * (2 << 20)),
            414: await gateway.client.get("/api/tickets/echo/" + "a" * 15_000),
            403: await gateway.client.get("/admin/accounts", headers=headers),
            422: await gateway.client.post("/auth/token", json={"staff_id": "x"}),
            431: await gateway.client.get("/healthz", headers={"X-Big": "x" * 20_000}),
            502: await gateway.client.get("/api/hr/echo/x", headers=headers),
            504: await gateway.client.get("/api/logistics/echo/x", headers=headers),
            500: await gateway.client.get("/boom"),
            429: await gateway.client.get("/auth/me", headers=headers),  # the 5th: over burst
        }
    for status, answer in answers.items():
        assert answer.status_code == status, (status, answer.text[:200])
        assert answer.headers["content-type"] == "application/problem+json", status
        _secured(answer)
        assert answer.headers["cache-control"] == "no-store", status
        assert "a bug in the gateway" not in answer.text and "Traceback" not in answer.text


async def test_an_allowed_origin_can_read_refusals_and_their_retry_after(make_gateway) -> None:
    origin = {"Origin": "https://desk.shop.example"}
    async with make_gateway(cors_origins=[origin["Origin"]], api_rate_per_s=0.01,
                            api_burst=1) as gateway:
        await gateway.seed()
        headers = {**origin, **await gateway.headers("presales1")}
        assert (await gateway.client.get("/auth/me", headers=headers)).status_code == 200
        refused = await gateway.client.get("/api/tickets/echo/x", headers=headers)
        unauthenticated = await gateway.client.get("/api/tickets/echo/x", headers=origin)
    _rate_limited(refused, "API")
    for answer in (refused, unauthenticated):
        assert answer.headers["access-control-allow-origin"] == origin["Origin"]
        assert "retry-after" in answer.headers["access-control-expose-headers"].lower()
        _secured(answer)
    assert unauthenticated.status_code == 401


async def test_tokens_and_api_answers_are_never_stored(gateway) -> None:
    await gateway.seed()
    token = await gateway.login("presales1")
    assert token.headers["cache-control"] == "no-store"
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    for path in ("/auth/me", "/api/tickets/echo/x", "/api/hr/echo/y?status=503"):
        answer = await gateway.client.get(path, headers=headers)
        assert answer.headers["cache-control"] == "no-store", path
    keys = await gateway.client.get("/.well-known/jwks.json")
    assert keys.headers["cache-control"] == "public, max-age=300"


async def test_no_hsts_in_development(make_gateway) -> None:
    async with make_gateway(environment="development") as gateway:
        answer = await gateway.client.get("/healthz")
    _secured(answer)
    assert "strict-transport-security" not in answer.headers


async def test_cors_allows_only_the_listed_origins(make_gateway, gateway) -> None:
    preflight = {"Origin": "https://desk.shop.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    # None by default: no browser origin is told it may read an answer.
    closed = await gateway.client.options("/api/tickets/echo/x", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    plain = await gateway.client.get("/healthz", headers={"Origin": "https://desk.shop.example"})
    assert "access-control-allow-origin" not in plain.headers

    async with make_gateway(cors_origins=["https://desk.shop.example"]) as listed:
        allowed = await listed.client.options("/api/tickets/echo/x", headers=preflight)
        assert allowed.status_code == 200, allowed.text
        assert allowed.headers["access-control-allow-origin"] == "https://desk.shop.example"
        assert "POST" in allowed.headers["access-control-allow-methods"]
        assert "access-control-allow-credentials" not in allowed.headers
        _secured(allowed)
        other = await listed.client.options(
            "/api/tickets/echo/x", headers={**preflight, "Origin": "https://evil.example"})
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers
        simple = await listed.client.get("/healthz",
                                         headers={"Origin": "https://desk.shop.example"})
        assert simple.headers["access-control-allow-origin"] == "https://desk.shop.example"
        assert "retry-after" in simple.headers["access-control-expose-headers"].lower()


async def test_a_wildcard_origin_is_refused_at_start(gateway_settings) -> None:
    with pytest.raises(ValueError, match="CORS_ORIGINS"):
        gateway_settings(cors_origins=["*"])


async def test_jwks_publishes_the_key_that_verifies_issued_tokens(gateway) -> None:
    await gateway.seed()
    answer = await gateway.client.get("/.well-known/jwks.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/jwk-set+json")
    (key,) = answer.json()["keys"]
    assert {k: key[k] for k in ("kty", "crv", "alg", "use")} == {
        "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig"}
    assert key["kid"] and "d" not in key  # never the private part
    token = (await gateway.login("presales1")).json()["access_token"]
    assert jwt.get_unverified_header(token)["kid"] == key["kid"]
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["EdDSA"], audience="ops-staff",
                        issuer="ops-gateway")
    assert claims["sub"] == "presales1"


def _rate_limited(answer, scope: str) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["retry-after"]) >= 1
    body = answer.json()
    assert body["type"].endswith("/rate-limited") and body["limit"] == scope
    assert body["retry_after_s"] == int(answer.headers["retry-after"])


async def test_signed_in_requests_are_rate_limited_per_staff_id(make_gateway) -> None:
    async with make_gateway(api_rate_per_s=0.01, api_burst=3) as gateway:
        await gateway.seed()
        first = await gateway.headers("presales1")
        other = await gateway.headers("aftersales1")
        paths = ["/auth/me", "/api/tickets/echo/a", "/api/hr/echo/b"]
        for path in paths:  # the whole API counts, the gateway's own routes included
            assert (await gateway.client.get(path, headers=first)).status_code == 200
        refused = await gateway.client.get("/api/tickets/echo/c", headers=first)
        _rate_limited(refused, "API")
        assert int(refused.headers["retry-after"]) > 60  # 0.01/s: the next token is far off
        assert [r["path"] for r in gateway.upstreams.seen["tickets"].requests] == ["/echo/a"]
        # Another staff member keeps their own allowance.
        assert (await gateway.client.get("/auth/me", headers=other)).status_code == 200


async def test_sign_in_is_rate_limited_per_address(make_gateway) -> None:
    async with make_gateway(signin_rate_per_min=1, signin_burst=3) as gateway:
        await gateway.seed()
        for staff_id in ("presales1", "aftersales1", "warehouse1"):
            assert (await gateway.login(staff_id)).status_code == 200
        # Even the right password of yet another account: the address has had its share.
        _rate_limited(await gateway.login("manager1"), "sign-in")
        # The per-id lockout never counted these: manager1 signs in once the address may.
        limiter = gateway.app.state.rate_limits.signin
        limiter._buckets.clear()
        assert (await gateway.login("manager1")).status_code == 200


async def test_hr_admin_lists_accounts_by_role_team_and_status(gateway) -> None:
    await gateway.seed()
    hr = await gateway.headers("hradmin1")
    await gateway.announce("ps-gone", "presales", "customer_service")
    made = await gateway.client.post("/admin/accounts", headers=hr, json={
        "staff_id": "ps-gone", "password": "a-long-password-1"})
    assert made.status_code == 201, made.text
    await gateway.announce("ps-gone", "presales", "customer_service", active=False)

    everyone = await gateway.client.get("/admin/accounts", headers=hr)
    assert everyone.status_code == 200, everyone.text
    body = everyone.json()
    ids = [a["staff_id"] for a in body["items"]]
    assert body["total"] == len(ids) and body["page"] == 1 and "ps-gone" in ids
    assert ids == sorted(ids)
    assert all("password_hash" not in a and "password" not in a for a in body["items"])

    presales = (await gateway.client.get("/admin/accounts?role=presales", headers=hr)).json()
    assert presales["items"] and {a["role"] for a in presales["items"]} == {"presales"}
    assert "ps-gone" in [a["staff_id"] for a in presales["items"]]
    inactive = (await gateway.client.get("/admin/accounts?active=false", headers=hr)).json()
    assert [(a["staff_id"], a["active"]) for a in inactive["items"]] == [("ps-gone", False)]
    team = (await gateway.client.get("/admin/accounts?team=customer_service&active=true",
                                     headers=hr)).json()
    assert team["items"] and all(a["team"] == "customer_service" and a["active"]
                                 for a in team["items"])
    pages = [(await gateway.client.get(f"/admin/accounts?limit=4&page={n}",
                                       headers=hr)).json() for n in range(1, len(ids) // 4 + 2)]
    assert [a["staff_id"] for p in pages for a in p["items"]] == ids
    assert all(len(p["items"]) <= 4 for p in pages)
    managed = await gateway.client.get("/admin/accounts?role=manager",
                                       headers=await gateway.headers("manager1"))
    assert {a["role"] for a in managed.json()["items"]} == {"manager"}


async def test_account_listing_refuses_other_roles_and_unknown_filters(gateway) -> None:
    await gateway.seed()
    for staff_id in ("presales1", "supervisor1", "opsadmin1"):
        answer = await gateway.client.get("/admin/accounts",
                                          headers=await gateway.headers(staff_id))
        assert answer.status_code == 403, staff_id
    hr = await gateway.headers("hradmin1")
    for query in ("role=root", "role[$ne]=x", "active=maybe", "limit=0", "limit=1000",
                  "page=0", "password_hash=x"):
        answer = await gateway.client.get(f"/admin/accounts?{query}", headers=hr)
        assert answer.status_code == 422, query
        assert answer.headers["content-type"] == "application/problem+json"


@dataclass
class FlakyUpstream:
    """A raw HTTP/1.1 server whose first connection reads the whole request, then closes without
    answering (a replica going away, a pooled connection closed under the gateway); every later
    one answers 200. `received` lists each request it read, answered or not."""

    failures: int = 1
    received: list[str] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                method = head.split(" ", 1)[0]
                length = next((int(line.split(":", 1)[1]) for line in head.split("\r\n")
                               if line.lower().startswith("content-length:")), 0)
                await reader.readexactly(length)
                self.received.append(method)
                if self.failures:
                    self.failures -= 1
                    break
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                             b"content-length: 11\r\n\r\n{\"ok\":true}")
                await writer.drain()
        writer.close()


@contextlib.asynccontextmanager
async def flaky_upstream() -> AsyncIterator[tuple[FlakyUpstream, str]]:
    upstream = FlakyUpstream()
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield upstream, f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def test_a_read_is_retried_when_its_upstream_connection_fails(make_gateway) -> None:
    async with flaky_upstream() as (upstream, url), make_gateway(tickets_url=url) as gateway:
        await gateway.seed()
        answer = await gateway.client.get("/api/tickets/tickets/T1",
                                          headers=await gateway.headers("presales1"))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"ok": True}
    assert upstream.received == ["GET", "GET"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_a_write_is_never_retried(make_gateway, method: str) -> None:
    async with flaky_upstream() as (upstream, url), make_gateway(tickets_url=url) as gateway:
        await gateway.seed()
        answer = await gateway.client.request(
            method, "/api/tickets/tickets", json={"description": "鞋码偏大"},
            headers=await gateway.headers("presales1"))
    assert answer.status_code == 502, answer.text
    assert answer.json()["type"].endswith("/upstream-unavailable")
    # The service read the request (and may have applied it): it is not sent a second time.
    assert upstream.received == [method]


async def test_reads_are_not_retried_when_retries_are_off(make_gateway) -> None:
    async with (flaky_upstream() as (upstream, url),
                make_gateway(tickets_url=url, upstream_read_retries=0) as gateway):
        await gateway.seed()
        answer = await gateway.client.get("/api/tickets/tickets/T1",
                                          headers=await gateway.headers("presales1"))
    assert answer.status_code == 502
    assert upstream.received == ["GET"]


def cookie_service() -> FastAPI:
    """A service that sets a cookie and says which cookies it was sent."""
    app = FastAPI()

    @app.get("/login")
    async def set_cookie() -> JSONResponse:
        answer = JSONResponse({"ok": True})
        answer.set_cookie("upstream_session", "secret-of-the-first-caller")
        return answer

    @app.get("/cookies")
    async def cookies(request: Request) -> dict[str, str | None]:
        return {"cookie": request.headers.get("cookie")}

    return app


async def test_an_upstream_cookie_reaches_its_caller_only(make_gateway, serve) -> None:
    async with serve(cookie_service()) as url, make_gateway(hr_url=url) as gateway:
        await gateway.seed()
        first = await gateway.client.get("/api/hr/login",
                                         headers=await gateway.headers("presales1"))
        assert "upstream_session" in first.headers["set-cookie"]  # passed through to its caller
        gateway.client.cookies.clear()  # the second caller has no cookie of the first's
        second = await gateway.client.get("/api/hr/cookies",
                                          headers=await gateway.headers("aftersales1"))
    assert second.json() == {"cookie": None}  # the gateway keeps no cookie jar of its own
