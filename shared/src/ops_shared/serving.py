"""Serving an app under uvicorn with a graceful stop (SIGTERM, as Kubernetes sends it).

The order of a stop:
1. SIGTERM: `/readyz` answers 503 `{"status": "draining"}` at once, while every other route
   still works, for `SHUTDOWN_DELAY_S`: load balancers stop sending new requests;
2. uvicorn stops listening and finishes the requests in flight (`HTTP_GRACE_S` at most);
3. the lifespan's shutdown (`stop_runtime`): the relay finishes its batch and releases its
   lease, the consumer is cancelled and its in-flight deliveries are finished and acked
   (`DRAIN_TIMEOUT_S` at most), then the connections close;
4. the process exits 0. A second SIGTERM or SIGINT skips the wait.

Kubernetes' `terminationGracePeriodSeconds` must exceed preStop + SHUTDOWN_DELAY_S +
HTTP_GRACE_S + DRAIN_TIMEOUT_S.

The server runs on uvloop with the httptools parser (`http_options`), both much cheaper per
request than asyncio's loop and h11. uvicorn bounds a request head only under h11
(`h11_max_incomplete_event_size`), so `BoundedHttpTools` puts the same bound on httptools: a
head that passes `max_head_bytes` before it ends gets the same plain 400 and a closed connection,
and is never handed to the app.
"""

from __future__ import annotations

import asyncio
import importlib.util
import signal
import sys
import time
from types import FrameType
from typing import Any

import structlog
import uvicorn
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ops_shared.settings import ServiceSettings

log = structlog.get_logger(__name__)
READINESS_PATH = "/readyz"
DEFAULT_MAX_HEAD_BYTES = 16 * 1024
"""h11's own bound on a request head, which the services have always run with."""
STARTUP_FAILURE = 3  # uvicorn's own exit code when the app did not start


class Draining:
    """Wraps an app: once `draining`, `/readyz` answers 503 and the rest still works."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.draining = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.draining and scope["type"] == "http" and scope["path"] == READINESS_PATH:
            answer = JSONResponse({"status": "draining"}, status_code=503,
                                  headers={"Connection": "close"})
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)


class DrainingServer(uvicorn.Server):
    """uvicorn's server with a readiness-first stop; exits 0 after a signalled stop."""

    def __init__(self, config: uvicorn.Config, gate: Draining, shutdown_delay_s: float) -> None:
        super().__init__(config)
        self.gate = gate
        self.shutdown_delay_s = shutdown_delay_s
        self._exit_at: float | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Not recorded in `_captured_signals`: uvicorn would re-raise it after a clean stop and
        # the process would die of the signal instead of exiting 0.
        if self.gate.draining:  # asked twice: stop now
            self.should_exit = True
            self.force_exit = sig == signal.SIGINT
            return
        self.gate.draining = True
        self._exit_at = time.monotonic() + self.shutdown_delay_s
        log.info("service.draining", signal=signal.Signals(sig).name,
                 stop_in_s=self.shutdown_delay_s)

    async def on_tick(self, counter: int) -> bool:
        if self._exit_at is not None and time.monotonic() >= self._exit_at:
            self.should_exit = True
        return await super().on_tick(counter)


HEAD_LINE_OVERHEAD = 16  # a request line's method, spaces, version and CRLFs


class HeadTooLarge(Exception):
    """Raised from the parser's callback: httptools reports it as a parser error (400)."""


def fast_server_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("uvloop", "httptools"))


def bounded_httptools(max_head_bytes: int) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol refusing a request head over `max_head_bytes` (400)."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class BoundedHttpTools(HttpToolsProtocol):
        """Two counts, both against `max_head_bytes`. The head's own bytes (request line and
        headers, as the parser hands them over): a head over the bound is refused when it
        ends, before any app sees it. And the bytes that arrive while a head is still open:
        httptools buffers a header's name and value itself until they end, so a head that
        never ends is cut off once reads inside it pass the bound (a read that also ends the
        head, or begins after a body, is judged by the first count)."""

        _head_limit = max_head_bytes

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._in_head = True
            self._open_bytes = 0  # read while a head was open
            self._head_bytes = 0  # the head itself
            self._heads = 0

        def on_message_begin(self) -> None:
            self._head_bytes = HEAD_LINE_OVERHEAD
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._head_bytes += len(url)
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._head_bytes += len(name) + len(value) + 4
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._in_head = False
            self._open_bytes = 0
            self._heads += 1
            if self._head_bytes > self._head_limit:
                raise HeadTooLarge(self._head_bytes)  # the parser's error: a plain 400
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_head = True

        def data_received(self, data: bytes) -> None:
            in_head, heads = self._in_head, self._heads
            super().data_received(data)
            # Only a read that began and ended inside one head counts (never body bytes).
            if not (in_head and self._in_head and heads == self._heads):
                return
            if self.transport.is_closing():
                return
            self._open_bytes += len(data)
            if self._open_bytes > self._head_limit:
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")

    return BoundedHttpTools


def http_options(max_head_bytes: int = DEFAULT_MAX_HEAD_BYTES) -> dict[str, Any]:
    """uvicorn options: uvloop and httptools when installed (with the head bounded), else
    asyncio and h11 with the same bound."""
    if fast_server_available():
        return {"loop": "uvloop", "http": bounded_httptools(max_head_bytes)}
    return {"loop": "asyncio", "http": "h11", "h11_max_incomplete_event_size": max_head_bytes}


def serve(app: ASGIApp, settings: ServiceSettings, *,
          max_head_bytes: int = DEFAULT_MAX_HEAD_BYTES, **options: Any) -> None:
    """Run `app` on `settings.http_host:http_port` until SIGTERM, then stop gracefully."""
    gate = Draining(app)
    config = uvicorn.Config(
        gate, host=settings.http_host, port=settings.http_port, log_config=None,
        timeout_graceful_shutdown=max(1, round(settings.http_grace_s)),
        **{**http_options(max_head_bytes), **options})
    server = DrainingServer(config, gate, settings.shutdown_delay_s)
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
