"""Bounded requests: what the gateway refuses before any route, token check or body read.

The request head alone decides, so a refusal costs the same whatever the sender sends:
- a path and query longer than `max_url_bytes`: 414;
- a header section larger than `max_header_bytes`: 431;
- a declared `Content-Length` over `max_body_bytes`: 413, without reading a byte of the body.
A body without a declared length (chunked) is counted as it is read and cut off with 413 at the
limit, so no body is ever read, held or forwarded beyond it. Every refusal is a problem body and
closes the connection (the unread body must not be taken for the next request).

The HTTP server buffers a request head before any of this runs; `max_head_bytes` is its bound
(uvicorn's h11 limit), set just above these limits so that these problems, not the server's
plain-text 400, are what a sender normally sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops_shared.web import MEDIA_TYPE, Problem

HEADER_OVERHEAD = 4  # ": " and CRLF of each header line


class BodyTooLarge(Problem):
    """The request body is larger than the gateway accepts."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "content-too-large", "Content too large",
                         f"A request body may take at most {limit} bytes.", limit_bytes=limit)


@dataclass(frozen=True)
class RequestLimits:
    """The largest request line, header section and body the gateway accepts."""

    max_url_bytes: int
    max_header_bytes: int
    max_body_bytes: int

    @property
    def max_head_bytes(self) -> int:
        """What the HTTP server may buffer for a request head: both limits and a request line."""
        return self.max_url_bytes + self.max_header_bytes + 1024

    def refusal(self, scope: Scope) -> Problem | None:
        """The problem a request head earns, or None when it is within bounds."""
        raw_path = scope.get("raw_path") or scope["path"].encode()
        url_bytes = len(raw_path) + len(scope.get("query_string", b""))
        if url_bytes > self.max_url_bytes:
            return Problem(414, "uri-too-long", "URI too long",
                           f"The path and query may take at most {self.max_url_bytes} bytes.",
                           limit_bytes=self.max_url_bytes)
        headers = scope["headers"]
        if sum(len(k) + len(v) + HEADER_OVERHEAD for k, v in headers) > self.max_header_bytes:
            return Problem(431, "headers-too-large", "Request header fields too large",
                           f"The headers may take at most {self.max_header_bytes} bytes.",
                           limit_bytes=self.max_header_bytes)
        return self._declared_length_refusal(headers)

    def _declared_length_refusal(self, headers: list[tuple[bytes, bytes]]) -> Problem | None:
        declared = {v.strip() for k, v in headers if k.lower() == b"content-length"}
        if not declared:
            return None
        value = declared.pop()
        if declared or not value.isdigit():
            return Problem(400, "invalid-content-length", "Invalid Content-Length",
                           "Content-Length must be one non-negative whole number.")
        # Compared by length first: int() of a huge digit string is itself costly.
        if len(value) > len(str(self.max_body_bytes)) or int(value) > self.max_body_bytes:
            return BodyTooLarge(self.max_body_bytes)
        return None


class _CountedBody:
    """The request's `receive`, counting body bytes and refusing to go past the limit."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self._limit = limit
        self._received = 0
        self.exceeded = False

    async def receive(self) -> Message:
        if self.exceeded:
            raise BodyTooLarge(self._limit)
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._limit:
                self.exceeded = True
                raise BodyTooLarge(self._limit)
        return message


class BoundedRequests:
    """ASGI middleware enforcing `RequestLimits` on every HTTP request."""

    def __init__(self, app: ASGIApp, limits: RequestLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self.limits.refusal(scope)
        if problem is not None:
            await _refuse(problem, scope, receive, send)
            return
        body = _CountedBody(receive, self.limits.max_body_bytes)
        started = False

        async def send_unless_cut_off(message: Message) -> None:
            nonlocal started
            if body.exceeded and not started:
                return  # the app's answer to a body cut off at the limit; the 413 replaces it
            started = True
            await send(message)

        try:
            await self.app(scope, body.receive, send_unless_cut_off)
        except Exception:
            # Whatever the app raised once its body was cut off (BodyTooLarge itself, or that
            # wrapped by a library) is that refusal, not an error of its own.
            if started or not body.exceeded:
                raise
        if body.exceeded and not started:
            await _refuse(BodyTooLarge(self.limits.max_body_bytes), scope, receive, send)


async def _refuse(problem: Problem, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer `problem` and close the connection; a 414's path is not echoed back."""
    body = problem.body(None if problem.status == 414 else scope["path"])
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        body["request_id"] = request_id
    response = JSONResponse(body, status_code=problem.status, media_type=MEDIA_TYPE,
                            headers={"Connection": "close"})
    await response(scope, receive, send)
