"""Forwarding one staff request to an upstream service and its answer back, unchanged."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import structlog
from fastapi import Request, Response

from gateway.upstream_client import NativeTransport, origin
from ops_shared.observability import inject
from ops_shared.web import CORRELATION_HEADER, REQUEST_ID_HEADER, Problem

log = structlog.get_logger(__name__)
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "te", "trailer", "trailers", "transfer-encoding", "upgrade",
})
# Set by the gateway itself (request ids) or recomputed by the HTTP client / server.
REQUEST_SET_HERE = frozenset({"host", "content-length", REQUEST_ID_HEADER.lower(),
                              CORRELATION_HEADER.lower(), "x-forwarded-proto"})
RETRIED_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Idempotent reads: the only requests sent again when their upstream connection fails."""
# The gateway's own HTTP server writes `server` and `date`: the upstream's would be doubled.
RESPONSE_SET_HERE = frozenset({"content-length", "server", "date", REQUEST_ID_HEADER.lower(),
                               CORRELATION_HEADER.lower()})
HOP_BY_HOP_RAW = frozenset(name.encode() for name in HOP_BY_HOP)
REQUEST_SET_HERE_RAW = frozenset(name.encode() for name in REQUEST_SET_HERE)
RESPONSE_SET_HERE_RAW = frozenset(name.encode() for name in RESPONSE_SET_HERE)
REQUEST_ID_RAW = REQUEST_ID_HEADER.encode()
CORRELATION_RAW = CORRELATION_HEADER.encode()
PLAIN_TARGET = re.compile(rb"/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*")
"""A request target made of characters that need no encoding (RFC 3986 pchar, `/`, `?`)."""


def upstream_url(base: str, request: Request) -> httpx.URL:
    """The upstream URL: `base` + the path after `/api/<service>`, still percent-encoded."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    parts = raw_path.decode("latin-1").split("/", 3)  # "", "api", service, rest
    tail = "/" + (parts[3] if len(parts) > 3 else "")
    return httpx.URL(base + tail).copy_with(query=request.url.query.encode("latin-1") or None)


def upstream_target(base: str, request: Request) -> bytes:
    """`upstream_url`'s path and query, as the request line carries them: the received bytes
    as they are when they are plainly encoded (always, from a normal client), else what httpx
    makes of them (dot segments removed, other bytes percent-encoded)."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    parts = raw_path.split(b"/", 3)
    tail = b"/" + (parts[3] if len(parts) > 3 else b"")
    query = request.scope.get("query_string", b"")
    target = origin(base).base_path + tail + (b"?" + query if query else b"")
    if PLAIN_TARGET.fullmatch(target) and b"/." not in target:
        return target
    return upstream_url(base, request).raw_path


def _connection_tokens(values: list[bytes]) -> set[bytes]:
    """Header names listed in `Connection` are hop-by-hop too (RFC 9110 §7.6.1)."""
    return {token.strip().lower() for value in values for token in value.split(b",")}


def raw_request_headers(request: Request) -> list[tuple[bytes, bytes]]:
    """End-to-end headers of the staff request (names in lower case, as the server gives
    them), with the gateway's request ids."""
    received: list[tuple[bytes, bytes]] = request.scope["headers"]
    drop = HOP_BY_HOP_RAW | REQUEST_SET_HERE_RAW | _connection_tokens(
        [value for name, value in received if name == b"connection"])
    headers = [(k, v) for k, v in received if k not in drop and k != b"x-forwarded-for"]
    client = request.scope.get("client")
    forwarded_for = b", ".join(filter(None, [
        next((v for k, v in received if k == b"x-forwarded-for"), None),
        client[0].encode("latin-1") if client else b""]))
    state = request.state
    headers += [
        (REQUEST_ID_RAW, state.request_id.encode("latin-1")),
        (CORRELATION_RAW, state.correlation_id.encode("latin-1")),
        (b"X-Forwarded-Proto", request.scope.get("scheme", "http").encode("latin-1")),
    ]
    if forwarded_for:
        headers.append((b"X-Forwarded-For", forwarded_for))
    return headers


def request_headers(request: Request) -> list[tuple[str, str]]:
    """`raw_request_headers` as text."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw_request_headers(request)]


def raw_response_headers(received: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """End-to-end headers of the upstream answer (repeated ones such as Set-Cookie kept)."""
    named = [(k.lower(), v) for k, v in received]
    drop = HOP_BY_HOP_RAW | RESPONSE_SET_HERE_RAW | _connection_tokens(
        [value for name, value in named if name == b"connection"])
    return [(k, v) for k, v in named if k not in drop]


def response_headers(upstream: httpx.Response) -> list[tuple[bytes, bytes]]:
    return raw_response_headers(upstream.headers.raw)


def _streamed_body(request: Request, headers: list[tuple[bytes, bytes]]
                   ) -> AsyncIterator[bytes] | None:
    """The request body, streamed upstream as it arrives, or None when there is none.

    Never read whole here: the size limits cut the stream off at `MAX_BODY_BYTES`. A declared
    length (already checked against the limit) goes upstream as is; otherwise it is chunked.
    """
    length = request.headers.get("content-length")
    if length is not None:
        headers.append((b"Content-Length", length.encode("latin-1")))
        return request.stream()
    return request.stream() if "transfer-encoding" in request.headers else None


async def forward(transport: httpx.AsyncBaseTransport, request: Request, service: str,
                  base: str, *, timeouts: httpx.Timeout, read_retries: int = 0) -> Response:
    """Send the request upstream and answer with its status, headers and body.

    Every upstream status passes through unchanged with its end-to-end headers: a 503 with
    `Retry-After` (a service that cannot get a transaction through) reaches the caller as is.
    Only an upstream that cannot be reached (502) or does not answer within
    `UPSTREAM_TIMEOUT_S` (504) gets a problem written by the gateway.

    The request goes straight to the pooled transport, not through an `httpx.AsyncClient`: a
    client would keep the upstreams' `Set-Cookie` in its one jar and send them along with the
    next staff member's request, and would add its own default headers. The gateway's own
    client (`NativeTransport`) is called without building httpx's request and response.

    Retries: a GET, HEAD or OPTIONS without a body whose connection fails (refused, reset,
    closed before an answer: a pooled connection the service had just closed, a replica going
    away) is sent again, up to `read_retries` times. Nothing else is ever retried: a POST, PUT,
    PATCH or DELETE may have been applied before its connection broke, so repeating it is the
    caller's decision (with its Idempotency-Key). A timeout is not retried either.
    """
    headers = raw_request_headers(request)
    content = _streamed_body(request, headers)
    chunked = content is not None and request.headers.get("content-length") is None
    retries = read_retries if request.method in RETRIED_METHODS and content is None else 0
    trace: dict[str, str] = {}
    inject(trace)  # the upstream call continues this request's trace
    if trace:  # in place of the caller's own `traceparent` / `tracestate`
        replaced = {k.lower().encode("latin-1") for k in trace}
        headers = [(k, v) for k, v in headers if k.lower() not in replaced]
        headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in trace.items()]
    exchange = _native if isinstance(transport, NativeTransport) else _through_httpx
    for attempt in range(retries + 1):
        try:
            status, received, body = await exchange(transport, request, base, headers,
                                                    content, chunked, timeouts)
            break
        except httpx.TimeoutException as exc:
            log.warning("proxy.upstream_timeout", service=service, error=type(exc).__name__)
            raise Problem(504, "upstream-timeout", "Upstream timed out",
                          f"The {service} service did not answer in time.",
                          service=service) from None
        except httpx.TransportError as exc:
            if attempt < retries:
                log.info("proxy.upstream_retry", service=service, method=request.method,
                         error=type(exc).__name__, attempt=attempt + 1)
                continue
            log.warning("proxy.upstream_unavailable", service=service, error=type(exc).__name__)
            raise Problem(502, "upstream-unavailable", "Upstream unavailable",
                          f"The {service} service could not be reached.",
                          service=service) from None
    response = Response(content=body, status_code=status)
    response.raw_headers.extend(raw_response_headers(received))
    return response


Exchanged = tuple[int, list[tuple[bytes, bytes]], bytes]


async def _native(transport: NativeTransport, request: Request, base: str,
                  headers: list[tuple[bytes, bytes]], content: AsyncIterator[bytes] | None,
                  chunked: bool, timeouts: httpx.Timeout) -> Exchanged:
    if chunked:  # httpx adds this itself for a body of unknown length
        headers = [*headers, (b"Transfer-Encoding", b"chunked")]
    answer = await transport.send(request.method, origin(base), upstream_target(base, request),
                                  headers, content, timeouts.as_dict(), chunked=chunked)
    return answer.status, answer.headers, await answer.read()


async def _through_httpx(transport: httpx.AsyncBaseTransport, request: Request, base: str,
                         headers: list[tuple[bytes, bytes]],
                         content: AsyncIterator[bytes] | None, chunked: bool,
                         timeouts: httpx.Timeout) -> Exchanged:
    outgoing = httpx.Request(request.method, upstream_url(base, request), headers=headers,
                             content=content, extensions={"timeout": timeouts.as_dict()})
    upstream = await transport.handle_async_request(outgoing)
    try:
        body = b"".join([chunk async for chunk in upstream.aiter_raw()])
    finally:
        await upstream.aclose()
    return upstream.status_code, upstream.headers.raw, body
