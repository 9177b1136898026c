"""Account administration for HR and managers: create personal accounts, change them, and
read the audit trail of grants. Which roles each may grant: `gateway.grants`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from gateway import identity as use_cases
from gateway.api.auth import PROBLEM, account_out
from gateway.api.deps import IdentityDep, require_roles
from gateway.schemas import (
    AccountCreate,
    AccountOut,
    AccountUpdate,
    AuditEntryOut,
    AuditQuery,
    StaffId,
)
from ops_shared.web import Principal

router = APIRouter(prefix="/admin", tags=["accounts"])
AccountAdmin = Annotated[Principal, Depends(require_roles("hr_admin", "manager"))]
FORBIDDEN = {403: {"description": "Role not allowed, or a role above what the caller may grant",
                   **PROBLEM}}


@router.post("/accounts", status_code=201, summary="Create a personal staff account",
             responses={**FORBIDDEN, 409: {"description": "Staff id taken", **PROBLEM}})
async def create_account(body: AccountCreate, admin: AccountAdmin, identity: IdentityDep
                         ) -> AccountOut:
    return account_out(await use_cases.create_account(identity, admin, body))


@router.patch("/accounts/{staff_id}",
              summary="Deactivate, reactivate, or change role, team or name",
              responses={**FORBIDDEN, 404: {"description": "No such account", **PROBLEM}})
async def update_account(staff_id: Annotated[StaffId, Path()], body: AccountUpdate,
                         admin: AccountAdmin, identity: IdentityDep) -> AccountOut:
    return account_out(await use_cases.update_account(identity, admin, staff_id, body.changes()))


@router.get("/account-audit", summary="The audit trail of grants, newest first",
            responses=FORBIDDEN)
async def account_audit(query: Annotated[AuditQuery, Query()], _: AccountAdmin,
                        identity: IdentityDep) -> list[AuditEntryOut]:
    entries = await identity.audit.newest(staff_id=query.staff_id, by=query.by,
                                          limit=query.limit)
    return [AuditEntryOut(**asdict(entry)) for entry in entries]
