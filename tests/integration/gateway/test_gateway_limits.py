"""Bounded requests (issue 7, items 1 and 6): an over-long path is 414, oversized headers 431,
a body over `MAX_BODY_BYTES` 413, refused before the body is read, the token checked or the
upstream reached; bodies within the limit are streamed upstream intact."""

from __future__ import annotations

import asyncio
import json

import pytest
from upload_counter import CHUNK, MIB, CountingBody

from support.problems import assert_problem

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"



async def test_a_15000_character_path_is_414_before_the_token_check(gateway) -> None:
    answer = await gateway.client.get("/api/tickets/echo/" + "a" * 15_000)
    problem = assert_problem(answer, 414, "uri-too-long")
    assert "instance" not in problem  # the path is not echoed back
    assert answer.headers["connection"] == "close"
    assert answer.headers["x-request-id"]
    assert gateway.upstreams.seen["tickets"].requests == []


async def test_oversized_headers_are_431(gateway) -> None:
    answer = await gateway.client.get("/auth/me", headers={"X-Filler": "x" * 20_000})
    assert_problem(answer, 431, "headers-too-large")


async def test_a_body_over_the_limit_is_413_on_every_route(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("aftersales1")
    too_big = b"x" * (MIB + 1)
    for path in ("/api/tickets/echo/rmas", "/admin/accounts", "/auth/token"):
        answer = await gateway.client.post(path, content=too_big, headers=headers)
        problem = assert_problem(answer, 413, "content-too-large")
        assert problem["limit_bytes"] == MIB
    assert gateway.upstreams.seen["tickets"].requests == []


async def test_a_declared_50_mb_body_is_refused_without_reading_any_of_it(gateway) -> None:
    await gateway.seed()
    body = CountingBody(50 * MIB)
    headers = {**await gateway.headers("aftersales1"), "Content-Length": str(50 * MIB)}
    answer = await gateway.client.post("/api/tickets/echo/upload", content=body,
                                       headers=headers)
    assert_problem(answer, 413, "content-too-large")
    assert body.taken == 0
    assert gateway.upstreams.seen["tickets"].requests == []


@pytest.mark.parametrize("path", ["/api/tickets/echo/upload", "/auth/token"])
async def test_a_chunked_50_mb_body_is_cut_off_at_the_limit(gateway, path: str) -> None:
    await gateway.seed()
    body = CountingBody(50 * MIB)
    answer = await gateway.client.post(path, content=body,
                                       headers=await gateway.headers("aftersales1"))
    assert_problem(answer, 413, "content-too-large")
    assert body.taken <= MIB + CHUNK  # read up to the limit and one chunk past it, no further
    assert gateway.upstreams.seen["tickets"].requests == []


async def test_a_malformed_content_length_is_400(gateway) -> None:
    answer = await gateway.client.post("/auth/token", content=b"{}",
                                       headers={"Content-Length": "2, 2"})
    assert_problem(answer, 400, "invalid-content-length")


async def test_the_limit_comes_from_settings(make_gateway) -> None:
    async with make_gateway(max_body_bytes=2048) as small:
        answer = await small.client.post("/auth/token", content=b" " * 2049,
                                         headers={"Content-Type": "application/json"})
        assert assert_problem(answer, 413, "content-too-large")["limit_bytes"] == 2048


async def test_bodies_within_the_limit_reach_the_upstream_intact(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("aftersales1")
    text = "破" * (300 * 1024)  # 900 KiB of UTF-8
    declared = await gateway.client.post("/api/hr/echo/a", content=text.encode(),
                                         headers=headers)
    assert declared.status_code == 200, declared.text
    assert declared.json()["body"] == text
    assert declared.json()["headers"]["content-length"] == str(len(text.encode()))
    chunked = await gateway.client.post("/api/hr/echo/b", content=CountingBody(MIB),
                                        headers=headers)
    assert chunked.status_code == 200, chunked.text
    assert len(chunked.json()["body"]) == MIB
    assert chunked.json()["headers"]["transfer-encoding"] == "chunked"
    without = await gateway.client.get("/api/hr/echo/c", headers=headers)
    assert not {"content-length", "transfer-encoding"} & without.json()["headers"].keys()


async def _raw_exchange(url: str, sent: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to a served app; the answer's status, headers and body."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(sent)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers, body
    finally:
        writer.close()


async def test_over_the_wire_the_refusals_come_before_the_body(serve_gateway) -> None:
    async with serve_gateway() as url:
        # A 50 MB body announced, a kilobyte of it sent: the 413 answers the head alone.
        head = (f"POST /api/tickets/echo/upload HTTP/1.1\r\nHost: gw\r\n"
                f"Content-Type: application/json\r\nContent-Length: {50 * MIB}\r\n\r\n")
        status, headers, body = await _raw_exchange(url, head.encode() + b"x" * 1024)
        assert (status, headers["content-type"]) == (413, PROBLEM)
        assert json.loads(body)["type"].endswith("/content-too-large")
        assert headers["connection"] == "close"
        # The server's own head limit sits above the gateway's, so these are problems too.
        long_path = f"GET /api/tickets/{'a' * 15_000} HTTP/1.1\r\nHost: gw\r\n\r\n"
        status, headers, _ = await _raw_exchange(url, long_path.encode())
        assert (status, headers["content-type"]) == (414, PROBLEM)
        filler = f"GET /healthz HTTP/1.1\r\nHost: gw\r\nX-Filler: {'x' * 20_000}\r\n\r\n"
        status, headers, _ = await _raw_exchange(url, filler.encode())
        assert (status, headers["content-type"]) == (431, PROBLEM)


async def test_the_servers_own_bound_on_a_request_head_holds_under_httptools(serve_gateway
                                                                             ) -> None:
    """uvicorn bounds a head only under h11; the production server (uvloop + httptools) has
    the same bound: a head past it is a plain 400 and a closed connection, never a request."""
    async with serve_gateway() as url:
        huge = f"GET /healthz HTTP/1.1\r\nHost: gw\r\nX-Filler: {'x' * 60_000}\r\n\r\n"
        status, headers, body = await _raw_exchange(url, huge.encode())
        assert (status, headers["connection"]) == (400, "close")
        assert body == b"Invalid HTTP request received."
        # Sent a little at a time, a head that never ends is cut off at the bound too.
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: gw\r\n")
            for _ in range(100):  # 100 x 1 KB > the bound (about 25 KB)
                writer.write(b"X-More: " + b"y" * 1000 + b"\r\n")
                await writer.drain()
                if writer.is_closing() or reader.at_eof():
                    break
            answer = await asyncio.wait_for(reader.read(), timeout=30)  # until closed
        except ConnectionError:
            answer = b"HTTP/1.1 400 (reset after the answer)"
        finally:
            writer.close()
        assert answer.startswith(b"HTTP/1.1 400"), answer[:100]
        # Within the bound, the same connection-less requests are served as usual.
        status, _, _ = await _raw_exchange(url, b"GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n")
        assert status == 200

