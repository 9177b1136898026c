"""A test service served the way the real ones are (`ops_shared.serving.serve`), configured from
the environment: `python -m support.drain_app`. Used to send it a real SIGTERM."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from ops_shared.service import create_service_app
from ops_shared.serving import serve
from ops_shared.settings import ServiceSettings
from support.effects import CountingHandler, counting_service

slow = APIRouter()


@slow.get("/slow")
async def slow_request(seconds: float = 1.0) -> dict[str, float]:
    """A request still being answered when the stop begins."""
    await asyncio.sleep(min(seconds, 10.0))
    return {"slept_s": seconds}


def main() -> None:
    settings = ServiceSettings()
    definition = counting_service(settings, CountingHandler(), routers=(slow,))
    serve(create_service_app(settings, definition), settings)


if __name__ == "__main__":
    main()
