"""Every error answer is RFC 9457 problem details: unknown routes, invalid input, bad tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from fastapi import APIRouter
from pydantic import BaseModel, Field

from ops_shared.service import create_service_app
from ops_shared.web import CurrentStaff
from support.effects import definition
from support.harness import running
from support.problems import assert_problem
from support.tokens import AUDIENCE, ISSUER, KeyPair

pytestmark = pytest.mark.integration
router = APIRouter()


class ThingIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    quantity: int = Field(ge=1)


@router.post("/test/things")
async def create_thing(thing: ThingIn, staff: CurrentStaff) -> dict:
    return {"name": thing.name, "by": staff.staff_id}



def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_with_public_key(keys: KeyPair, staff_id: str, role: str) -> str:
    """The algorithm-confusion attack: HMAC-sign with the (public) verification key as secret.

    PyJWT refuses to produce this token, so it is assembled by hand.
    """
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": staff_id, "role": role, "iss": ISSUER, "aud": AUDIENCE, "iat": now,
              "exp": now + 600}
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(keys.public_pem.encode(), f"{header}.{payload}".encode(),
                         hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


@pytest.fixture(scope="module")
async def client(isolation):
    settings = isolation.settings("problems")
    app = create_service_app(settings, definition(settings, {}, routers=[router]))
    async with running(app) as http:
        yield http


async def test_unknown_route_is_a_404_problem(client) -> None:
    body = problem_with_detail(await client.get("/no/such/route"), 404, "not-found")
    assert body["instance"] == "/no/such/route"
    problem_with_detail(await client.delete("/healthz"), 405, "method-not-allowed")


async def test_validation_error_lists_the_fields(client, keys) -> None:
    response = await client.post("/test/things", json={"name": "", "quantity": "many"},
                                 headers=keys.headers("s1", "presales"))
    body = problem_with_detail(response, 422, "validation-error")
    assert {e["field"] for e in body["errors"]} == {"name", "quantity"}
    assert all(e["in"] == "body" and e["reason"] for e in body["errors"])
    assert "name" in body["detail"] and "quantity" in body["detail"]
    missing = await client.post("/test/things", json={"name": "x"},
                                headers=keys.headers("s1", "presales"))
    refused = problem_with_detail(missing, 422, "validation-error")
    assert [e["field"] for e in refused["errors"]] == ["quantity"]
    ok = await client.post("/test/things", json={"name": "x", "quantity": 1},
                           headers=keys.headers("s1", "presales"))
    assert ok.status_code == 200 and ok.json() == {"name": "x", "by": "s1"}


async def test_bad_tokens_are_401_problems(client, keys) -> None:
    def call(token: str | None = None, scheme: str = "Bearer"):
        headers = {"Authorization": f"{scheme} {token}"} if token else {}
        return client.post("/test/things", json={"name": "x", "quantity": 1}, headers=headers)

    problem_with_detail(await call(), 401, "unauthenticated")
    problem_with_detail(await call(keys.token("s1", "presales"), scheme="Basic"), 401,
                   "unauthenticated")
    problem_with_detail(await call(keys.token("s1", "presales", ttl=-60)), 401, "token-expired")
    invalid = {
        "wrong audience": keys.token("s1", "presales", aud="someone-else"),
        "wrong issuer": keys.token("s1", "presales", iss="not-the-gateway"),
        "HS256 signed with the public key": hs256_with_public_key(keys, "s1", "ops_admin"),
        "unsigned (alg none)": jwt.encode({"sub": "s1", "role": "ops_admin", "iss": ISSUER,
                                           "aud": AUDIENCE, "exp": int(time.time()) + 600},
                                          None, algorithm="none"),
        "signed by another key": KeyPair.generate().token("s1", "ops_admin"),
        "no role": keys.token("s1", "nobody"),
        "no expiry": jwt.encode({"sub": "s1", "role": "presales", "iss": ISSUER,
                                 "aud": AUDIENCE}, keys.private_pem, algorithm="EdDSA"),
        "garbage": "not.a.token",
    }
    for case, token in invalid.items():
        response = await call(token)
        assert response.status_code == 401, (case, response.text)
        problem_with_detail(response, 401, "invalid-token")


def problem_with_detail(response, status: int, slug: str) -> dict:
    return assert_problem(response, status, slug, with_detail=True)
