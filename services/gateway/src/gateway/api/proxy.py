"""`/api/<service>/<path>`: authenticated staff calls forwarded to the upstream services."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from gateway.api.deps import Runtime, Staff
from gateway.forwarding import forward
from ops_shared.web import Problem

router = APIRouter()
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@router.api_route("/api/{service}/{path:path}", methods=METHODS, include_in_schema=False)
async def proxy(service: str, path: str, request: Request, _: Staff, runtime: Runtime
                ) -> Response:
    base = runtime.upstreams.get(service)
    if base is None:
        raise Problem(404, "not-found", "No such service", f"unknown service '{service}'")
    return await forward(runtime.transport, request, service, base, timeouts=runtime.timeout,
                         read_retries=runtime.settings.upstream_read_retries)
