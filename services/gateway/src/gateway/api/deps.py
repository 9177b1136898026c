"""Dependencies of the gateway's routes: the runtime and the verified, still-valid caller."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.bootstrap import GatewayRuntime
from gateway.identity import Identity
from gateway.signing import SESSION_CLAIM, SESSION_ID_CLAIM
from ops_shared.web import Principal, Problem, current_principal
from ops_shared.web import require_roles as shared_require_roles

# Same name and description as the services' scheme, so the merged OpenAPI shares it.
_bearer = HTTPBearer(auto_error=False, description="Staff token issued by the gateway.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


# Dependencies are `async def` even when they do not await: FastAPI runs a plain `def` one in
# a worker thread, a thread hop per request on the proxy path.
async def get_runtime(request: Request) -> GatewayRuntime:
    return request.app.state.runtime


async def get_identity(request: Request) -> Identity:
    return request.app.state.runtime.identity


Runtime = Annotated[GatewayRuntime, Depends(get_runtime)]
IdentityDep = Annotated[Identity, Depends(get_identity)]


async def authenticated(request: Request, credentials: Credentials,
                        identity: IdentityDep) -> Principal:
    """The caller with a valid token, within its rate limit, whose account is active and whose
    session is current."""
    principal = await current_principal(request, credentials)
    request.app.state.rate_limits.api.take(principal.staff_id)
    session_version = principal.claims.get(SESSION_CLAIM, 0)
    if type(session_version) is not int:
        raise Problem(401, "invalid-token", "Invalid token", "malformed session claim")
    session_id = principal.claims.get(SESSION_ID_CLAIM)
    if session_id is not None and type(session_id) is not str:
        raise Problem(401, "invalid-token", "Invalid token", "malformed session id claim")
    await identity.sessions.check(principal.staff_id, session_version, session_id)
    return principal


Staff = Annotated[Principal, Depends(authenticated)]


async def staff_of(request: Request) -> Principal:
    """`authenticated` for a plain route (the proxy), outside dependency resolution."""
    return await authenticated(request, await _bearer(request), request.app.state.runtime.identity)


def client_address(request: Request) -> str:
    """The peer address (behind a proxy: what uvicorn's `--forwarded-allow-ips` trusts)."""
    return request.client.host if request.client else "unknown"


async def signin_allowed(request: Request) -> None:
    """Sign-in attempts are rate limited per client address."""
    request.app.state.rate_limits.signin.take(client_address(request))


def require_roles(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """Dependency factory: an authenticated caller with a current session holding a role."""
    return shared_require_roles(*roles, caller=authenticated)
