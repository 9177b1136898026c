"""Forwarding one staff request to an upstream service and its answer back, unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import structlog
from fastapi import Request, Response
from starlette.datastructures import Headers

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


def upstream_url(base: str, request: Request) -> httpx.URL:
    """The upstream URL: `base` + the path after `/api/<service>`, still percent-encoded."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    parts = raw_path.decode("latin-1").split("/", 3)  # "", "api", service, rest
    tail = "/" + (parts[3] if len(parts) > 3 else "")
    return httpx.URL(base + tail).copy_with(query=request.url.query.encode("latin-1") or None)


def _connection_tokens(headers: Headers | httpx.Headers) -> set[str]:
    """Header names listed in `Connection` are hop-by-hop too (RFC 9110 §7.6.1)."""
    values = headers.get_list("connection") if isinstance(headers, httpx.Headers) else (
        headers.getlist("connection"))
    return {token.strip().lower() for value in values for token in value.split(",")}


def request_headers(request: Request) -> list[tuple[str, str]]:
    """End-to-end headers of the staff request, with the gateway's request ids."""
    drop = HOP_BY_HOP | REQUEST_SET_HERE | _connection_tokens(request.headers)
    headers = [(k, v) for k, v in request.headers.items() if k.lower() not in drop]
    client = request.client.host if request.client else ""
    forwarded_for = ", ".join(filter(None, [request.headers.get("x-forwarded-for"), client]))
    headers = [(k, v) for k, v in headers if k.lower() != "x-forwarded-for"]
    headers += [
        (REQUEST_ID_HEADER, request.state.request_id),
        (CORRELATION_HEADER, request.state.correlation_id),
        ("X-Forwarded-Proto", request.url.scheme),
    ]
    if forwarded_for:
        headers.append(("X-Forwarded-For", forwarded_for))
    return headers


def response_headers(upstream: httpx.Response) -> list[tuple[bytes, bytes]]:
    """End-to-end headers of the upstream answer (repeated ones such as Set-Cookie kept)."""
    drop = HOP_BY_HOP | RESPONSE_SET_HERE | _connection_tokens(upstream.headers)
    return [(k.encode("latin-1"), v.encode("latin-1"))
            for k, v in upstream.headers.multi_items() if k.lower() not in drop]


def _streamed_body(request: Request, headers: list[tuple[str, str]]
                   ) -> AsyncIterator[bytes] | None:
    """The request body, streamed upstream as it arrives, or None when there is none.

    Never read whole here: the size limits cut the stream off at `MAX_BODY_BYTES`. A declared
    length (already checked against the limit) goes upstream as is; otherwise it is chunked.
    """
    length = request.headers.get("content-length")
    if length is not None:
        headers.append(("Content-Length", length))
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
    next staff member's request, and would add its own default headers.

    Retries: a GET, HEAD or OPTIONS without a body whose connection fails (refused, reset,
    closed before an answer: a pooled connection the service had just closed, a replica going
    away) is sent again, up to `read_retries` times. Nothing else is ever retried: a POST, PUT,
    PATCH or DELETE may have been applied before its connection broke, so repeating it is the
    caller's decision (with its Idempotency-Key). A timeout is not retried either.
    """
    headers = request_headers(request)
    content = _streamed_body(request, headers)
    retries = read_retries if request.method in RETRIED_METHODS and content is None else 0
    url = upstream_url(base, request)
    for attempt in range(retries + 1):
        outgoing = httpx.Request(request.method, url, headers=headers, content=content,
                                 extensions={"timeout": timeouts.as_dict()})
        inject(outgoing.headers)  # the upstream call continues this request's trace
        try:
            upstream = await transport.handle_async_request(outgoing)
            try:
                body = b"".join([chunk async for chunk in upstream.aiter_raw()])
            finally:
                await upstream.aclose()
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
    response = Response(content=body, status_code=upstream.status_code)
    response.raw_headers.extend(response_headers(upstream))
    return response
