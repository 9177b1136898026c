"""Field types shared by the logistics schemas: bounded strings, fen, timeline entries."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ops_shared.web import StaffDetails, StaffTime

Text = Annotated[str, Field(min_length=1, max_length=200)]
Note = Annotated[str, Field(max_length=2000)]
Sku = Annotated[str, Field(min_length=1, max_length=100)]
Ref = Annotated[str, Field(min_length=1, max_length=100)]
Fen = Annotated[int, Field(ge=0, le=100_000_000, description="Integer fen (1 yuan = 100 fen).")]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TimelineEntryRead(BaseModel):
    at: StaffTime
    actor_id: str
    action: str
    details: StaffDetails
