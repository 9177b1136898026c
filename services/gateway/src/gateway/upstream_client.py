"""The gateway's own HTTP/1.1 client for its upstreams: an httpx transport on asyncio streams.

`UPSTREAM_CLIENT=native` (the default) sends the proxied calls, the schema fetches and the
readiness checks through `NativeTransport`; `httpx` keeps httpx's own pooled transport. Both
take the same `httpx.Request` and give the same `httpx.Response`, so `forwarding.forward` and
the `httpx.AsyncClient` built on the pool do not know which one runs (tests that serve the
upstreams in process inject an httpx transport of their own and use neither).

Why: with httpx and httpcore a proxied read cost the gateway about 1 ms of CPU, most of it in
httpcore's connection pool (it scans every connection twice per request and polls idle
sockets) and in h11. Here a pool is one list of idle connections per upstream (host, port),
taken last-in first-out, and responses are parsed by httptools (the C parser the servers use).

Behaviour, as httpx's transport had it with `retries=0`:
- keep-alive: a connection goes back to its pool once its response was read to the end and
  neither side asked to close it; one idle longer than `idle_expiry_s` (below uvicorn's 5 s
  keep-alive) or closed by the upstream meanwhile is dropped, never sent on.
- bodies: a request body (an async stream) is written as it arrives, with its declared
  `Content-Length` or chunked; a response body (content-length, chunked, or until the
  connection closes) is read as the caller iterates it.
- timeouts: the request's `timeout` extension (connect, read, write), each bounding one wait,
  raise `httpx.ConnectTimeout`, `ReadTimeout`, `WriteTimeout`; a connection that fails raises
  `httpx.ConnectError`, `ReadError`, `WriteError` or `RemoteProtocolError`. No request is ever
  sent twice here: retrying an idempotent read is `forward`'s decision (`UPSTREAM_READ_RETRIES`).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator
from typing import Any

import httptools
import httpx

NO_BODY_STATUSES = frozenset({204, 304})
READ_SIZE = 64 * 1024
Key = tuple[str, str, int]


class _Connection:
    """One open connection to an upstream, and when it was last given back to its pool."""

    __slots__ = ("idle_since", "key", "reader", "writer")

    def __init__(self, key: Key, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.key = key
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0

    def usable(self, now: float, expiry_s: float) -> bool:
        return (now - self.idle_since < expiry_s and not self.reader.at_eof()
                and not self.writer.transport.is_closing())

    def close(self) -> None:
        self.writer.transport.abort()  # no goodbye owed on a connection we give up


class _Response:
    """httptools callbacks for one response: its head, then body chunks as they are parsed."""

    __slots__ = (
        "chunks",
        "complete",
        "extra",
        "head_done",
        "headers",
        "keep_alive",
        "parser",
        "reason",
    )

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.headers: list[tuple[bytes, bytes]] = []
        self.reason = b""
        self.chunks: list[bytes] = []
        self.head_done = False
        self.keep_alive = False  # read at the end of the head: the parser forgets it later
        self.complete = False
        self.extra = False  # bytes after the end of the response: the connection is not reused

    def on_message_begin(self) -> None:
        if self.complete:
            self.extra = True

    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.head_done = True
        self.keep_alive = self.parser.should_keep_alive()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


def _timeout(request: httpx.Request, name: str) -> float | None:
    return request.extensions.get("timeout", {}).get(name)


class NativeTransport(httpx.AsyncBaseTransport):
    """Pooled HTTP/1.1 (http and https) to the upstreams; see the module's docstring."""

    def __init__(self, *, max_idle_per_host: int = 50, idle_expiry_s: float = 4.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self._idle: dict[Key, list[_Connection]] = {}
        self._max_idle = max_idle_per_host
        self._expiry_s = idle_expiry_s
        self._ssl = ssl_context
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {scheme!r}", request=request)
        key = (scheme, url.host, url.port or (443 if scheme == "https" else 80))
        connection = self._pooled(key) or await self._connect(key, request)
        try:
            await self._send(connection, request)
            return await self._receive(connection, request)
        except BaseException:
            connection.close()
            raise

    async def aclose(self) -> None:
        self._closed = True
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    def _pooled(self, key: Key) -> _Connection | None:
        idle = self._idle.get(key)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if connection.usable(now, self._expiry_s):
                return connection
            connection.close()
        return None

    def _release(self, connection: _Connection) -> None:
        idle = self._idle.setdefault(connection.key, [])
        if self._closed or len(idle) >= self._max_idle:
            connection.close()
            return
        connection.idle_since = time.monotonic()
        idle.append(connection)

    async def _connect(self, key: Key, request: httpx.Request) -> _Connection:
        scheme, host, port = key
        tls: dict[str, Any] = {}
        if scheme == "https":
            tls = {"ssl": self._ssl or ssl.create_default_context(), "server_hostname": host}
        try:
            async with asyncio.timeout(_timeout(request, "connect")):
                reader, writer = await asyncio.open_connection(host, port, limit=READ_SIZE,
                                                               **tls)
        except TimeoutError:
            raise httpx.ConnectTimeout("connect timed out", request=request) from None
        except OSError as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
        return _Connection(key, reader, writer)

    async def _send(self, connection: _Connection, request: httpx.Request) -> None:
        url = request.url
        lines = [b"%s %s HTTP/1.1\r\n" % (request.method.encode("ascii"), url.raw_path)]
        chunked = False
        for name, value in request.headers.raw:
            lines.append(b"%s: %s\r\n" % (name, value))
            if name.lower() == b"transfer-encoding" and value.lower() == b"chunked":
                chunked = True
        lines.append(b"\r\n")
        writer = connection.writer
        timeout = _timeout(request, "write")
        try:
            writer.write(b"".join(lines))
            stream = request.stream
            if isinstance(stream, httpx.ByteStream):  # content given whole (or none)
                body = bytes(stream._stream)
                if body:
                    writer.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if chunked
                                 else body)
            else:
                async for chunk in stream:  # type: ignore[union-attr]
                    if chunk:
                        writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked
                                     else chunk)
                        async with asyncio.timeout(timeout):
                            await writer.drain()
                if chunked:
                    writer.write(b"0\r\n\r\n")
            async with asyncio.timeout(timeout):
                await writer.drain()
        except TimeoutError:
            raise httpx.WriteTimeout("write timed out", request=request) from None
        except OSError as exc:
            raise httpx.WriteError(str(exc) or type(exc).__name__, request=request) from exc

    async def _receive(self, connection: _Connection, request: httpx.Request) -> httpx.Response:
        timeout = _timeout(request, "read")
        while True:
            state = _Response()
            parser = state.parser
            while not state.head_done:
                data = await _read(connection, request, timeout)
                if not data:
                    raise httpx.RemoteProtocolError(
                        "Server disconnected without sending a response.", request=request)
                _feed(parser, data, request)
            status = parser.get_status_code()
            if 100 <= status < 200 and status != 101:  # informational: the answer follows
                continue
            break
        if request.method == "HEAD" or status in NO_BODY_STATUSES or status < 200:
            state.complete = True
            until_close = False
        else:
            names = {name.lower() for name, _ in state.headers}
            until_close = b"content-length" not in names and b"transfer-encoding" not in names
        keep_alive = state.keep_alive and not until_close
        body = _Body(self, connection, parser, state, request, timeout, keep_alive, until_close)
        if state.complete:
            body.finish()
        return httpx.Response(
            status, headers=state.headers, stream=body,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": state.reason})


class _Body(httpx.AsyncByteStream):
    """The response body as it is read; the connection goes back to its pool at its end."""

    def __init__(self, transport: NativeTransport, connection: _Connection,
                 parser: httptools.HttpResponseParser, state: _Response,
                 request: httpx.Request, timeout: float | None, keep_alive: bool,
                 until_close: bool) -> None:
        self._transport = transport
        self._connection: _Connection | None = connection
        self._parser = parser
        self._state = state
        self._request = request
        self._timeout = timeout
        self._keep_alive = keep_alive
        self._until_close = until_close

    def finish(self) -> None:
        """The response was read to its end: pool or close the connection."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._keep_alive and not self._state.extra:
            self._transport._release(connection)
        else:
            connection.close()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        state = self._state
        try:
            while True:
                if state.chunks:
                    chunks, state.chunks = state.chunks, []
                    for chunk in chunks:
                        yield chunk
                if state.complete or self._connection is None:
                    break
                data = await _read(self._connection, self._request, self._timeout)
                if not data:
                    if not self._until_close:  # a declared length or chunks never finished
                        raise httpx.RemoteProtocolError("peer closed connection without "
                                                        "sending complete message body",
                                                        request=self._request)
                    state.complete = True  # a body delimited by the connection's close
                    break
                _feed(self._parser, data, self._request)
        except BaseException:
            await self.aclose()
            raise
        self.finish()

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            if self._state.complete and self._keep_alive and not self._state.extra:
                self._transport._release(connection)
            else:
                connection.close()


async def _read(connection: _Connection, request: httpx.Request, wait_s: float | None) -> bytes:
    try:
        async with asyncio.timeout(wait_s):
            return await connection.reader.read(READ_SIZE)
    except TimeoutError:
        raise httpx.ReadTimeout("read timed out", request=request) from None
    except OSError as exc:
        raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc


def _feed(parser: httptools.HttpResponseParser, data: bytes, request: httpx.Request) -> None:
    try:
        parser.feed_data(data)
    except httptools.HttpParserError as exc:
        raise httpx.RemoteProtocolError(f"invalid response: {exc}", request=request) from exc
