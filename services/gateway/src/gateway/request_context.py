"""Request and correlation ids on every request, and one log event per request.

A pure ASGI middleware, so it logs the status actually sent (the size refusals included) and
binds the ids before anything else runs. The path arrives percent-decoded: `%0a` or `%1b` in a
URL become a raw newline or terminal escape, which must never reach a console log (a forged log
line, a rewritten terminal). Paths and other outside text are logged escaped and truncated.
"""

from __future__ import annotations

import uuid

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops_shared.web import CORRELATION_HEADER, REQUEST_ID_HEADER

log = structlog.get_logger(__name__)
LOGGED_CHARS = 200
MAX_ID_CHARS = 100


def loggable(text: str, limit: int = LOGGED_CHARS) -> str:
    """`text` cut to `limit` characters with every non-printable one (and `\\`) escaped."""
    escaped = "".join(
        ch if ch.isprintable() and ch != "\\" else ch.encode("unicode_escape").decode("ascii")
        for ch in text[:limit])
    return escaped + (f"…(+{len(text) - limit} chars)" if len(text) > limit else "")


def _clean_id(value: str | None) -> str | None:
    """Accept only short printable ids from the outside."""
    if value and len(value) <= MAX_ID_CHARS and value.isprintable() and " " not in value:
        return value
    return None


class RequestContext:
    """Gives every request an id, binds it and the correlation id to the log context, echoes
    both in the answer, and logs one `http.request` event when the answer has been sent."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = _clean_id(headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
        correlation_id = _clean_id(headers.get(CORRELATION_HEADER)) or request_id
        scope.setdefault("state", {}).update(request_id=request_id,
                                             correlation_id=correlation_id)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            service=self.service, request_id=request_id, correlation_id=correlation_id)
        status = 500  # unless an answer starts: an unhandled error is answered outside

        async def send_with_ids(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                answer_headers = MutableHeaders(scope=message)
                answer_headers[REQUEST_ID_HEADER] = request_id
                answer_headers[CORRELATION_HEADER] = correlation_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_ids)
        finally:
            log.info("http.request", method=loggable(scope["method"], 20),
                     path=loggable(scope["path"]), status=status)
