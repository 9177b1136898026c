"""The one check of an RFC 9457 answer the tests share."""

from __future__ import annotations

from typing import Any

from ops_shared.web import MEDIA_TYPE
from ops_shared.web.problems import PROBLEM_BASE


def assert_problem(response: Any, status: int, slug: str | None = None, *,
                   with_detail: bool = False) -> dict[str, Any]:
    """`response` is a problem with this status (and type `slug`, when given), a title, a
    `detail` member (non-empty with `with_detail`) and no stack trace; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE, response.headers
    body = response.json()
    assert body["status"] == status, body
    if slug is not None:
        assert body["type"] == PROBLEM_BASE + slug, body
    assert body["title"] and "detail" in body, body
    if with_detail:
        assert body["detail"], body
    assert "Traceback" not in response.text
    return body
