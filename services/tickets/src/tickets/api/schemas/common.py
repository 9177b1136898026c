"""Types shared by the tickets API schemas: bounded strings, days, moments, and staff-facing times.

Every datetime in a response is a `ShopTime`: ISO 8601 with the shop's offset (`+08:00` for the
default `timezone` setting, Asia/Shanghai), whatever zone the value was computed in. The zone is
the service settings' `timezone`, set per request by `DomainRoute` (`api/deps.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, tzinfo
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Query
from pydantic import AwareDatetime, ConfigDict, Field, PlainSerializer

from ops_shared.settings import ServiceSettings

TICKET_NUMBER_PATTERN = r"^TK-\d{8}-\d{4,}$"

Text = Annotated[str, Field(min_length=1, max_length=4000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
StaffId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
CategoryName = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$",
                                    examples=["website"])]
Number = Annotated[str, Field(pattern=TICKET_NUMBER_PATTERN, examples=["TK-20261126-0002"])]
# Days and moments from callers lie in 2000-2099: the shop-zone, calendar and BSON date
# arithmetic behind them overflows near year 1 and year 9999 (a 500 instead of a 422).
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2099, 12, 31),
                            description="A day in 2000-2099.")]
Moment = Annotated[AwareDatetime, Field(ge=datetime(2000, 1, 1, tzinfo=UTC),
                                        lt=datetime(2100, 1, 1, tzinfo=UTC),
                                        description="A moment with its zone, in 2000-2099.")]

_DEFAULT_ZONE = ZoneInfo(ServiceSettings.model_fields["timezone"].default)
_SHOP_ZONE: ContextVar[tzinfo | None] = ContextVar("shop_zone", default=None)


@contextmanager
def shop_zone(name: str) -> Iterator[None]:
    """Serialise the `ShopTime`s of this request (this context) in the zone `name`."""
    token = _SHOP_ZONE.set(ZoneInfo(name))
    try:
        yield
    finally:
        _SHOP_ZONE.reset(token)


def in_shop_zone(moment: datetime) -> datetime:
    """The same instant in the shop's zone; a naive value is taken as UTC (as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_SHOP_ZONE.get() or _DEFAULT_ZONE)


def _deep_in_shop_zone(value: Any) -> Any:
    if isinstance(value, datetime):
        return in_shop_zone(value)
    if isinstance(value, dict):
        return {k: _deep_in_shop_zone(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_deep_in_shop_zone(v) for v in value]
    return value


ShopTime = Annotated[datetime, PlainSerializer(in_shop_zone, return_type=datetime,
                                               when_used="json")]
"""A staff-facing time in a response: ISO 8601 with the shop's offset, e.g. +08:00."""

ShopDetails = Annotated[dict[str, Any], PlainSerializer(_deep_in_shop_zone,
                                                        return_type=dict[str, Any],
                                                        when_used="json")]
"""Free-form details whose datetimes are staff-facing times too (timeline entries)."""


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
