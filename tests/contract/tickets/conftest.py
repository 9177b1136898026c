"""One set of repository tests, run against the in-memory fakes and against MongoDB.

`backend` is parametrised: `fake` builds the fakes of `tests/unit/tickets/fakes` over a fresh
`Store`; `mongo` builds the tickets service's Mongo repositories over a fresh database with the
service's indexes (on the session's SecantusDB; marked `integration`).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from pymongo import AsyncMongoClient

from contract.tickets.backends import Backend, fake_backend, mongo_backend
from ops_shared.persistence import Database, apply_indexes
from tickets.storage.indexes import INDEXES


@pytest.fixture(params=["fake", pytest.param("mongo", marks=pytest.mark.integration)])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "fake":
        yield fake_backend()
        return
    # The server starts only when a mongo case runs (`-m "not integration"` needs none).
    client: AsyncMongoClient = AsyncMongoClient(request.getfixturevalue("mongo_url"),
                                                tz_aware=True)
    name = f"t_contract_{uuid.uuid4().hex[:10]}"
    database = Database(client, name, producer="tickets")
    try:
        await apply_indexes(database.db, INDEXES)
        yield mongo_backend(database)
    finally:
        await client.drop_database(name)
        await client.close()
