"""`GET /admin/accounts`: HR admins and managers list staff accounts (role, team, status)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.account_directory import AccountDirectory, AccountFilter
from gateway.api.auth import PROBLEM, account_out
from gateway.api.deps import require_roles
from gateway.schemas import AccountOut
from ops_shared.web import Principal, Role

router = APIRouter(prefix="/admin", tags=["accounts"])
Team = Annotated[str, Field(min_length=1, max_length=50)]
AccountReader = Annotated[Principal, Depends(require_roles("hr_admin", "manager"))]


class AccountListQuery(BaseModel):
    """Typed filters only; an unknown parameter (e.g. `role[$ne]`) is a 422."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = Field(None, description="Only accounts holding this role.")
    team: Team | None = Field(None, description="Only accounts of this team.")
    active: bool | None = Field(None, description="Only active (true) or deactivated (false).")
    page: int = Field(1, ge=1, le=10_000)
    limit: int = Field(50, ge=1, le=200)


class AccountPageOut(BaseModel):
    items: list[AccountOut]
    total: int
    page: int
    limit: int


async def get_directory(request: Request) -> AccountDirectory:
    return request.app.state.runtime.directory


@router.get("/accounts", summary="List staff accounts by role, team and status, paged",
            responses={403: {"description": "Role not allowed", **PROBLEM}})
async def list_accounts(query: Annotated[AccountListQuery, Query()], _: AccountReader,
                        directory: Annotated[AccountDirectory, Depends(get_directory)]
                        ) -> AccountPageOut:
    """HR admin or manager. Accounts in staff-id order, filtered by `role`, `team` and `active`,
    `limit` per page (never their password hashes). 422: an unknown or malformed parameter."""
    where = AccountFilter(role=query.role, team=query.team, active=query.active)
    found = await directory.page(where, query.page, query.limit)
    return AccountPageOut(items=[account_out(a) for a in found.items], total=found.total,
                          page=found.page, limit=found.limit)
