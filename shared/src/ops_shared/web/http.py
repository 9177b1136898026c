"""HTTP basics shared by every service: request ids and health endpoints."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

log = structlog.get_logger(__name__)
REQUEST_ID_HEADER = "X-Request-ID"
CORRELATION_HEADER = "X-Correlation-ID"


def install_request_context(app: FastAPI) -> None:
    """Give every request an id, bind it (and the correlation id) to the log context."""

    @app.middleware("http")
    async def request_context(request: Request, call_next: Any) -> Response:
        request_id = _clean(request.headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
        correlation_id = _clean(request.headers.get(CORRELATION_HEADER)) or request_id
        request.state.request_id = request_id
        request.state.correlation_id = correlation_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            service=app.title, request_id=request_id, correlation_id=correlation_id)
        response = await call_next(request)
        response.headers[REQUEST_ID_HEADER] = request_id
        response.headers[CORRELATION_HEADER] = correlation_id
        log.info("http.request", method=request.method, path=request.url.path,
                 status=response.status_code)
        return response


def _clean(value: str | None) -> str | None:
    """Accept only short printable ids from the outside."""
    if value and len(value) <= 100 and value.isprintable() and " " not in value:
        return value
    return None


health = APIRouter(tags=["health"])


@health.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    """Answers while the process runs; no dependency is checked. No token needed."""
    return {"status": "alive"}


@health.get("/readyz", summary="Readiness: MongoDB and RabbitMQ reachable",
            responses={503: {"description": "A dependency is unreachable"}})
async def readyz(request: Request) -> JSONResponse:
    """503 while MongoDB or RabbitMQ is unreachable. `checks.calendar.missing_years` lists years
    the holiday package does not cover yet (deadlines there use admin days and the weekly
    pattern). No token needed."""
    runtime = request.app.state.runtime
    checks = await runtime.readiness()
    ready = all(c["ok"] for c in checks.values() if isinstance(c, dict) and "ok" in c)
    return JSONResponse({"status": "ready" if ready else "not-ready", "checks": checks},
                        status_code=200 if ready else 503)
