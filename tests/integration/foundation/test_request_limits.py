"""Every service app refuses oversized requests before any work, and unknown query parameters on
every route, as RFC 9457 problems (issue 7, items 1, 6, 7 and 10)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from ops_shared.service import create_service_app
from ops_shared.web import PROBLEM_BASE, CurrentStaff
from support.effects import definition
from support.harness import running
from support.problems import assert_problem

pytestmark = pytest.mark.integration
router = APIRouter()
LIMIT = 64 * 1024


class ThingIn(BaseModel):
    name: str = Field(min_length=1, max_length=1_000_000)


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    colour: str | None = None
    size: int | None = None


async def paging(page: int = 1, per_page: Annotated[int, Query(alias="per-page")] = 20) -> dict:
    return {"page": page, "per_page": per_page}


@router.post("/test/things", status_code=201)
async def create_thing(thing: ThingIn, staff: CurrentStaff) -> dict:
    return {"length": len(thing.name)}


@router.get("/test/things")
async def list_things(_: CurrentStaff, pages: Annotated[dict, Depends(paging)],
                      status: str | None = None) -> dict:
    return {"status": status, **pages}


@router.get("/test/shapes")
async def list_shapes(_: CurrentStaff, filters: Annotated[Filters, Query()]) -> dict:
    return filters.model_dump()


@router.get("/test/plain")
async def plain(_: CurrentStaff) -> dict:
    return {"ok": True}



@pytest.fixture(scope="module")
async def service(isolation):
    settings = isolation.settings("limits", max_request_body_bytes=LIMIT)
    app = create_service_app(settings, definition(settings, {}, routers=[router]))
    async with running(app) as http:
        yield app, http


async def test_a_body_over_the_limit_is_413_by_its_content_length(service, keys) -> None:
    _, http = service
    body = json.dumps({"name": "x" * 1_000_000})  # 1 MB
    answer = await http.post("/test/things", content=body, headers={
        **keys.headers("s1", "presales"), "content-type": "application/json"})
    problem = problem_with_detail(answer, 413, "content-too-large")
    assert str(LIMIT) in problem["detail"]
    ok = await http.post("/test/things", json={"name": "x" * 1000},
                         headers=keys.headers("s1", "presales"))
    assert ok.status_code == 201 and ok.json() == {"length": 1000}


async def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(service, keys) -> None:
    _, http = service
    sent = 0

    async def chunks():
        nonlocal sent
        for _ in range(16):  # 1 MiB in 64 KiB chunks, no Content-Length
            sent += 1
            yield b"x" * (64 * 1024)

    answer = await http.post("/test/things", content=chunks(), headers={
        **keys.headers("s1", "presales"), "content-type": "application/json"})
    problem_with_detail(answer, 413, "content-too-large")
    assert sent <= LIMIT // (64 * 1024) + 2  # stopped reading just past the limit


async def test_the_middleware_never_reads_a_body_its_length_refuses(service) -> None:
    app, _ = service
    sent: list[dict] = []

    async def receive() -> dict:
        raise AssertionError("the body was read")

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/test/things",
             "raw_path": b"/test/things", "query_string": b"", "root_path": "",
             "headers": [(b"content-length", b"52428800"), (b"host", b"test")],
             "scheme": "http", "server": ("test", 80), "client": ("1.2.3.4", 1),
             "http_version": "1.1", "asgi": {"version": "3.0"}}
    await app(scope, receive, send)
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["type"] == PROBLEM_BASE + "content-too-large"


async def test_a_15000_character_path_is_414_without_routing(service, keys) -> None:
    _, http = service
    answer = await http.get("/test/" + "a" * 15_000, headers=keys.headers("s1", "presales"))
    problem = problem_with_detail(answer, 414, "uri-too-long")
    assert "instance" not in problem  # the path is not echoed back
    answer = await http.get("/test/plain", params={"q": "b" * 15_000},
                            headers=keys.headers("s1", "presales"))
    problem_with_detail(answer, 414, "uri-too-long")


async def test_too_many_or_too_large_headers_are_431(service, keys) -> None:
    _, http = service
    many = {f"x-h-{i}": "v" for i in range(120)}
    problem_with_detail(await http.get("/test/plain", headers={**keys.headers("s1", "presales"),
                                                          **many}), 431, "headers-too-large")
    large = {"x-large": "v" * 20_000}
    problem_with_detail(await http.get("/test/plain", headers={**keys.headers("s1", "presales"),
                                                          **large}), 431, "headers-too-large")


@pytest.mark.parametrize(("path", "params", "unknown"), [
    ("/test/things", {"status[$ne]": "x"}, "status[$ne]"),
    ("/test/things", {"status": "open", "pages": "2"}, "pages"),
    ("/test/shapes", {"colour": "red", "weight": "3"}, "weight"),
    ("/test/plain", {"day": "2026-11-26"}, "day"),
    ("/healthz", {"verbose": "1"}, "verbose"),
])
async def test_an_unknown_query_parameter_is_422_naming_it(service, keys, path, params,
                                                           unknown) -> None:
    _, http = service
    answer = await http.get(path, params=params, headers=keys.headers("s1", "presales"))
    problem = problem_with_detail(answer, 422, "validation-error")
    assert problem["errors"] == [{"field": unknown, "in": "query",
                                  "reason": "unknown query parameter", "type": "extra_forbidden"}]
    assert unknown in problem["detail"]


async def test_declared_query_parameters_still_work_on_every_kind_of_route(service, keys) -> None:
    _, http = service
    headers = keys.headers("s1", "presales")
    things = await http.get("/test/things", params={"status": "open", "page": "2",
                                                    "per-page": "5"}, headers=headers)
    assert things.json() == {"status": "open", "page": 2, "per_page": 5}
    shapes = await http.get("/test/shapes", params={"colour": "red", "size": "3"},
                            headers=headers)
    assert shapes.json() == {"colour": "red", "size": 3}
    dead = await http.get("/admin/dead-letters", params={"status": "dead", "limit": "5"},
                          headers=keys.headers("m1", "manager"))
    assert dead.status_code == 200, dead.text


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(2100, 1, 1), date(1, 1, 1)])
async def test_calendar_days_outside_the_years_tickets_accept_are_422(service, keys,
                                                                      day) -> None:
    _, http = service
    answer = await http.put(f"/admin/calendar/days/{day.isoformat()}",
                            json={"date": day.isoformat(), "kind": "holiday"},
                            headers=keys.headers("m1", "manager"))
    problem = problem_with_detail(answer, 422, "validation-error")
    assert {e["field"] for e in problem["errors"]} == {"day", "date"}
    ok = await http.put("/admin/calendar/days/2099-12-31",
                        json={"date": "2099-12-31", "kind": "holiday"},
                        headers=keys.headers("m1", "manager"))
    assert ok.status_code == 200, ok.text


def problem_with_detail(response, status: int, slug: str) -> dict:
    return assert_problem(response, status, slug, with_detail=True)
