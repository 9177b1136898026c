"""What the gateway refuses itself (no or forged token) and what it passes through from the
tickets service unchanged (invalid input, unknown ticket), all as problem details."""

from __future__ import annotations

import pytest

from support.tokens import KeyPair

pytestmark = pytest.mark.integration
TICKET = {"customer": {"name": "钱七"}, "channel": "web", "kind": "consultation",
          "description": "38码偏大吗？", "importance": "low", "urgency": "low"}


async def test_e2e_gateway_refuses_unauthenticated_and_bad_input(system) -> None:
    reached = len(system.upstream.reached)

    # No token, or one signed by another key: the gateway answers 401; tickets never hears of it.
    anonymous = await system.client.post("/api/tickets/tickets", json=TICKET)
    system.problem(anonymous, 401, "unauthenticated")
    forged = KeyPair.generate().headers("supervisor1", "supervisor")
    system.problem(await system.client.get("/api/tickets/tickets", headers=forged),
                   401, "invalid-token")
    assert len(system.upstream.reached) == reached

    # An operator object where a string belongs: tickets' 422, passed through, names the field.
    injected = await system.post("presales1", "/tickets", {**TICKET, "description": {"$ne": ""}})
    problem = system.problem(injected, 422, "validation-error")
    assert [e["field"] for e in problem["errors"]] == ["description"]
    assert problem["instance"] == "/tickets"  # written by the tickets service, not the gateway
    assert system.upstream.reached[-1] == ("POST", "/tickets")
    listed = await system.get("presales1", "/tickets", params={"assignee[$ne]": "x"})
    system.problem(listed, 422, "validation-error")

    # An unknown ticket: tickets' 404 problem, passed through.
    missing = await system.get("presales1", "/tickets/TK-19990101-0001")
    problem = system.problem(missing, 404, "not-found")
    assert "TK-19990101-0001" in problem["detail"]
    assert problem["instance"] == "/tickets/TK-19990101-0001"


async def test_e2e_gateway_refuses_oversized_requests_before_tickets(system) -> None:
    reached = len(system.upstream.reached)
    headers = await system.sign_in("presales1")

    # A 1 MiB + 1 body and a 15,000-character path: refused by the gateway, not forwarded.
    oversized = {**TICKET, "description": "大" * (350 * 1024)}
    answer = await system.client.post("/api/tickets/tickets", json=oversized, headers=headers)
    system.problem(answer, 413, "content-too-large")
    long_path = await system.client.get("/api/tickets/tickets/" + "9" * 15_000, headers=headers)
    system.problem(long_path, 414, "uri-too-long")
    assert len(system.upstream.reached) == reached

    # Just within the limit, a body is streamed to tickets, which judges it (an unknown kind).
    large = {**TICKET, "kind": "no-such-kind", "description": "大" * (300 * 1024)}
    answer = await system.client.post("/api/tickets/tickets", json=large, headers=headers)
    problem = system.problem(answer, 422, "validation-error")
    assert problem["instance"] == "/tickets"  # written by the tickets service
    assert system.upstream.reached[reached:] == [("POST", "/tickets")]
