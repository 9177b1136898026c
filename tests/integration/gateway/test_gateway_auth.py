"""Sign-in on the real database: tokens, the same 401 for every failure, the lockout (T15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from gateway.demo import DEMO_ACCOUNTS, seed_demo_accounts
from gateway.main import create_app
from ops_shared.web import Role
from support.harness import running
from support.tokens import AUDIENCE, ISSUER

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


async def test_sign_in_answers_a_token_signed_for_the_services(gateway, keys) -> None:
    await gateway.seed()
    answer = await gateway.login("aftersales1")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 8 * 3600
    claims = jwt.decode(body["access_token"], keys.public_pem, algorithms=["EdDSA"],
                        audience=AUDIENCE, issuer=ISSUER)
    assert claims["sub"] == "aftersales1"
    assert claims["role"] == "aftersales"
    assert claims["team"] == "customer_service"
    assert claims["exp"] - claims["iat"] == 8 * 3600
    assert claims["jti"]
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "EdDSA"


async def test_me_answers_the_callers_account(gateway) -> None:
    await gateway.seed()
    answer = await gateway.client.get("/auth/me", headers=await gateway.headers("warehouse1"))
    assert answer.status_code == 200, answer.text
    assert answer.json() | {"created_at": None, "updated_at": None} == {
        "staff_id": "warehouse1", "display_name": "Demo warehouse", "role": "warehouse",
        "team": "warehouse", "active": True, "created_at": None, "updated_at": None}
    assert "password_hash" not in answer.text


async def test_unknown_id_and_wrong_password_get_the_same_401(gateway) -> None:
    await gateway.seed()
    wrong = await gateway.login("presales1", "not-the-password")
    unknown = await gateway.login("nobody-here", "not-the-password")
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert answer.headers["content-type"] == PROBLEM
    same = ("type", "title", "status", "detail")
    assert {k: wrong.json()[k] for k in same} == {k: unknown.json()[k] for k in same}
    assert wrong.json()["type"].endswith("/invalid-credentials")


async def test_five_failures_lock_the_id_even_for_the_right_password(gateway) -> None:
    await gateway.seed()
    for _ in range(5):
        assert (await gateway.login("supervisor1", "wrong-password")).status_code == 401
    locked = await gateway.login("supervisor1")
    assert locked.status_code == 429
    assert locked.headers["content-type"] == PROBLEM
    assert locked.json()["type"].endswith("/login-locked")
    assert 0 < int(locked.headers["retry-after"]) <= 300
    assert (await gateway.login("manager1")).status_code == 200  # other ids unaffected


async def test_unknown_ids_lock_too_so_the_lock_reveals_nothing(gateway) -> None:
    for _ in range(5):
        assert (await gateway.login("ghost", "wrong-password")).status_code == 401
    assert (await gateway.login("ghost", "wrong-password")).status_code == 429


async def test_a_success_forgets_earlier_failures(gateway) -> None:
    await gateway.seed()
    for _ in range(4):
        await gateway.login("orderdesk1", "wrong-password")
    assert (await gateway.login("orderdesk1")).status_code == 200
    for _ in range(4):
        assert (await gateway.login("orderdesk1", "wrong-password")).status_code == 401
    assert (await gateway.login("orderdesk1")).status_code == 200


async def test_the_lock_ends_after_its_time(gateway) -> None:
    await gateway.seed()
    for _ in range(5):
        await gateway.login("presales1", "wrong-password")
    await gateway.runtime.db["login_attempts"].update_one(
        {"_id": "presales1"}, {"$set": {"locked_until": datetime.now(UTC) - timedelta(seconds=1)}})
    assert (await gateway.login("presales1")).status_code == 200


async def test_password_change_ends_older_tokens_and_answers_a_fresh_one(gateway) -> None:
    await gateway.seed()
    old = await gateway.headers("hradmin1")
    answer = await gateway.client.post("/auth/password", headers=old, json={
        "current_password": "demo-hradmin1", "new_password": "a-much-longer-secret"})
    assert answer.status_code == 200, answer.text
    fresh = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    refused = await gateway.client.get("/auth/me", headers=old)
    assert refused.status_code == 401
    assert refused.json()["type"].endswith("/token-revoked")
    assert (await gateway.client.get("/auth/me", headers=fresh)).status_code == 200
    assert (await gateway.login("hradmin1")).status_code == 401
    assert (await gateway.login("hradmin1", "a-much-longer-secret")).status_code == 200


async def test_password_change_needs_the_current_password(gateway) -> None:
    await gateway.seed()
    answer = await gateway.client.post(
        "/auth/password", headers=await gateway.headers("presales1"),
        json={"current_password": "guessing", "new_password": "a-much-longer-secret"})
    assert answer.status_code == 403
    assert answer.json()["type"].endswith("/wrong-password")


async def test_demo_seeding_creates_one_account_per_role(gateway) -> None:
    runtime = gateway.runtime
    created = await seed_demo_accounts(runtime.db, runtime.identity.passwords)
    assert sorted(created) == sorted(staff_id for staff_id, _, _ in DEMO_ACCOUNTS)
    docs = await runtime.db["accounts"].find({}).to_list()
    assert {d["role"] for d in docs} == set(Role.__args__)
    assert all(d["password_hash"].startswith("$argon2id$") for d in docs)
    assert await seed_demo_accounts(runtime.db, runtime.identity.passwords) == []
    assert (await gateway.login("opsadmin1")).status_code == 200


async def test_development_without_a_key_signs_with_an_ephemeral_one(gateway_settings) -> None:
    settings = gateway_settings(environment="development", jwt_private_key="",
                                jwt_public_key="dev-insecure", demo_accounts=True)
    app = create_app(settings)
    async with running(app) as client:
        # hr hires the other demo staff; the gateway seeds only its own ops_admin account.
        answer = await client.post("/auth/token", json={"staff_id": "opsadmin1",
                                                        "password": "demo-opsadmin1"})
        assert answer.status_code == 200, answer.text
        token = answer.json()["access_token"]
        public_pem = app.state.token_verifier.public_key
        assert jwt.decode(token, public_pem, algorithms=["EdDSA"], audience=AUDIENCE)["sub"]
        me = await client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["role"] == "ops_admin"
