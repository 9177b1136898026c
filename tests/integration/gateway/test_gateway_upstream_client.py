"""The gateway's own upstream client (`UPSTREAM_CLIENT=native`) over real loopback sockets:
keep-alive reuse, chunked and connection-delimited answers, large bodies streamed both ways, a
pooled connection the upstream closed, and an upstream that does not answer in time."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from upload_counter import MIB, CountingBody

from gateway.upstream_client import NativeTransport
from support.wait import eventually

pytestmark = pytest.mark.integration
Handler = Callable[[int, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


@dataclass
class RawUpstream:
    """A hand-written HTTP/1.1 server: what it received, connection by connection."""

    url: str
    heads: list[list[bytes]] = field(default_factory=list)

    @property
    def connections(self) -> int:
        return len(self.heads)


@contextlib.asynccontextmanager
async def raw_upstream(handler: Handler) -> AsyncIterator[RawUpstream]:
    """Serve `handler(connection_number, reader, writer)` on a free loopback port."""
    upstream = RawUpstream("")

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream.heads.append([])
        try:
            await handler(len(upstream.heads) - 1, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    upstream.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    async with server:
        yield upstream


async def read_head(upstream: RawUpstream, number: int, reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    upstream.heads[number].append(head)
    return head


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=NativeTransport(), timeout=5) as made:
        yield made


async def test_keep_alive_connections_are_reused(client) -> None:
    upstream: RawUpstream

    async def answer_all(number: int, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> None:
        while True:
            await read_head(upstream, number, reader)
            writer.write(OK)

    async with raw_upstream(answer_all) as upstream:
        answers = [await client.get(f"{upstream.url}/items/{n}?q=1") for n in range(5)]
    assert [answer.text for answer in answers] == ["ok"] * 5
    assert upstream.connections == 1
    assert [head.split(b"\r\n")[0] for head in upstream.heads[0]] == [
        f"GET /items/{n}?q=1 HTTP/1.1".encode() for n in range(5)]


async def test_callers_beyond_the_connection_limit_wait_for_a_pooled_one() -> None:
    upstream: RawUpstream

    async def answer_all_but_hold(number: int, reader: asyncio.StreamReader,
                                  writer: asyncio.StreamWriter) -> None:
        while True:
            if b" /hold " in await read_head(upstream, number, reader):
                await reader.read()  # never answers
            writer.write(OK)

    transport = NativeTransport(max_connections_per_host=1)
    async with (raw_upstream(answer_all_but_hold) as upstream,
                httpx.AsyncClient(transport=transport, timeout=5) as limited):
        answers = await asyncio.gather(*(limited.get(upstream.url) for _ in range(4)))
        holder = asyncio.create_task(limited.get(f"{upstream.url}/hold"))
        await eventually(lambda: len(upstream.heads[0]) == 5, what="the held request sent")
        with pytest.raises(httpx.PoolTimeout):
            await limited.get(upstream.url, timeout=httpx.Timeout(5, pool=0.1))
        holder.cancel()
        after = await limited.get(upstream.url)  # the held connection was closed: a new one
    assert [answer.text for answer in answers] == ["ok"] * 4
    assert after.text == "ok"
    assert upstream.connections == 2


async def test_a_chunked_answer_is_read_whole_and_the_connection_kept(client) -> None:
    upstream: RawUpstream

    async def chunked(number: int, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        while True:
            await read_head(upstream, number, reader)
            writer.write(b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n"
                         b"Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n5\r\nhello\r\n")
            await writer.drain()
            writer.write(b"6\r\n world\r\n0\r\n\r\n")

    async with raw_upstream(chunked) as upstream:
        first = await client.get(upstream.url)
        second = await client.get(upstream.url)
    assert (first.status_code, first.content, second.content) == (201, b"hello world",
                                                                   b"hello world")
    assert first.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert upstream.connections == 1


async def test_an_answer_delimited_by_close_is_read_to_the_end_and_not_reused(client) -> None:
    upstream: RawUpstream

    async def close_after(number: int, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        await read_head(upstream, number, reader)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")

    async with raw_upstream(close_after) as upstream:
        answers = [(await client.get(upstream.url)).text for _ in range(2)]
    assert answers == ["until the end"] * 2
    assert upstream.connections == 2


async def test_a_truncated_answer_is_a_transport_error(client) -> None:
    async def truncated(number: int, reader: asyncio.StreamReader,
                        writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")

    async with raw_upstream(truncated) as upstream:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(upstream.url)


async def test_an_upstream_that_does_not_answer_times_out(client) -> None:
    async def silent(number: int, reader: asyncio.StreamReader,
                     writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await reader.read()  # waits for the client to give up

    async with raw_upstream(silent) as upstream:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(upstream.url, timeout=0.2)


def streaming_service(sizes: list[int]) -> FastAPI:
    app = FastAPI()

    @app.post("/uploads")
    async def upload(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        sizes.append(size)
        return {"size": size}

    @app.get("/download")
    async def download() -> StreamingResponse:
        async def pieces() -> AsyncIterator[bytes]:
            for n in range(80):
                yield bytes([n]) * (64 * 1024)

        return StreamingResponse(pieces(), media_type="application/octet-stream")

    return app


async def test_large_bodies_stream_both_ways(client, serve) -> None:
    sizes: list[int] = []
    async with serve(streaming_service(sizes)) as url:
        chunked = await client.post(f"{url}/uploads", content=CountingBody(3 * MIB))
        declared = await client.post(f"{url}/uploads", content=b"y" * (2 * MIB))
        async with client.stream("GET", f"{url}/download") as download:
            pieces = [piece async for piece in download.aiter_raw()]
    assert (chunked.json(), declared.json()) == ({"size": 3 * MIB}, {"size": 2 * MIB})
    assert sizes == [3 * MIB, 2 * MIB]
    body = b"".join(pieces)
    assert body == b"".join(bytes([n]) * (64 * 1024) for n in range(80))
    assert len(pieces) > 1  # read as it came, not in one piece


def drops_second_request(received: list[bytes]) -> Handler:
    """Connection 0 answers one request, then closes on the next one without an answer (a
    keep-alive connection the upstream gave up just as the gateway reused it); later
    connections answer everything."""

    async def handler(number: int, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        answered = 0
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if b"content-length:" in head.lower():
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
            received.append(head.split(b" ")[0])
            if number == 0 and answered == 1:
                return  # closed, no answer
            writer.write(OK)
            answered += 1

    return handler


async def test_a_read_on_a_dropped_pooled_connection_is_sent_again_once(
        make_networked_gateway) -> None:
    received: list[bytes] = []
    async with (raw_upstream(drops_second_request(received)) as upstream,
                make_networked_gateway(tickets_url=upstream.url) as gateway):
        await gateway.seed()
        headers = await gateway.headers("presales1")
        answers = [await gateway.client.get("/api/tickets/anything", headers=headers)
                   for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert received == [b"GET"] * 3  # the second read went again, on a new connection
    assert upstream.connections == 2


async def test_a_write_on_a_dropped_pooled_connection_is_not_sent_again(
        make_networked_gateway) -> None:
    received: list[bytes] = []
    async with (raw_upstream(drops_second_request(received)) as upstream,
                make_networked_gateway(tickets_url=upstream.url) as gateway):
        await gateway.seed()
        headers = await gateway.headers("presales1")
        first = await gateway.client.post("/api/tickets/tickets", json={}, headers=headers)
        second = await gateway.client.post("/api/tickets/tickets", json={}, headers=headers)
    assert first.status_code == 200
    assert second.status_code == 502
    assert second.json()["type"].endswith("/upstream-unavailable")
    assert received == [b"POST"] * 2  # the upstream may have applied it: never repeated


async def test_an_upstream_past_its_timeout_is_a_504_problem(make_networked_gateway) -> None:
    async def silent(number: int, reader: asyncio.StreamReader,
                     writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await reader.read()

    async with (raw_upstream(silent) as upstream,
                make_networked_gateway(tickets_url=upstream.url,
                                       upstream_timeout_s=0.3) as gateway):
        await gateway.seed()
        answer = await gateway.client.get("/api/tickets/anything",
                                          headers=await gateway.headers("presales1"))
    assert answer.status_code == 504
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/upstream-timeout")


def echo_service(seen: list[str]) -> FastAPI:
    """Answers what it received, with the status the query asks for."""
    app = FastAPI()

    @app.api_route("/echo/{rest:path}", methods=["GET", "POST"])
    async def echo(rest: str, request: Request) -> JSONResponse:
        seen.append(request.method)
        return JSONResponse({"method": request.method, "path": request.url.path,
                             "query": request.url.query, "body": (await request.body()).decode(),
                             "headers": dict(request.headers)},
                            status_code=int(request.query_params.get("status", "200")),
                            headers={"X-Upstream": "logistics"})

    return app


async def test_a_call_reaches_a_real_upstream_as_sent(make_networked_gateway, serve) -> None:
    seen: list[str] = []
    async with (serve(echo_service(seen)) as url,
                make_networked_gateway(logistics_url=url) as gateway):
        await gateway.seed()
        trace_id = secrets.token_hex(16)
        headers = {**await gateway.headers("aftersales1"), "X-Request-ID": "req-123",
                   "Content-Type": "application/json", "Connection": "keep-alive, X-Hop",
                   "X-Hop": "secret", "X-Forwarded-For": "1.2.3.4",
                   "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}
        body = json.dumps({"reason": "破损"}).encode()
        answer = await gateway.client.post(
            "/api/logistics/echo/rmas/R-1/refund?dry=1&q=%E9%9E%8B", content=body,
            headers=headers)
        missing = await gateway.client.get("/api/logistics/echo/x?status=404",
                                           headers=headers)
    assert answer.status_code == 200, answer.text
    echoed = answer.json()
    assert (echoed["method"], echoed["path"], echoed["query"]) == (
        "POST", "/echo/rmas/R-1/refund", "dry=1&q=%E9%9E%8B")
    assert json.loads(echoed["body"]) == {"reason": "破损"}
    sent = echoed["headers"]
    assert sent["authorization"] == headers["Authorization"]
    assert sent["x-request-id"] == "req-123"
    assert sent["x-forwarded-for"] == "1.2.3.4, 127.0.0.1"
    assert sent["content-length"] == str(len(body))
    assert sent["traceparent"].split("-")[1] == trace_id
    assert sent["traceparent"] != headers["traceparent"]  # the gateway's own span
    assert not {"x-hop", "keep-alive"} & sent.keys()
    assert answer.headers["x-upstream"] == "logistics"
    assert answer.headers["x-request-id"] == "req-123"
    assert missing.status_code == 404
    assert seen == ["POST", "GET"]
