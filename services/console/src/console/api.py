"""The one way out of the console: the gateway API, called with the signed-in person's token.

Answers come back as `Answer` (status, JSON body, problem). A part of the system that cannot be
reached (connection refused, 502/503/504 from the gateway, or a route the service does not have
yet) is an `Unavailable` naming that part, so a page can say which part is missing instead of
breaking. A 401 means the session ended: `SessionEnded`, which sends the person to sign in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from console.format import field_reason, problem_title

PARTS = {"tickets": "工单服务", "logistics": "物流服务", "hr": "人事服务", "gateway": "网关"}
UNAVAILABLE_STATUSES = (502, 503, 504)


class SessionEnded(Exception):
    """The gateway refused the token (expired, revoked, account deactivated)."""


class Unavailable(Exception):
    """A part of the system does not answer (or does not offer this route yet)."""

    def __init__(self, part: str, detail: str = "") -> None:
        super().__init__(part)
        self.part = part
        self.detail = detail

    @property
    def label(self) -> str:
        return PARTS.get(self.part, self.part)


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def problem(self) -> Problem | None:
        return None if self.ok else Problem.of(self.status, self.body)


@dataclass
class Problem:
    """An RFC 9457 problem as the person should read it: the detail, and one message per
    field the API named (`errors[].field`)."""

    status: int
    title: str
    detail: str
    type: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, status: int, body: Any) -> Problem:
        body = body if isinstance(body, dict) else {}
        fields: dict[str, str] = {}
        for error in body.get("errors") or []:
            if isinstance(error, dict) and error.get("field"):
                name = str(error["field"])
                reason = field_reason(str(error.get("reason") or error.get("message") or ""))
                fields[name] = f"{fields[name]}；{reason}" if name in fields else reason
        known = {"type", "title", "status", "detail", "errors", "instance"}
        detail = body.get("detail")
        if isinstance(detail, list):  # a plain FastAPI validation body
            detail = "; ".join(str(d.get("msg", d)) for d in detail if isinstance(d, dict))
        if fields and str(body.get("type") or "").endswith("/validation-error") and all(
                isinstance(e, dict) and e.get("field") for e in body.get("errors") or []):
            detail = "请按字段旁的提示修改。"  # every reason stands beside its field
        return cls(status=status, title=str(body.get("title") or f"HTTP {status}"),
                   detail=str(detail or body.get("title") or ""),
                   type=str(body.get("type") or ""), fields=fields,
                   extra={k: v for k, v in body.items() if k not in known})

    @property
    def slug(self) -> str:
        return self.type.rsplit("/", 1)[-1]

    @property
    def heading(self) -> str:
        """The title in Chinese for the problem types the API has; the API's own otherwise."""
        return problem_title(self.slug, self.title)


class Gateway:
    """The gateway API for one person (their token)."""

    def __init__(self, client: httpx.AsyncClient, token: str | None) -> None:
        self._client = client
        self._token = token

    async def call(self, method: str, path: str, *, json: Any = None,
                   params: dict[str, Any] | None = None, part: str | None = None,
                   missing_is_unavailable: bool = False) -> Answer:
        """`method path` at the gateway. `part` names the service for messages (default: the
        second path segment of `/api/<part>/...`)."""
        part = part or _part_of(path)
        headers = {"Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        try:
            response = await self._client.request(method, path, json=json, params=params,
                                                  headers=headers)
        except httpx.TimeoutException as exc:
            raise Unavailable(part, "请求超时") from exc
        except httpx.TransportError as exc:
            raise Unavailable("gateway" if part != "gateway" else part, str(exc)) from exc
        answer = _answer(response)
        if answer.status == 401 and self._token:
            raise SessionEnded()
        if answer.status in UNAVAILABLE_STATUSES:
            raise Unavailable(part, answer.problem.detail if answer.problem else "")
        if answer.status == 404 and (missing_is_unavailable or _route_missing(answer.body)):
            raise Unavailable(part, "该功能尚未上线")
        return answer

    async def get(self, path: str, **kwargs: Any) -> Answer:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Answer:
        return await self.call("POST", path, json=body if body is not None else {}, **kwargs)

    async def put(self, path: str, body: Any, **kwargs: Any) -> Answer:
        return await self.call("PUT", path, json=body, **kwargs)

    async def patch(self, path: str, body: Any, **kwargs: Any) -> Answer:
        return await self.call("PATCH", path, json=body, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> Answer:
        return await self.call("DELETE", path, **kwargs)

    async def download(self, path: str, params: dict[str, Any] | None = None) -> Answer:
        """A file (XLSX, CSV) passed through as the API answers it."""
        part = _part_of(path)
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        try:
            response = await self._client.get(path, params=params or {}, headers=headers)
        except httpx.TransportError as exc:
            raise Unavailable(part, str(exc)) from exc
        if response.status_code == 401:
            raise SessionEnded()
        if response.status_code in UNAVAILABLE_STATUSES:
            raise Unavailable(part)
        answer = _answer(response)
        answer.content = response.content
        return answer


def _part_of(path: str) -> str:
    segments = path.strip("/").split("/")
    if len(segments) > 1 and segments[0] == "api":
        return segments[1]
    return "gateway"


def _answer(response: httpx.Response) -> Answer:
    body: Any = None
    if "json" in response.headers.get("content-type", ""):
        try:
            body = response.json()
        except ValueError:
            body = None
    return Answer(status=response.status_code, body=body,
                  headers={k.lower(): v for k, v in response.headers.items()})


def _route_missing(body: Any) -> bool:
    """A 404 for a route the service does not have (not for a missing record): FastAPI's
    plain `{"detail": "Not Found"}` or a problem whose detail says so."""
    if not isinstance(body, dict):
        return True
    return str(body.get("detail", "")).strip().lower() == "not found"
