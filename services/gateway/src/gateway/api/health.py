"""Liveness and readiness of the gateway: its MongoDB and RabbitMQ, and every service's /readyz."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from gateway.api.deps import Runtime

router = APIRouter(tags=["health"])
READINESS = {"type": "object", "required": ["status", "checks", "services"], "properties": {
    "status": {"enum": ["ready", "degraded", "not-ready"]},
    "checks": {"type": "object"}, "services": {"type": "object"}}}


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/readyz", summary="Readiness: the gateway's own checks, and each service's",
            responses={503: {"description": "The gateway's MongoDB or RabbitMQ is down",
                             "content": {"application/json": {"schema": READINESS}}}})
async def readyz(runtime: Runtime) -> JSONResponse:
    """200 while the gateway itself can work (its MongoDB answers, its RabbitMQ connection for
    hr's directory is up), 503 otherwise. Each service's
    own `/readyz` is asked too (`HEALTH_TIMEOUT_S` each, concurrently) and listed under
    `services`; a service that is down or not ready makes the status `degraded`, not 503: the
    gateway still signs staff in and serves the other services, and taking it out of the load
    balancer would cut them off too. No token needed."""
    checks, services = await runtime.readiness()
    if not all(check["ok"] for check in checks.values()):
        status, code = "not-ready", 503
    elif not all(service["ok"] for service in services.values()):
        status, code = "degraded", 200
    else:
        status, code = "ready", 200
    return JSONResponse({"status": status, "checks": checks, "services": services},
                        status_code=code)
