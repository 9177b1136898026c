"""Liveness and readiness of the gateway: MongoDB and every upstream's /healthz."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from gateway.api.deps import Runtime

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/readyz", summary="Readiness: MongoDB and every upstream service reachable",
            responses={503: {"description": "A dependency is unreachable"}})
async def readyz(runtime: Runtime) -> JSONResponse:
    checks = await runtime.readiness()
    ready = all(check["ok"] for check in checks.values())
    return JSONResponse({"status": "ready" if ready else "not-ready", "checks": checks},
                        status_code=200 if ready else 503)
