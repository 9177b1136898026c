"""The gateway in front of an upstream served by uvicorn on a real socket: what the service
answers comes back unchanged (a 503 with Retry-After included, issue 7 item 3), and bodies
reach it streamed, cut off at the gateway's limit."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from upload_counter import CHUNK, MIB, CountingBody

pytestmark = pytest.mark.integration
BUSY = {"type": "https://problems.ops.example/transaction-busy", "title": "Try again shortly",
        "status": 503, "detail": "The ticket could not be saved in time; nothing was changed."}


@dataclass
class Received:
    """Bodies the upstream read to their end."""

    sizes: list[int] = field(default_factory=list)


def busy_service(received: Received) -> FastAPI:
    """A service whose openings cannot get their transaction through, and a body counter."""
    app = FastAPI()

    @app.post("/tickets")
    async def open_ticket() -> JSONResponse:
        return JSONResponse(BUSY, status_code=503, media_type="application/problem+json",
                            headers={"Retry-After": "7"})

    @app.post("/uploads")
    async def upload(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        received.sizes.append(size)
        return {"size": size}

    return app


async def test_a_503_with_retry_after_passes_through_unchanged(make_networked_gateway,
                                                               serve) -> None:
    async with (serve(busy_service(Received())) as url,
                make_networked_gateway(tickets_url=url) as gateway):
        await gateway.seed()
        answer = await gateway.client.post(
            "/api/tickets/tickets", json={"description": "鞋码偏大"},
            headers=await gateway.headers("presales1"))
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "7"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == BUSY  # the service's problem, not one written by the gateway


async def test_bodies_stream_to_a_real_upstream_and_stop_at_the_limit(make_networked_gateway,
                                                                      serve) -> None:
    received = Received()
    async with (serve(busy_service(received)) as url,
                make_networked_gateway(tickets_url=url) as gateway):
        await gateway.seed()
        headers = await gateway.headers("presales1")
        within = await gateway.client.post("/api/tickets/uploads", content=CountingBody(MIB),
                                           headers=headers)
        assert within.json() == {"size": MIB}
        body = CountingBody(50 * MIB)
        refused = await gateway.client.post("/api/tickets/uploads", content=body,
                                            headers=headers)
        assert refused.status_code == 413, refused.text
        assert refused.json()["type"].endswith("/content-too-large")
        assert body.taken <= MIB + CHUNK
    assert received.sizes == [MIB]  # the cut-off upload never reached its end upstream
