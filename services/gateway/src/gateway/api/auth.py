"""Sign-in, the caller's own account, and changing one's own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from gateway import identity as use_cases
from gateway.accounts import Account
from gateway.api.deps import IdentityDep, Staff, signin_allowed
from gateway.identity import LoginLocked
from gateway.schemas import AccountOut, PasswordChange, TokenOut, TokenRequest
from gateway.signing import IssuedToken
from ops_shared.web import problem_response

router = APIRouter(prefix="/auth", tags=["authentication"])
PROBLEM = {"content": {"application/problem+json": {}}}


def _token(issued: IssuedToken) -> TokenOut:
    return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)


def account_out(account: Account) -> AccountOut:
    return AccountOut(staff_id=account.staff_id, display_name=account.display_name,
                      role=account.role, team=account.team, active=account.active,
                      created_at=account.created_at, updated_at=account.updated_at)


@router.post("/token", summary="Sign in with staff id and password; answers a bearer token",
             dependencies=[Depends(signin_allowed)],
             responses={401: {"description": "Unknown staff id or wrong password", **PROBLEM},
                        429: {"description": "Locked after too many failures on this staff id, "
                                             "or too many sign-ins from this address "
                                             "(Retry-After)", **PROBLEM}})
async def issue_token(body: TokenRequest, identity: IdentityDep) -> TokenOut:
    return _token(await use_cases.sign_in(identity, body.staff_id, body.password))


@router.get("/me", summary="The signed-in staff member's account")
async def me(staff: Staff, identity: IdentityDep) -> AccountOut:
    return account_out(await use_cases.own_account(identity, staff))


@router.post("/password", summary="Change your own password; answers a fresh token",
             responses={403: {"description": "Current password wrong", **PROBLEM},
                        429: {"description": "Locked after too many failures", **PROBLEM}})
async def change_password(body: PasswordChange, staff: Staff, identity: IdentityDep) -> TokenOut:
    issued = await use_cases.change_password(identity, staff, body.current_password,
                                             body.new_password)
    return _token(issued)


@router.post("/sign-out", status_code=204,
             summary="Sign out: end this session, or with all_sessions=true every session")
async def sign_out(staff: Staff, identity: IdentityDep,
                   all_sessions: Annotated[bool, Query(description=(
                       "End every session of yours (every token issued to you so far, on "
                       "every device), not only the one of the token used here."))] = False,
                   ) -> None:
    """The token used here (every token of its sign-in, its `sid`) stops working: at once at
    the gateway, and at each service once it has the `gateway.session.revoked` event. Your
    other sessions keep working unless `all_sessions` is set."""
    await use_cases.sign_out(identity, staff, all_sessions=all_sessions)


def install_lockout_handler(app: FastAPI) -> None:
    """A locked sign-in answers its problem with a Retry-After header."""

    @app.exception_handler(LoginLocked)
    async def _locked(request: Request, exc: LoginLocked) -> JSONResponse:
        response = problem_response(exc, request)
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
