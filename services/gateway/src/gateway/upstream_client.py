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
import functools
import ssl
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

import httptools
import httpx

NO_BODY_STATUSES = frozenset({204, 304})
READ_SIZE = 64 * 1024
Key = tuple[str, str, int]


class _Connection:
    """One open connection to an upstream, and when it was last given back to its pool."""

    __slots__ = ("closed", "idle_since", "key", "on_close", "reader", "writer")

    def __init__(self, key: Key, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 on_close: Callable[[Key], None]) -> None:
        self.key = key
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0
        self.on_close = on_close
        self.closed = False

    def usable(self, now: float, expiry_s: float) -> bool:
        return (now - self.idle_since < expiry_s and not self.reader.at_eof()
                and not self.writer.transport.is_closing())

    def close(self) -> None:
        self.writer.transport.abort()  # no goodbye owed on a connection we give up
        if not self.closed:
            self.closed = True
            self.on_close(self.key)


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
        self.parser: httptools.HttpResponseParser | None = httptools.HttpResponseParser(self)
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
        self.keep_alive = self.parser is not None and self.parser.should_keep_alive()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


Timeouts = dict[str, float | None]
"""connect, read, write (seconds or None), as `httpx.Timeout.as_dict()` gives them."""
Body = bytes | AsyncIterable[bytes] | None


class Origin:
    """Where an upstream is: its pool key, the `Host` header and the path before the route."""

    __slots__ = ("base_path", "host_header", "key")

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise httpx.UnsupportedProtocol(f"not an http(s) upstream: {base!r}")
        default = 443 if scheme == "https" else 80
        self.key: Key = (scheme, parts.hostname, parts.port or default)
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        self.host_header = (host if parts.port in (None, default)
                            else f"{host}:{parts.port}").encode("idna")
        self.base_path = parts.path.rstrip("/").encode("ascii")


@functools.lru_cache(maxsize=64)
def origin(base: str) -> Origin:
    return Origin(base)


class Answer:
    """An upstream's answer: status, raw headers as sent, and the body as it is read."""

    __slots__ = ("body", "headers", "reason", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], reason: bytes,
                 body: _Body) -> None:
        self.status = status
        self.headers = headers
        self.reason = reason
        self.body = body

    async def read(self) -> bytes:
        """The whole body (the connection goes back to its pool)."""
        return b"".join([chunk async for chunk in self.body])


class NativeTransport(httpx.AsyncBaseTransport):
    """Pooled HTTP/1.1 (http and https) to the upstreams; see the module's docstring."""

    def __init__(self, *, max_connections_per_host: int = 200, max_idle_per_host: int = 50,
                 idle_expiry_s: float = 4.0, ssl_context: ssl.SSLContext | None = None) -> None:
        self._idle: dict[Key, list[_Connection]] = {}
        self._open: dict[Key, int] = {}
        self._waiting: dict[Key, deque[asyncio.Future[None]]] = {}
        self._max_open = max_connections_per_host
        self._max_idle = max_idle_per_host
        self._expiry_s = idle_expiry_s
        self._ssl = ssl_context
        self._closed = False

    async def send(self, method: str, where: Origin, target: bytes,
                   headers: list[tuple[bytes, bytes]], body: Body, timeouts: Timeouts,
                   *, chunked: bool = False, host_given: bool = False) -> Answer:
        """Send one request and read the answer's head; the body is read as `Answer.body` is
        iterated. `headers` come without `Host` (from `where`) unless `host_given`; a body
        that is not `bytes` goes chunked when `chunked`, else as its `Content-Length` says."""
        connection = self._pooled(where.key) or await self._new_connection(where.key, timeouts)
        try:
            await self._send(connection, method, None if host_given else where.host_header,
                             target, headers, body, timeouts.get("write"), chunked)
            return await self._receive(connection, method, timeouts.get("read"))
        except BaseException:
            connection.close()
            raise

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The same, for `httpx.AsyncClient` and any caller holding an `httpx.Request`."""
        url = request.url
        if url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {url.scheme!r}",
                                            request=request)
        where = origin(f"{url.scheme}://{url.netloc.decode('ascii')}")
        headers = request.headers.raw  # Host included
        chunked = any(name.lower() == b"transfer-encoding" and value.lower() == b"chunked"
                      for name, value in headers)
        stream = request.stream
        body: Body = (bytes(stream._stream) if isinstance(stream, httpx.ByteStream)
                      else stream)  # type: ignore[assignment]
        try:
            answer = await self.send(request.method, where, url.raw_path, headers, body,
                                     request.extensions.get("timeout", {}), chunked=chunked,
                                     host_given=True)
        except httpx.RequestError as exc:
            exc.request = request
            raise
        return httpx.Response(answer.status, headers=answer.headers, stream=answer.body,
                              extensions={"http_version": b"HTTP/1.1",
                                          "reason_phrase": answer.reason})

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
        self._wake(connection.key)

    def _closed_one(self, key: Key) -> None:
        self._open[key] -= 1
        self._wake(key)

    def _wake(self, key: Key) -> None:
        """A connection was given back or closed: the first caller waiting for one retries."""
        waiting = self._waiting.get(key)
        while waiting:
            future = waiting.popleft()
            if not future.done():
                future.set_result(None)
                return

    async def _new_connection(self, key: Key, timeouts: Timeouts) -> _Connection:
        """A new connection, once fewer than `max_connections_per_host` are open (waiting
        up to the `pool` timeout, for a connection given back or one fewer open)."""
        if self._open.get(key, 0) >= self._max_open:
            try:
                async with asyncio.timeout(timeouts.get("pool")):
                    while self._open.get(key, 0) >= self._max_open:
                        future = asyncio.get_running_loop().create_future()
                        self._waiting.setdefault(key, deque()).append(future)
                        await future
                        pooled = self._pooled(key)
                        if pooled is not None:
                            return pooled
            except TimeoutError:
                raise httpx.PoolTimeout("no upstream connection free in time") from None
        self._open[key] = self._open.get(key, 0) + 1
        try:
            return await self._connect(key, timeouts)
        except BaseException:
            self._closed_one(key)
            raise

    async def _connect(self, key: Key, timeouts: Timeouts) -> _Connection:
        scheme, host, port = key
        tls: dict[str, Any] = {}
        if scheme == "https":
            tls = {"ssl": self._ssl or ssl.create_default_context(), "server_hostname": host}
        try:
            async with asyncio.timeout(timeouts.get("connect")):
                reader, writer = await asyncio.open_connection(host, port, limit=READ_SIZE,
                                                               **tls)
        except TimeoutError:
            raise httpx.ConnectTimeout("connect timed out") from None
        except OSError as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return _Connection(key, reader, writer, self._closed_one)

    async def _send(self, connection: _Connection, method: str, host: bytes | None,
                    target: bytes,
                    headers: list[tuple[bytes, bytes]], body: Body, wait_s: float | None,
                    chunked: bool) -> None:
        head = [b"%s %s HTTP/1.1\r\n" % (method.encode("ascii"), target)]
        if host is not None:
            head.append(b"Host: %s\r\n" % host)
        head += [b"%s: %s\r\n" % pair for pair in headers]
        head.append(b"\r\n")
        writer = connection.writer
        try:
            writer.write(b"".join(head))
            if isinstance(body, bytes):
                if body:
                    writer.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if chunked
                                 else body)
            elif body is not None:
                async for chunk in body:
                    if chunk:
                        writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked
                                     else chunk)
                        async with asyncio.timeout(wait_s):
                            await writer.drain()
                if chunked:
                    writer.write(b"0\r\n\r\n")
            async with asyncio.timeout(wait_s):
                await writer.drain()
        except TimeoutError:
            raise httpx.WriteTimeout("write timed out") from None
        except OSError as exc:
            raise httpx.WriteError(str(exc) or type(exc).__name__) from exc

    async def _receive(self, connection: _Connection, method: str, wait_s: float | None
                       ) -> Answer:
        while True:
            state = _Response()
            parser = state.parser
            assert parser is not None
            while not state.head_done:
                data = await _read(connection, wait_s)
                if not data:
                    raise httpx.RemoteProtocolError(
                        "Server disconnected without sending a response.")
                _feed(parser, data)
            status = parser.get_status_code()
            if 100 <= status < 200 and status != 101:  # informational: the answer follows
                continue
            break
        if method == "HEAD" or status in NO_BODY_STATUSES or status < 200:
            state.complete = True
            until_close = False
        else:
            until_close = not any(name.lower() in (b"content-length", b"transfer-encoding")
                                  for name, _ in state.headers)
        keep_alive = state.keep_alive and not until_close
        body = _Body(self, connection, state, wait_s, keep_alive, until_close)
        if state.complete:
            body.finish()
        return Answer(status, state.headers, state.reason, body)


class _Body(httpx.AsyncByteStream):
    """The response body as it is read; the connection goes back to its pool at its end."""

    def __init__(self, transport: NativeTransport, connection: _Connection, state: _Response,
                 wait_s: float | None, keep_alive: bool, until_close: bool) -> None:
        self._transport = transport
        self._connection: _Connection | None = connection
        self._state = state
        self._wait_s = wait_s
        self._keep_alive = keep_alive
        self._until_close = until_close

    def finish(self) -> None:
        """The response was read to its end: pool or close the connection."""
        connection, self._connection = self._connection, None
        self._state.parser = None  # parser and callbacks refer to each other: not left to the GC
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
                data = await _read(self._connection, self._wait_s)
                if not data:
                    if not self._until_close:  # a declared length or chunks never finished
                        raise httpx.RemoteProtocolError("peer closed connection without "
                                                        "sending complete message body")
                    state.complete = True  # a body delimited by the connection's close
                    break
                _feed(state.parser, data)  # type: ignore[arg-type]  # set until the end
        except BaseException:
            await self.aclose()
            raise
        self.finish()

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        self._state.parser = None
        if connection is not None:
            if self._state.complete and self._keep_alive and not self._state.extra:
                self._transport._release(connection)
            else:
                connection.close()


async def _read(connection: _Connection, wait_s: float | None) -> bytes:
    try:
        async with asyncio.timeout(wait_s):
            return await connection.reader.read(READ_SIZE)
    except TimeoutError:
        raise httpx.ReadTimeout("read timed out") from None
    except OSError as exc:
        raise httpx.ReadError(str(exc) or type(exc).__name__) from exc


def _feed(parser: httptools.HttpResponseParser, data: bytes) -> None:
    try:
        parser.feed_data(data)
    except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
        raise httpx.RemoteProtocolError(f"invalid response: {exc!r}") from exc
