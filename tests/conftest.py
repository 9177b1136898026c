"""Fixtures shared by every test: real servers, isolation, staff tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pymongo import AsyncMongoClient

from support import servers
from support.harness import Isolation
from support.tokens import KeyPair


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    with servers.mongo_url() as url:
        yield url


@pytest.fixture(scope="session")
def amqp_url() -> Iterator[str]:
    with servers.amqp_url() as url:
        yield url


@pytest.fixture(scope="session")
def keys() -> KeyPair:
    return KeyPair.generate()


@pytest.fixture(scope="session")
async def isolation(mongo_url: str, amqp_url: str, keys: KeyPair) -> AsyncIterator[Isolation]:
    iso = Isolation(mongo_url, amqp_url, keys)
    yield iso
    await iso.cleanup()


@pytest.fixture(scope="session")
async def mongo_client(mongo_url: str) -> AsyncIterator[AsyncMongoClient]:
    client: AsyncMongoClient = AsyncMongoClient(mongo_url, tz_aware=True)
    yield client
    await client.close()
