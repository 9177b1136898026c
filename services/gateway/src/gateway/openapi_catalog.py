"""Each upstream's OpenAPI document, and its last good copy while the service cannot answer.

A good answer is reused for `cache_s`, then fetched again. When a service is stalled or
unreachable its routes must not vanish from the merged document: the last good copy is served
instead and the service is reported stale. Copies are kept in memory and in the gateway's
database (`openapi_documents`), so a gateway started while a service is down still has them and
every replica shares them. The database is a help, not a dependency: if it fails, memory serves.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

log = structlog.get_logger(__name__)
OPENAPI_DOCUMENTS = "openapi_documents"


@dataclass(frozen=True)
class GoodCopy:
    """A service's document as last read from it, and when."""

    document: dict[str, Any]
    fetched_at: datetime


@dataclass(frozen=True)
class UpstreamDocuments:
    """What the merge gets: the documents, which are stale copies, which services have none."""

    copies: dict[str, GoodCopy] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        return {name: copy.document for name, copy in self.copies.items()}

    @property
    def fetched_at(self) -> dict[str, datetime]:
        return {name: copy.fetched_at for name, copy in self.copies.items()}


class OpenApiCopies:
    """The last good copy of each service's document in the gateway's database.

    Stored as JSON text: OpenAPI's `$ref` keys are not valid MongoDB field names.
    """

    def __init__(self, db: AsyncDatabase) -> None:
        self._documents = db[OPENAPI_DOCUMENTS]

    async def save(self, service: str, copy: GoodCopy) -> None:
        await self._documents.replace_one(
            {"_id": service},
            {"document_json": json.dumps(copy.document), "fetched_at": copy.fetched_at},
            upsert=True)

    async def load(self, service: str) -> GoodCopy | None:
        doc = await self._documents.find_one({"_id": service})
        if doc is None:
            return None
        return GoodCopy(json.loads(doc["document_json"]), doc["fetched_at"])


class OpenApiCatalog:
    """Fetches each upstream's `/openapi.json` on demand and keeps its last good copy."""

    def __init__(self, http: httpx.AsyncClient, upstreams: Mapping[str, str], *,
                 timeout_s: float, cache_s: float, copies: OpenApiCopies | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._http = http
        self._upstreams = dict(upstreams)
        self._timeout_s = timeout_s
        self._cache_s = cache_s
        self._stored = copies
        self._clock = clock
        self._now = now
        self._copies: dict[str, GoodCopy] = {}
        self._fresh_until: dict[str, float] = {}

    async def documents(self) -> UpstreamDocuments:
        """Each service's current document, or its last good copy (stale), or none."""
        names = list(self._upstreams)
        found = await asyncio.gather(*(self._document(name) for name in names))
        result = UpstreamDocuments()
        for name, (copy, stale) in zip(names, found, strict=True):
            if copy is None:
                result.unavailable.append(name)
                continue
            result.copies[name] = copy
            if stale:
                result.stale.append(name)
        return result

    async def _document(self, name: str) -> tuple[GoodCopy | None, bool]:
        """The copy to serve for `name`, and whether it is stale."""
        copy = self._copies.get(name)
        if copy is not None and self._fresh_until[name] > self._clock():
            return copy, False
        document = await self._fetch(name)
        if document is not None:
            copy = GoodCopy(document, self._now())
            self._copies[name] = copy
            self._fresh_until[name] = self._clock() + self._cache_s
            await self._save(name, copy)
            return copy, False
        copy = copy or await self._load(name)
        if copy is not None:
            self._copies[name] = copy
            self._fresh_until.setdefault(name, self._clock())
            log.warning("openapi.serving_stale_copy", service=name,
                        fetched_at=copy.fetched_at.isoformat())
        return copy, True

    async def _fetch(self, name: str) -> dict[str, Any] | None:
        try:
            answer = await self._http.get(f"{self._upstreams[name]}/openapi.json",
                                          timeout=self._timeout_s)
            answer.raise_for_status()
            document = answer.json()
            if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
                raise ValueError("not an OpenAPI document")
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("openapi.upstream_unavailable", service=name, error=type(exc).__name__)
            return None
        return document

    async def _save(self, name: str, copy: GoodCopy) -> None:
        if self._stored is None:
            return
        try:
            await self._stored.save(name, copy)
        except PyMongoError as exc:
            log.warning("openapi.copy_not_saved", service=name, error=type(exc).__name__)

    async def _load(self, name: str) -> GoodCopy | None:
        if self._stored is None:
            return None
        try:
            return await self._stored.load(name)
        except (PyMongoError, ValueError, KeyError) as exc:
            log.warning("openapi.copy_not_loaded", service=name, error=type(exc).__name__)
            return None
