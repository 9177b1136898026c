"""A creating route with `Idempotency-Key`: a retried request gets the first answer, and
concurrent duplicates run once (issue 7, item 3)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import create_service_app
from ops_shared.web import IDEMPOTENCY_KEYS, IDEMPOTENT, MEDIA_TYPE, CurrentStaff, Problem
from support.effects import definition
from support.harness import running

pytestmark = pytest.mark.integration
router = APIRouter()
ORDERS = "orders"


class OrderIn(BaseModel):
    item: str = Field(min_length=1, max_length=50)
    slow: bool = False
    refuse: bool = False


@router.post("/test/orders", status_code=201, dependencies=[IDEMPOTENT])
async def create_order(order: OrderIn, staff: CurrentStaff, request: Request) -> dict:
    if order.refuse:
        raise Problem(409, "conflict", "Refused", "the test refused this order")
    if order.slow:
        await asyncio.sleep(0.5)  # a duplicate arrives while this one runs

    async def work(uow: MongoUnitOfWork) -> dict:
        doc = {"_id": uuid.uuid4().hex, "item": order.item, "by": staff.staff_id}
        await uow.db[ORDERS].insert_one(doc, session=uow.session)
        return doc

    doc = await request.app.state.runtime.database.transaction(work)
    return {"id": doc["_id"], "item": doc["item"]}


@pytest.fixture(scope="module")
async def service(isolation):
    settings = isolation.settings("idempotency", http_transaction_budget_s=5.0)
    app = create_service_app(settings, definition(settings, {}, routers=[router]))
    async with running(app) as http:
        yield http, app


def _headers(keys, key: str | None, staff: str = "agent-1") -> dict[str, str]:
    headers = keys.headers(staff, "aftersales")
    if key:
        headers["Idempotency-Key"] = key
    return headers


async def _orders(app, item: str) -> int:
    return await app.state.runtime.database.db[ORDERS].count_documents({"item": item})


async def test_a_retry_with_the_same_key_gets_the_first_answer(service, keys) -> None:
    http, app = service
    key = str(uuid.uuid4())
    first = await http.post("/test/orders", json={"item": "shoe"}, headers=_headers(keys, key))
    again = await http.post("/test/orders", json={"item": "shoe"}, headers=_headers(keys, key))
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"] == first.headers["content-type"]
    assert "idempotent-replayed" not in first.headers
    assert await _orders(app, "shoe") == 1
    stored = await app.state.runtime.database.db[IDEMPOTENCY_KEYS].find_one({"key": key})
    assert stored["state"] == "done" and stored["caller"] == "agent-1"
    assert stored["expires_at"] > stored["created_at"]  # removed by the TTL index


async def test_the_same_key_for_another_request_is_422(service, keys) -> None:
    http, app = service
    key = str(uuid.uuid4())
    assert (await http.post("/test/orders", json={"item": "hat"},
                            headers=_headers(keys, key))).status_code == 201
    other = await http.post("/test/orders", json={"item": "scarf"},
                            headers=_headers(keys, key))
    assert other.status_code == 422 and other.headers["content-type"] == MEDIA_TYPE
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert await _orders(app, "scarf") == 0


async def test_concurrent_duplicates_run_once(service, keys) -> None:
    http, app = service
    key = str(uuid.uuid4())
    answers = await asyncio.gather(*(
        http.post("/test/orders", json={"item": "belt", "slow": True},
                  headers=_headers(keys, key)) for _ in range(5)))
    assert [a.status_code for a in answers] == [201] * 5, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 4
    assert await _orders(app, "belt") == 1


async def test_a_refused_request_can_be_retried_with_its_key(service, keys) -> None:
    http, app = service
    key = str(uuid.uuid4())
    refused = await http.post("/test/orders", json={"item": "sock", "refuse": True},
                              headers=_headers(keys, key))
    assert refused.status_code == 409
    again = await http.post("/test/orders", json={"item": "sock", "refuse": True},
                            headers=_headers(keys, key))
    assert again.status_code == 409 and "idempotent-replayed" not in again.headers
    assert await app.state.runtime.database.db[IDEMPOTENCY_KEYS].count_documents(
        {"key": key}) == 0


async def test_keys_belong_to_their_caller_and_are_optional(service, keys) -> None:
    http, app = service
    key = str(uuid.uuid4())
    mine = await http.post("/test/orders", json={"item": "cap"}, headers=_headers(keys, key))
    theirs = await http.post("/test/orders", json={"item": "cap"},
                             headers=_headers(keys, key, staff="agent-2"))
    assert mine.json()["id"] != theirs.json()["id"]
    for _ in range(2):
        plain = await http.post("/test/orders", json={"item": "cap"}, headers=_headers(keys, None))
        assert plain.status_code == 201
    assert await _orders(app, "cap") == 4
    bad = await http.post("/test/orders", json={"item": "cap"},
                          headers=_headers(keys, "x" * 300))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "Idempotency-Key"
