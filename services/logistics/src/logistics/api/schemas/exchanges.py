"""Exchange schemas (L8, L9)."""

from __future__ import annotations

from pydantic import Field

from logistics.api.schemas.common import In, Ref


class AdvanceIn(In):
    reason: str = Field(min_length=1, max_length=500)


class ShipmentIn(In):
    tracking_number: Ref
    courier: str | None = Field(None, max_length=50)
