"""What goes upstream: the path after the prefix, the query, end-to-end headers only."""

from __future__ import annotations

import httpx
from starlette.requests import Request

from gateway.forwarding import request_headers, response_headers, upstream_target, upstream_url


def _request(raw_path: bytes, query: bytes = b"", headers: list[tuple[bytes, bytes]] = ()
             ) -> Request:
    return Request({
        "type": "http", "method": "GET", "scheme": "https", "server": ("gw", 443),
        "path": raw_path.decode(), "raw_path": raw_path, "query_string": query,
        "headers": list(headers), "client": ("10.0.0.7", 5000),
        "state": {"request_id": "req-1", "correlation_id": "corr-1"},
    })


def test_the_path_after_the_service_prefix_goes_to_the_upstream_still_encoded() -> None:
    url = upstream_url("http://tickets:8001", _request(b"/api/tickets/a%2Fb/c", b"q=%E9%9E%8B"))
    assert str(url) == "http://tickets:8001/a%2Fb/c?q=%E9%9E%8B"
    assert str(upstream_url("http://t:1", _request(b"/api/tickets/"))) == "http://t:1/"


def test_the_native_clients_target_is_the_same_as_the_upstream_urls() -> None:
    for base, raw, query in [
        ("http://tickets:8001", b"/api/tickets/a%2Fb/c", b"q=%E9%9E%8B&x=1"),
        ("http://tickets:8001/v1/", b"/api/tickets/t/7", b""),
        ("http://t:1", b"/api/tickets/", b""),
        ("http://t:1", b"/api/tickets/a/../../x", b"y=.."),  # dot segments: removed as httpx does
        ("http://t:1", b"/api/tickets/a b", b"q=c d"),  # not plainly encoded: as httpx encodes
    ]:
        request = _request(raw, query)
        assert upstream_target(base, request) == upstream_url(base.rstrip("/"), request).raw_path


def test_the_path_cannot_change_the_upstream_host() -> None:
    for raw in (b"/api/tickets//evil.example/x", b"/api/tickets/@evil.example/x",
                b"/api/tickets/../../x"):
        assert upstream_url("http://tickets:8001", _request(raw)).host == "tickets"


def test_hop_by_hop_headers_stay_behind_and_request_ids_are_the_gateways() -> None:
    headers = dict(request_headers(_request(b"/api/hr/x", headers=[
        (b"authorization", b"Bearer t"), (b"connection", b"keep-alive, x-private"),
        (b"x-private", b"1"), (b"te", b"trailers"), (b"host", b"gw"),
        (b"x-request-id", b"spoofed"), (b"x-forwarded-for", b"1.2.3.4"), (b"accept", b"*/*"),
    ])))
    assert headers["authorization"] == "Bearer t"
    assert headers["accept"] == "*/*"
    assert headers["X-Request-ID"] == "req-1"
    assert headers["X-Correlation-ID"] == "corr-1"
    assert headers["X-Forwarded-For"] == "1.2.3.4, 10.0.0.7"
    assert not {"connection", "x-private", "te", "host", "x-request-id"} & headers.keys()


def test_repeated_response_headers_are_kept_and_hop_by_hop_ones_dropped() -> None:
    answer = httpx.Response(200, headers=[
        ("set-cookie", "a=1"), ("set-cookie", "b=2"), ("transfer-encoding", "chunked"),
        ("content-length", "5"), ("content-type", "application/json")])
    assert response_headers(answer) == [
        (b"set-cookie", b"a=1"), (b"set-cookie", b"b=2"), (b"content-type", b"application/json")]
