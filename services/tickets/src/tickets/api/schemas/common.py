"""Types shared by the tickets API schemas: bounded strings, days, moments, and staff-facing times.

Every datetime in a response is a `StaffTime` (ops_shared.web): ISO 8601 in the shop's zone with
its offset and milliseconds (`+08:00` for the default `timezone`, Asia/Shanghai), whatever zone
the value was computed in. Days and moments from callers lie in 2000-2099 (`Day`, `Moment`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import ConfigDict, Field

from ops_shared.web import Day, Moment, StaffDetails, StaffTime

__all__ = ["Day", "Moment", "StaffDetails", "StaffTime"]

TICKET_NUMBER_PATTERN = r"^TK-\d{8}-\d{4,}$"

Text = Annotated[str, Field(min_length=1, max_length=4000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
StaffId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
CategoryName = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$",
                                    examples=["website"])]
Number = Annotated[str, Field(pattern=TICKET_NUMBER_PATTERN, examples=["TK-20261126-0002"])]
def request_config(*examples: dict[str, Any]) -> ConfigDict:
    """Request bodies: unknown fields refused (422), with examples for the OpenAPI document."""
    return ConfigDict(extra="forbid", **_examples(examples))


def read_config(*examples: dict[str, Any]) -> ConfigDict:
    """Response bodies: built from attributes, with examples for the OpenAPI document."""
    return ConfigDict(from_attributes=True, **_examples(examples))


def _examples(examples: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    return {"json_schema_extra": {"examples": list(examples)}} if examples else {}


FromDay = Annotated[Day, Query(alias="from", description="First shop-local day, included.",
                               examples=["2026-11-01"])]
ToDay = Annotated[Day, Query(alias="to", description="Last shop-local day, included.",
                             examples=["2026-11-30"])]
