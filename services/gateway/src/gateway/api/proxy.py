"""`/api/<service>/<path>`: authenticated staff calls forwarded to the upstream services.

A plain Starlette route, outside FastAPI's dependency resolution and request validation: the
proxy reads nothing but the path, so it calls the same `authenticated` check the gateway's own
routes depend on (token, API rate limit, account and session) and forwards. Its problems are
answered by the app's exception handlers like any route's.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.api.deps import staff_of
from gateway.forwarding import forward
from ops_shared.web import Problem

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


async def proxy(request: Request) -> Response:
    request.scope["route"] = route  # as FastAPI's routes do: the metrics label its template
    await staff_of(request)  # before anything else: an anonymous caller learns nothing
    service = request.path_params["service"]
    runtime = request.app.state.runtime
    base = runtime.upstreams.get(service)
    if base is None:
        raise Problem(404, "not-found", "No such service", f"unknown service '{service}'")
    return await forward(runtime.transport, request, service, base, timeouts=runtime.timeout,
                         read_retries=runtime.settings.upstream_read_retries)


route = Route("/api/{service}/{path:path}", proxy, methods=METHODS, include_in_schema=False)
route.methods = set(METHODS)  # Starlette adds HEAD to a GET route; the proxy never took it
