"""Staff directory (H1): Create / Update / Read."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hr.api.schemas.common import Fen, Name, StaffId, Team
from hr.domain.staff import Staff
from ops_shared.contracts.hr import Role


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: StaffId
    display_name: Name
    role: Role
    team: Team | None = None
    supervisor_id: StaffId | None = None
    active: bool = True
    wage_fen: Fen = Field(0, description="Monthly wage in fen; seen only by HR, the manager "
                                         "and the person (H1, H11).")

    def staff(self) -> Staff:
        return Staff(**self.model_dump())


class StaffUpdate(BaseModel):
    """Only the fields sent change; `team` and `supervisor_id` may be null to clear them."""

    model_config = ConfigDict(extra="forbid")

    display_name: Name | None = None
    role: Role | None = None
    team: Team | None = None
    supervisor_id: StaffId | None = None
    active: bool | None = None
    wage_fen: Fen | None = None

    @model_validator(mode="after")
    def _no_null_except_clearable(self) -> StaffUpdate:
        nulls = [f for f in self.model_fields_set
                 if f not in ("team", "supervisor_id") and getattr(self, f) is None]
        if nulls:
            raise ValueError(f"may not be null: {', '.join(sorted(nulls))}")
        if not self.model_fields_set:
            raise ValueError("nothing to change")
        return self

    def changes(self) -> dict[str, object]:
        return self.model_dump(exclude_unset=True)


class StaffRead(BaseModel):
    staff_id: str
    display_name: str
    role: str
    team: str | None
    supervisor_id: str | None
    active: bool
    wage_fen: int | None = Field(None, description="Only for HR, the manager and the person.")
    updated_at: datetime | None

    @classmethod
    def of(cls, staff: Staff, show_wage: bool) -> StaffRead:
        return cls(staff_id=staff.staff_id, display_name=staff.display_name, role=staff.role,
                   team=staff.team, supervisor_id=staff.supervisor_id, active=staff.active,
                   wage_fen=staff.wage_fen if show_wage else None, updated_at=staff.updated_at)
