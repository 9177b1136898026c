"""What the gateway's own routes read and answer: tokens, accounts, password changes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

StaffId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
NewPassword = Annotated[str, Field(min_length=12, max_length=128,
                                   description="At least 12 characters.")]


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a scheme name
    expires_in: int = Field(description="Seconds until the token expires.")


class AccountCreate(BaseModel):
    """The initial password of a staff member hr's directory knows; the role, team and name
    come from the directory."""

    model_config = ConfigDict(extra="forbid")

    staff_id: StaffId
    password: NewPassword


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: NewPassword


class AccountOut(BaseModel):
    staff_id: str
    display_name: str
    role: str
    team: str | None
    active: bool
    created_at: datetime | None = None
    updated_at: datetime | None = None


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[str, Field(min_length=1, max_length=256)]
    new_password: NewPassword

    @model_validator(mode="after")
    def _new_differs(self) -> PasswordChange:
        if self.new_password == self.current_password:
            raise ValueError("the new password must differ from the current one")
        return self


class AuditQuery(BaseModel):
    """Filters of the grant audit trail; unknown parameters are refused."""

    model_config = ConfigDict(extra="forbid")

    staff_id: StaffId | None = Field(None, description="Only grants to this account.")
    by: StaffId | None = Field(None, description="Only grants made by this staff member.")
    limit: int = Field(100, ge=1, le=500)


class AuditEntryOut(BaseModel):
    id: str
    at: datetime
    by: str = Field(description="Who made the change.")
    by_role: str = Field(description="The role they held when they made it.")
    staff_id: str = Field(description="Whose account changed.")
    action: Literal["created", "role_changed", "deactivated", "reactivated"]
    old_role: str | None = Field(description="The role before; null when the account was created.")
    new_role: str
