"""Account administration for HR and managers: create personal accounts, change them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from gateway import identity as use_cases
from gateway.api.auth import PROBLEM, account_out
from gateway.api.deps import IdentityDep, require_roles
from gateway.schemas import AccountCreate, AccountOut, AccountUpdate, StaffId
from ops_shared.web import Principal

router = APIRouter(prefix="/admin/accounts", tags=["accounts"])
AccountAdmin = Annotated[Principal, Depends(require_roles("hr_admin", "manager"))]
FORBIDDEN = {403: {"description": "Role not allowed", **PROBLEM}}


@router.post("", status_code=201, summary="Create a personal staff account",
             responses={**FORBIDDEN, 409: {"description": "Staff id taken", **PROBLEM}})
async def create_account(body: AccountCreate, admin: AccountAdmin, identity: IdentityDep
                         ) -> AccountOut:
    return account_out(await use_cases.create_account(identity, admin, body))


@router.patch("/{staff_id}", summary="Deactivate, reactivate, or change role, team or name",
              responses={**FORBIDDEN, 404: {"description": "No such account", **PROBLEM}})
async def update_account(staff_id: Annotated[StaffId, Path()], body: AccountUpdate,
                         admin: AccountAdmin, identity: IdentityDep) -> AccountOut:
    return account_out(await use_cases.update_account(identity, admin, staff_id, body.changes()))
