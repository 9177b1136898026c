"""Request size limits, checked before any work: a service never reads a body whole, parses a
path or logs a header it will refuse anyway (issue 7, items 1 and 6).

- a request line (path + query) over `max_url_bytes` → 414;
- more than `max_header_count` headers, or more than `max_header_bytes` of them → 431;
- a body over `max_request_body_bytes` → 413: at once by its Content-Length, else (chunked) as
  soon as the bytes received pass the limit, before the rest is read.
Every refusal is an RFC 9457 problem body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import structlog
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops_shared.web.problems import MEDIA_TYPE, PROBLEM_BASE, SLUGS, TITLES

log = structlog.get_logger(__name__)


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body passes the limit; handled as any HTTP error (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is over the limit of {limit} bytes.")


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 1024 * 1024
    max_url_bytes: int = 8192
    max_header_count: int = 100
    max_header_bytes: int = 16384


class RequestLimits:
    """Pure ASGI middleware: it must wrap `receive` to count a chunked body."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, detail = refusal
            log.info("http.refused", status=status, method=scope.get("method"),
                     path_length=len(scope.get("raw_path") or b""), reason=detail)
            await send_problem(send, status, detail)
            return
        await self._with_counted_body(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        limits = self.limits
        url = len(scope.get("raw_path") or scope["path"].encode()) + len(
            scope.get("query_string") or b"")
        if url > limits.max_url_bytes:
            return 414, (f"The request path and query are {url} bytes; the limit is "
                         f"{limits.max_url_bytes}.")
        headers = scope.get("headers") or []
        size = sum(len(name) + len(value) for name, value in headers)
        if len(headers) > limits.max_header_count or size > limits.max_header_bytes:
            return 431, (f"{len(headers)} request headers of {size} bytes; the limits are "
                         f"{limits.max_header_count} headers and {limits.max_header_bytes} bytes.")
        length = _content_length(headers)
        if length is not None and length > limits.max_body_bytes:
            return 413, (f"The request body is {length} bytes; the limit is "
                         f"{limits.max_body_bytes}.")
        return None

    async def _with_counted_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limits.max_body_bytes
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as exc:  # read outside a route (the routes' errors are handled)
            if started:
                raise
            await send_problem(send, 413, str(exc.detail))


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def send_problem(send: Send, status: int, detail: str) -> None:
    """Answer with a problem body straight from ASGI (no app, no routing)."""
    title = TITLES.get(status, "Refused")
    body = json.dumps({"type": PROBLEM_BASE + SLUGS.get(status, "http-error"), "title": title,
                       "status": status, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
