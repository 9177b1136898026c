"""HTTP basics shared by every service and the gateway: request ids, the request log, health
endpoints."""

from __future__ import annotations

import uuid

import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops_shared.persistence import transaction_budget

log = structlog.get_logger(__name__)
REQUEST_ID_HEADER = "X-Request-ID"
CORRELATION_HEADER = "X-Correlation-ID"
LOGGED_CHARS = 200
MAX_ID_CHARS = 100


def install_request_context(app: FastAPI, *, transaction_budget_s: float | None = None) -> None:
    """Give every request an id, bind it (and the correlation id) to the log context.

    With `transaction_budget_s`, a transaction of the request retries write conflicts that long
    at most, then the request answers 503 with Retry-After (`TransactionBusy`)."""
    app.add_middleware(RequestContext, title=app.title, transaction_budget_s=transaction_budget_s)


def loggable(text: str, limit: int = LOGGED_CHARS) -> str:
    """`text` cut to `limit` characters with every non-printable one (and `\\`) escaped."""
    if len(text) <= limit and text.isprintable() and "\\" not in text:
        return text  # the usual path: nothing to escape (once per request, in the request log)
    escaped = "".join(
        ch if ch.isprintable() and ch != "\\" else ch.encode("unicode_escape").decode("ascii")
        for ch in text[:limit])
    return escaped + (f"…(+{len(text) - limit} chars)" if len(text) > limit else "")


class RequestContext:
    """Gives every request an id, binds it and the correlation id to the log context (`title`
    names the service), echoes both in the answer, and logs one `http.request` event when the
    answer has been sent (status 500 when none started: an unhandled error is answered
    outside).

    Pure ASGI (not `BaseHTTPMiddleware`): the request runs in the caller's task, so context
    variables need no copying, an error raised while the body is read reaches the app's
    handlers as itself, not wrapped in an exception group, and the status logged is the one
    actually sent (the size refusals included). The path arrives percent-decoded: `%0a` or
    `%1b` in a URL become a raw newline or terminal escape, so it is logged escaped and
    truncated (`loggable`)."""

    def __init__(self, app: ASGIApp, *, title: str,
                 transaction_budget_s: float | None = None) -> None:
        self.app = app
        self.title = title
        self.transaction_budget_s = transaction_budget_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = _clean(headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
        correlation_id = _clean(headers.get(CORRELATION_HEADER)) or request_id
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["correlation_id"] = correlation_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            service=self.title, request_id=request_id, correlation_id=correlation_id)
        status = 500  # unless an answer starts: an unhandled error is answered outside

        async def send_with_ids(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = MutableHeaders(scope=message)
                response_headers[REQUEST_ID_HEADER] = request_id
                response_headers[CORRELATION_HEADER] = correlation_id
            await send(message)

        try:
            with transaction_budget(self.transaction_budget_s):
                await self.app(scope, receive, send_with_ids)
        finally:
            log.info("http.request", method=loggable(scope["method"], 20),
                     path=loggable(scope["path"]), status=status)


def _clean(value: str | None) -> str | None:
    """Accept only short printable ids from the outside."""
    if value and len(value) <= MAX_ID_CHARS and value.isprintable() and " " not in value:
        return value
    return None


health = APIRouter(tags=["health"])


@health.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    """Answers while the process runs; no dependency is checked. No token needed."""
    return {"status": "alive"}


@health.get("/readyz", summary="Readiness: MongoDB and RabbitMQ reachable",
            responses={503: {"description": "A dependency is unreachable (the same body)",
                             "content": {"application/json": {"schema": {
                                 "type": "object", "required": ["status", "checks"]}}}}})
async def readyz(request: Request) -> JSONResponse:
    """503 while MongoDB or RabbitMQ is unreachable. `checks.calendar.missing_years` lists years
    the holiday package does not cover yet (deadlines there use admin days and the weekly
    pattern). No token needed."""
    runtime = request.app.state.runtime
    checks = await runtime.readiness()
    ready = all(c["ok"] for c in checks.values() if isinstance(c, dict) and "ok" in c)
    return JSONResponse({"status": "ready" if ready else "not-ready", "checks": checks},
                        status_code=200 if ready else 503)
