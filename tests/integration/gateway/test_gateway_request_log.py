"""The request log (issue 7, item 9): paths arrive percent-decoded, so control characters in a
URL must reach the log escaped and long paths truncated, never raw."""

from __future__ import annotations

import pytest
from structlog.testing import capture_logs

from ops_shared.web import LOGGED_CHARS, loggable

pytestmark = pytest.mark.integration


def _request_events(logs: list[dict]) -> list[dict]:
    return [entry for entry in logs if entry["event"] == "http.request"]


async def test_control_characters_in_a_path_are_logged_escaped(gateway) -> None:
    # A forged log line, a terminal escape, a NUL and a Unicode line separator.
    url = "/api/tickets/x%0A2026-01-01%20[info]%20forged%1B[31m%00%E2%80%A8end"
    with capture_logs() as logs:
        answer = await gateway.client.get(url)
    assert answer.status_code == 404  # no route matches a path with a newline
    assert answer.headers["content-type"] == "application/problem+json"
    [event] = _request_events(logs)
    path = event["path"]
    assert path == "/api/tickets/x\\n2026-01-01 [info] forged\\x1b[31m\\x00\\u2028end"
    assert path.isprintable()


async def test_long_paths_are_logged_truncated(gateway) -> None:
    with capture_logs() as logs:
        await gateway.client.get("/api/tickets/" + "b" * 5000)
    [event] = _request_events(logs)
    assert event["path"].startswith("/api/tickets/bbb")
    assert len(event["path"]) < LOGGED_CHARS + 30
    assert event["path"].endswith(f"(+{len('/api/tickets/') + 5000 - LOGGED_CHARS} chars)")


async def test_refusals_are_logged_with_their_status_and_ids(gateway) -> None:
    with capture_logs() as logs:
        answer = await gateway.client.get("/api/hr/" + "%0A" * 5000,
                                          headers={"X-Request-ID": "req-414"})
    assert answer.status_code == 414
    assert answer.headers["x-request-id"] == "req-414"
    [event] = _request_events(logs)
    assert event["status"] == 414
    assert "\n" not in event["path"]


def test_a_backslash_is_escaped_too_so_escapes_cannot_be_forged() -> None:
    assert loggable("a\\nb\nc") == "a\\\\nb\\nc"
