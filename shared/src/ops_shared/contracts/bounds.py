"""Size bounds of every string and list in the event contracts (issue 7, item 1).

Generous on purpose: real data never comes near them, so adding them changed no valid event;
what they refuse is a payload built to cost (a 1 MB "name"). The message body as a whole is
bounded by the consumer (`max_message_bytes`) before any of this is parsed.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import AfterValidator, Field

Id = Annotated[str, Field(max_length=200)]
"""An identifier, number or code: staff id, ticket or RMA number, order id, sku, team."""
Name = Annotated[str, Field(max_length=500)]
"""A short human text or label: a display name, a status, a courier, a policy name."""
Text = Annotated[str, Field(max_length=10_000)]
"""Free text written by a person: notes, reasons."""

MAX_ITEMS = 1_000
"""Items of a list in one event (returned goods, reminder items, changed shifts)."""
MAX_ASSIGNMENTS = 20_000
"""Duty assignments of one published roster (a month × a team's staff × their shifts)."""
MAX_PERIODS = 24
"""Working periods of one shift."""


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a shop-local wall-clock time takes no zone offset")
    return value


LocalTime = Annotated[time, AfterValidator(_wall_clock)]
"""A shop-local wall-clock time of day (a shift's start, a cutoff): never with a zone offset."""
