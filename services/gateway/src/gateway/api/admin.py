"""Account administration for HR and managers: set a staff member's first password, reset one,
and read the audit trail of grants. Who exists, their role, team and active flag come from hr's
directory (`hr.staff.changed`); which roles each may grant: `gateway.grants`."""

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
    AuditEntryOut,
    AuditQuery,
    PasswordReset,
    StaffId,
)
from ops_shared.web import Principal

router = APIRouter(prefix="/admin", tags=["accounts"])
AccountAdmin = Annotated[Principal, Depends(require_roles("hr_admin", "manager"))]
FORBIDDEN = {403: {"description": "Role not allowed, or a role above what the caller may grant",
                   **PROBLEM}}


@router.post("/accounts", status_code=201,
             summary="Set the first password of a staff member in hr's directory",
             responses={**FORBIDDEN, 409: {"description": "Staff id has an account, or hr's "
                                                          "directory does not know it", **PROBLEM}})
async def create_account(body: AccountCreate, admin: AccountAdmin, identity: IdentityDep
                         ) -> AccountOut:
    return account_out(await use_cases.create_account(identity, admin, body))


@router.post("/accounts/{staff_id}/password", summary="Reset someone's password",
             responses={**FORBIDDEN, 404: {"description": "No such account", **PROBLEM}})
async def reset_password(staff_id: Annotated[StaffId, Path()], body: PasswordReset,
                         admin: AccountAdmin, identity: IdentityDep) -> AccountOut:
    """Their sessions end; role, team and active flag are changed in hr, not here."""
    return account_out(await use_cases.reset_password(identity, admin, staff_id, body))


@router.get("/account-audit", summary="The audit trail of grants, newest first",
            responses=FORBIDDEN)
async def account_audit(query: Annotated[AuditQuery, Query()], _: AccountAdmin,
                        identity: IdentityDep) -> list[AuditEntryOut]:
    entries = await identity.audit.newest(staff_id=query.staff_id, by=query.by,
                                          limit=query.limit)
    return [AuditEntryOut(**asdict(entry)) for entry in entries]
