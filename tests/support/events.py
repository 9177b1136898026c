"""Test-only event models, in a registry of their own.

They stay out of the process-wide `ops_shared.contracts.registry`: that one is the contract (the
AsyncAPI document is generated from it). Test services read events through `test_registry`.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import Field

from ops_shared.contracts import Envelope, Event, EventRegistry, new_envelope
from ops_shared.contracts.gateway import SessionRevoked
from ops_shared.contracts.hr import StaffChanged

THING = "test.thing.happened"
test_registry = EventRegistry([StaffChanged, SessionRevoked])
"""Test events, and the real events every service's foundation consumes (staff sessions)."""


@test_registry.register
class ThingHappened(Event):
    """Something happened to a thing; handlers count it per `thing_id`."""

    event_type = THING
    producer = "test"

    thing_id: str = Field(min_length=1, max_length=100)
    amount: int = Field(1, ge=1)


@test_registry.register
class OtherThingHappened(Event):
    """A registered event no test service subscribes to."""

    event_type = "test.other.happened"
    producer = "test"

    thing_id: str = Field(min_length=1, max_length=100)


def thing(thing_id: str, **fields: Any) -> Envelope:
    """A fresh envelope for one ThingHappened."""
    return new_envelope(ThingHappened(thing_id=thing_id, **fields))


def raw_envelope(type_: str, version: int, data: dict[str, Any], *,
                 event_id: str | None = None) -> bytes:
    """An envelope body built by hand, for messages no model would produce."""
    return json.dumps({
        "id": event_id or str(uuid.uuid4()), "type": type_, "version": version,
        "occurred_at": datetime.now(UTC).isoformat(), "producer": "test", "data": data,
    }).encode()
