"""The gateway's network in tests: each service host is that service's ASGI app (no sockets);
any other host refuses, as a service that is not running would."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx


class AppsUpstream(httpx.AsyncBaseTransport):
    """`hosts` maps a host name (`tickets.story`) to the app that answers for it."""

    def __init__(self, hosts: Mapping[str, Any]) -> None:
        self.apps = {host: httpx.ASGITransport(app=app, raise_app_exceptions=False)
                     for host, app in hosts.items()}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        app = self.apps.get(request.url.host)
        if app is None:
            raise httpx.ConnectError("connection refused", request=request)
        return await app.handle_async_request(request)
