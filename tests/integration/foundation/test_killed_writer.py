"""A writer killed mid-transaction leaves its documents locked until the server aborts its
transaction: nothing waiting for them is dead-lettered, an HTTP call answers 503 with
Retry-After meanwhile, and both go through once the lock is gone (issue 7, item 3).

The database here is a SecantusDB of its own whose transaction lifetime is 4 s instead of 60 s,
so the orphan is reaped within the test; the retry budgets are set against that lifetime.
"""

from __future__ import annotations

import os

import pytest
from fastapi import APIRouter, Request

from ops_shared.messaging import DEAD_LETTERS
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import create_service_app
from support import servers
from support.effects import EFFECTS, CountingHandler, counting_service, running_runtime
from support.events import thing
from support.harness import running
from support.orphans import kill_writer_mid_transaction
from support.ticketing import send
from support.wait import eventually

pytestmark = [pytest.mark.integration, pytest.mark.slow]
LIFETIME_S = 4.0
router = APIRouter()


@router.post("/test/hot")
async def touch_hot(request: Request) -> dict:
    async def work(uow: MongoUnitOfWork) -> None:
        await uow.db[EFFECTS].update_one({"_id": "hot"}, {"$inc": {"http": 1}},
                                         session=uow.session)
    await request.app.state.runtime.database.transaction(work)
    return {"ok": True}


@pytest.fixture(scope="module")
def short_lived_mongo():
    if os.environ.get("MONGO_URL") or servers.docker_answers():
        pytest.skip("needs a server whose transaction lifetime this test can shorten")
    with servers.secantus_server(transaction_lifetime_s=LIFETIME_S) as url:
        yield url


async def _hot(db) -> dict:
    return await db[EFFECTS].find_one({"_id": "hot"}) or {}


async def test_an_event_waits_for_the_orphaned_transaction(isolation, short_lived_mongo,
                                                           amqp_url) -> None:
    """Default budget (90 s): the handler's transaction retries until the server aborts the
    orphan, then commits; no retry round, no dead letter."""
    settings = isolation.settings("orphan", mongo_url=short_lived_mongo)
    handler = CountingHandler()
    async with running_runtime(settings, counting_service(settings, handler)) as runtime:
        db = runtime.database.db
        await db[EFFECTS].insert_one({"_id": "hot", "count": 0})
        await kill_writer_mid_transaction(short_lived_mongo, settings.database, EFFECTS, "hot")
        envelope = await send(amqp_url, settings.exchange, thing("hot"))

        await eventually(lambda: _count_is(db, 1), timeout=LIFETIME_S * 5)
        assert await db["inbox"].count_documents({"_id": envelope.id}) == 1
        assert await db[DEAD_LETTERS].count_documents({}) == 0
        assert handler.calls > 1  # it met the lock, and waited it out


async def test_busy_rounds_and_http_answers_while_locked(isolation, short_lived_mongo,
                                                          amqp_url) -> None:
    """Budgets shorter than the lock: the event goes round the retry queue without counting as
    a failure (two retries would dead-letter it within the lock), and the route answers 503 with
    Retry-After; both succeed once the server has aborted the orphan."""
    settings = isolation.settings("orphan-busy", mongo_url=short_lived_mongo,
                                  transaction_retry_budget_s=0.5, http_transaction_budget_s=0.5)
    handler = CountingHandler()
    app = create_service_app(settings, counting_service(settings, handler, routers=[router]))
    async with running(app) as http:
        db = app.state.runtime.database.db
        await db[EFFECTS].insert_one({"_id": "hot", "count": 0, "http": 0})
        await kill_writer_mid_transaction(short_lived_mongo, settings.database, EFFECTS, "hot")
        await send(amqp_url, settings.exchange, thing("hot"))

        busy = await http.post("/test/hot")
        assert busy.status_code == 503, busy.text
        assert busy.headers["retry-after"] == "5"
        assert busy.headers["content-type"] == "application/problem+json"
        assert busy.json()["type"].endswith("/busy")

        await eventually(lambda: _count_is(db, 1), timeout=LIFETIME_S * 5)
        await eventually(lambda: _http_ok(http), timeout=LIFETIME_S * 5)
        assert (await _hot(db))["http"] >= 1
        assert await db[DEAD_LETTERS].count_documents({}) == 0
        assert handler.calls > 1 + len(settings.retry_delays_ms)


async def _count_is(db, n: int) -> bool:
    return (await _hot(db)).get("count") == n


async def _http_ok(http) -> bool:
    return (await http.post("/test/hot")).status_code == 200
