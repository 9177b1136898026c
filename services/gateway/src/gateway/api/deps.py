"""Dependencies of the gateway's routes: the runtime and the verified, still-valid caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.bootstrap import GatewayRuntime
from gateway.identity import Identity
from gateway.signing import SESSION_CLAIM
from ops_shared.auth import Principal, current_principal
from ops_shared.problems import Problem

# Same name and description as the services' scheme, so the merged OpenAPI shares it.
_bearer = HTTPBearer(auto_error=False, description="Staff token issued by the gateway.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_runtime(request: Request) -> GatewayRuntime:
    return request.app.state.runtime


def get_identity(request: Request) -> Identity:
    return request.app.state.runtime.identity


Runtime = Annotated[GatewayRuntime, Depends(get_runtime)]
IdentityDep = Annotated[Identity, Depends(get_identity)]


async def authenticated(request: Request, credentials: Credentials,
                        identity: IdentityDep) -> Principal:
    """The caller with a valid token whose account is active and whose session is current."""
    principal = await current_principal(request, credentials)
    assert credentials is not None  # current_principal refused a missing token
    # The signature, expiry, issuer and audience were verified just above.
    claims = jwt.decode(credentials.credentials, options={"verify_signature": False})
    session_version = claims.get(SESSION_CLAIM, 0)
    if type(session_version) is not int:
        raise Problem(401, "invalid-token", "Invalid token", "malformed session claim")
    await identity.sessions.check(principal.staff_id, session_version)
    return principal


Staff = Annotated[Principal, Depends(authenticated)]


def require_roles(*roles: str) -> Callable[..., Principal]:
    """Dependency factory: an authenticated caller holding one of `roles`."""
    allowed = frozenset(roles)

    async def check(principal: Staff) -> Principal:
        if principal.role not in allowed:
            raise Problem(403, "forbidden", "Not allowed",
                          f"role '{principal.role}' may not do this; allowed: {sorted(allowed)}")
        return principal

    return check
