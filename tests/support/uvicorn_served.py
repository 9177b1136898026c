"""Any ASGI app on a real loopback socket (uvicorn, lifespan included), in this event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import uvicorn

from support.servers import free_port
from support.wait import eventually


@contextlib.asynccontextmanager
async def served(app: Any, **config: Any) -> AsyncIterator[str]:
    """Serve `app` with uvicorn on a free local port; yields its base URL. `config` goes to
    `uvicorn.Config` (e.g. `h11_max_incomplete_event_size`)."""
    port = free_port()
    config.setdefault("log_level", "warning")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           lifespan="on", **config))
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started or task.done(), timeout=30, what="uvicorn up")
        if task.done():
            task.result()  # raises what stopped it from starting
            raise RuntimeError("uvicorn stopped before it started")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)
