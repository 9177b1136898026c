"""The OpenAPI document says what the API answers: problems, 401 and 422 everywhere they can
happen, times of day without a zone (what `scripts/fuzz` checks against the running system)."""

from __future__ import annotations

from datetime import time
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from ops_shared.contracts.bounds import LocalTime
from ops_shared.contracts.hr import ShiftPeriod
from ops_shared.web import Principal, current_principal, install_problem_handlers
from ops_shared.web.openapi_docs import PROBLEM_REF, TIME_PATTERN, document_problems


class Shift(BaseModel):
    start: LocalTime


def app() -> FastAPI:
    made = FastAPI()
    install_problem_handlers(made)
    document_problems(made)

    @made.get("/open")
    async def open_route() -> dict[str, str]:
        return {}

    @made.post("/shifts", responses={409: {"description": "Clash"}})
    async def shifts(body: Shift, _: Annotated[Principal, Depends(current_principal)]) -> Shift:
        return body

    return made


def test_errors_are_problems_and_every_operation_lists_422_and_401_where_signed_in() -> None:
    document = app().openapi()
    opened = document["paths"]["/open"]["get"]["responses"]
    shifts = document["paths"]["/shifts"]["post"]["responses"]
    assert set(opened) == {"200", "422"}  # no token taken: no 401
    assert set(shifts) == {"200", "401", "409", "422"}
    for status in ("401", "409", "422"):
        assert shifts[status]["content"] == {
            "application/problem+json": {"schema": PROBLEM_REF}}, status
    assert document["components"]["schemas"]["Problem"]["required"] == ["type", "title",
                                                                         "status"]


def test_a_time_of_day_is_documented_without_a_zone() -> None:
    start = app().openapi()["components"]["schemas"]["Shift"]["properties"]["start"]
    assert "format" not in start and start["pattern"] == TIME_PATTERN


def test_a_time_of_day_with_a_zone_is_refused() -> None:
    assert Shift(start="09:00").start == time(9)
    for model in (Shift, ShiftPeriod):
        fields = {"start": "09:00:00Z", "end": "10:00"} if model is ShiftPeriod else {
            "start": "09:00:00+08:00"}
        with pytest.raises(ValidationError, match="zone offset"):
            model(**fields)


def test_an_unparsable_body_is_a_422_problem_saying_why() -> None:
    client = TestClient(app())
    nested = client.post("/shifts", content="[" * 10_000 + "]" * 10_000,
                         headers={"Content-Type": "application/json"})
    assert nested.status_code == 422
    assert nested.json()["type"].endswith("/body-too-deep")
    not_text = client.post("/shifts", content=b'{"start": "\xff"}',
                           headers={"Content-Type": "application/json"})
    assert not_text.status_code == 422, not_text.text
    assert not_text.headers["content-type"] == "application/problem+json"


def test_an_error_answer_with_its_own_json_schema_keeps_it() -> None:
    made = FastAPI()
    document_problems(made, unknown_query_refused=False)
    own = {"application/json": {"schema": {"type": "object", "required": ["status"]}}}

    @made.get("/readyz", responses={503: {"description": "not ready", "content": own}})
    async def readyz() -> dict[str, str]:
        return {}

    responses = made.openapi()["paths"]["/readyz"]["get"]["responses"]
    assert responses["503"]["content"] == own
    assert set(responses) == {"200", "503"}  # no 422 where no query is refused
