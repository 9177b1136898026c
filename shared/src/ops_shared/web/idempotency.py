"""`Idempotency-Key` for creating routes: a retried request gets the first answer (issue 7, 3).

A route opts in with one dependency: `dependencies=[IDEMPOTENT]`. When the caller sends an
`Idempotency-Key` header (1-200 printable characters), the key is claimed for this caller, method
and path in the service's database (`idempotency_keys`, removed by a TTL index after
`IDEMPOTENCY_TTL_H`) together with a fingerprint of the request (query and body):
- the first request runs; a success (2xx) is kept once it has been sent (`KeepAnswers`); any
  other answer drops the claim, and a retry runs again (a refused or failed request changed
  nothing, or it would not have failed);
- a retry with the same key and the same request gets the kept answer, with
  `Idempotent-Replayed: true`;
- the same key with another request: 422 `idempotency-key-reused`;
- a duplicate arriving while the first still runs waits for its answer (up to
  `HTTP_TRANSACTION_BUDGET_S`), then gets 409 `idempotency-key-in-use` with `Retry-After`.
A claim whose request died with its process is taken over after `LOCK_S`. Without the header a
route behaves as before. The answer is kept after the request's own transaction: a process killed
between the two loses the answer and a retry after `LOCK_S` runs again.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import structlog
from bson import Binary
from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import Response
from pymongo import IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops_shared.persistence import Indexes
from ops_shared.web.auth import CurrentStaff
from ops_shared.web.problems import Problem

log = structlog.get_logger(__name__)
IDEMPOTENCY_KEYS = "idempotency_keys"
IDEMPOTENCY_INDEXES = Indexes(IDEMPOTENCY_KEYS, (
    IndexModel([("expires_at", 1)], expireAfterSeconds=0, name="expires"),
))
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
LOCK_S = 60.0
"""A running request holds its key this long at most (the gateway gives up after 30 s)."""
POLL_S = 0.1
_KEPT_HEADERS = {b"content-type", b"location"}


class IdempotentReplay(Exception):
    """The key's first answer exists: send it again (handled by `install_idempotency`)."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__("replay")
        self.answer = answer

    def response(self) -> Response:
        headers = {k: v for k, v in self.answer.get("headers", [])}
        headers[REPLAYED_HEADER] = "true"
        return Response(bytes(self.answer["body"]), status_code=self.answer["status"],
                        headers=headers)


@dataclass
class Claim:
    """This request holds the key: its answer is kept (`finish`) or the key freed (`release`)."""

    collection: AsyncCollection
    record_id: str

    async def finish(self, status: int, headers: list[tuple[bytes, bytes]],
                     body: bytes | None) -> None:
        if not 200 <= status < 300 or body is None:
            await self.release()
            return
        answer = {"status": status, "body": Binary(body), "headers": [
            [k.decode("latin-1"), v.decode("latin-1")] for k, v in headers
            if k.lower() in _KEPT_HEADERS]}
        try:
            await self.collection.update_one(
                {"_id": self.record_id, "state": "running"},
                {"$set": {"state": "done", "answer": answer, "done_at": datetime.now(UTC)}})
        except Exception:  # the answer was sent; a retry after LOCK_S runs again
            log.exception("idempotency.keep_failed")

    async def release(self) -> None:
        try:
            await self.collection.delete_one({"_id": self.record_id, "state": "running"})
        except Exception:
            log.exception("idempotency.release_failed")


async def idempotency_key(
    request: Request, staff: CurrentStaff,
    key: Annotated[str | None, Header(
        alias=HEADER, min_length=1, max_length=200,
        description="Any unique string (a UUID): a retry with the same key and request gets "
                    "the first answer instead of doing it again.")] = None,
) -> str | None:
    """FastAPI dependency: claim the request's `Idempotency-Key`, or replay its answer."""
    if key is None:
        return None
    if not key.isprintable():
        raise Problem(422, "validation-error", "Invalid request",
                      f"{HEADER} must be printable characters",
                      errors=[{"field": HEADER, "in": "header", "reason": "not printable",
                               "type": "string_pattern_mismatch"}])
    settings = request.app.state.settings
    collection = request.app.state.runtime.database.db[IDEMPOTENCY_KEYS]
    caller = staff.staff_id
    record_id = _digest(caller, request.method, request.url.path, key)
    fingerprint = hashlib.sha256(
        request.url.query.encode() + b"\x1f" + await request.body()).hexdigest()
    claim = await _claim(collection, record_id, fingerprint, {
        "caller": caller, "key": key, "method": request.method, "path": request.url.path,
    }, ttl=timedelta(hours=settings.idempotency_ttl_h),
        wait_s=settings.http_transaction_budget_s)
    request.state.idempotency = claim
    return key


IDEMPOTENT = Depends(idempotency_key)
"""Put in a creating route's `dependencies=[...]` to honour `Idempotency-Key`."""


def install_idempotency(app: FastAPI) -> None:
    """Answers of claimed keys are kept; replayed answers leave as they were first sent."""

    @app.exception_handler(IdempotentReplay)
    async def _replay(_request: Request, exc: IdempotentReplay) -> Response:
        return exc.response()

    app.add_middleware(KeepAnswers)


class KeepAnswers:
    """Pure ASGI: once a request that claimed a key has answered, keep the answer (or free the
    key). The claim is in the request's state (`scope["state"]["idempotency"]`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer = _Answer(scope, send)
        try:
            await self.app(scope, receive, answer.send)
        except BaseException:
            claim = _claim_of(scope)
            if claim is not None:
                await claim.release()
            raise
        claim = _claim_of(scope)
        if claim is not None:
            await claim.finish(answer.status, answer.headers, answer.body())


def _claim_of(scope: Scope) -> Claim | None:
    claim = (scope.get("state") or {}).get("idempotency")
    return claim if isinstance(claim, Claim) else None


class _Answer:
    """The response as it goes out: status, headers and (up to a bound) body, kept only for a
    request holding a claim."""

    MAX_KEPT = 1024 * 1024

    def __init__(self, scope: Scope, send: Send) -> None:
        self._scope = scope
        self._send = send
        self._keep = False
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self._chunks: list[bytes] = []
        self._size = 0

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._keep = _claim_of(self._scope) is not None
            self.status = message["status"]
            self.headers = list(message.get("headers") or [])
        elif message["type"] == "http.response.body" and self._keep:
            chunk = message.get("body", b"")
            self._size += len(chunk)
            if self._size <= self.MAX_KEPT:
                self._chunks.append(chunk)
        await self._send(message)

    def body(self) -> bytes | None:
        """None when the body was too big to keep."""
        return b"".join(self._chunks) if self._size <= self.MAX_KEPT else None


async def _claim(collection: AsyncCollection, record_id: str, fingerprint: str,
                 about: dict[str, str], *, ttl: timedelta, wait_s: float) -> Claim:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while True:
        now = datetime.now(UTC)
        try:
            await collection.insert_one({
                "_id": record_id, **about, "fingerprint": fingerprint, "state": "running",
                "locked_until": now + timedelta(seconds=LOCK_S), "created_at": now,
                "expires_at": now + ttl})
            return Claim(collection, record_id)
        except DuplicateKeyError:
            pass
        first = await collection.find_one({"_id": record_id})
        if first is None:  # released meanwhile: claim it again
            continue
        if first["fingerprint"] != fingerprint:
            raise Problem(422, "idempotency-key-reused", "Idempotency key reused",
                          f"This {HEADER} was used for a different request; use a new key.")
        if first["state"] == "done":
            raise IdempotentReplay(first["answer"])
        if await _take_over(collection, first, now):
            return Claim(collection, record_id)
        if loop.time() >= deadline:
            raise Problem(409, "idempotency-key-in-use", "Request in progress",
                          f"A request with this {HEADER} is still running; try again soon.",
                          headers={"Retry-After": "2"})
        await asyncio.sleep(POLL_S)


async def _take_over(collection: AsyncCollection, first: dict, now: datetime) -> bool:
    """A claim whose request died (its lock ran out) goes to this request."""
    locked_until = first["locked_until"]
    if locked_until.tzinfo is None:
        locked_until = locked_until.replace(tzinfo=UTC)
    if locked_until > now:
        return False
    result = await collection.update_one(
        {"_id": first["_id"], "state": "running", "locked_until": first["locked_until"]},
        {"$set": {"locked_until": now + timedelta(seconds=LOCK_S)}})
    return result.modified_count == 1


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
