"""Staff authentication on every route: a verified JWT gives the caller's id, role and team."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import jwt
import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ops_shared.web.problems import Problem

Role = Literal[
    "presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager", "hr_admin",
    "ops_admin",
]
_bearer = HTTPBearer(auto_error=False, description="Staff token issued by the gateway.")


@dataclass(frozen=True)
class Principal:
    """The authenticated staff member making the request."""

    staff_id: str
    role: str
    team: str | None = None
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """All verified claims of the token, for checks beyond the role (e.g. the gateway's)."""


class TokenVerifier:
    """Verifies staff tokens: algorithm pinned, `exp`, `iss`, `aud` and `sub` required."""

    def __init__(self, public_key: str, *, issuer: str, audience: str, algorithm: str,
                 extra_keys: Sequence[str] = ()) -> None:
        self.public_key = public_key
        self.keys = (public_key, *(k for k in extra_keys if k and k != public_key))
        """The current key first, then those accepted during a rotation."""
        self.issuer = issuer
        self.audience = audience
        self.algorithm = algorithm

    def verify(self, token: str) -> Principal:
        try:
            claims = self._decode(token)
        except jwt.ExpiredSignatureError:
            raise Problem(401, "token-expired", "Token expired",
                          "The staff token has expired; sign in again.") from None
        except jwt.InvalidTokenError as exc:
            raise Problem(401, "invalid-token", "Invalid token", str(exc)) from None
        role = claims.get("role")
        if not isinstance(role, str) or role not in Role.__args__:
            raise Problem(401, "invalid-token", "Invalid token", "the token carries no known role")
        return Principal(staff_id=str(claims["sub"]), role=role, team=claims.get("team"),
                         claims=claims)

    def _decode(self, token: str) -> dict[str, Any]:
        """The claims, by the first key whose signature matches; any other failure is final."""
        for index, key in enumerate(self.keys):
            try:
                return jwt.decode(
                    token, key, algorithms=[self.algorithm], audience=self.audience,
                    issuer=self.issuer, options={"require": ["exp", "iss", "aud", "sub"]},
                    leeway=5,
                )
            except jwt.InvalidSignatureError:
                if index == len(self.keys) - 1:
                    raise
        raise jwt.InvalidTokenError("no verification key")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """FastAPI dependency: the verified caller, or a 401 problem.

    In a service app (which has `app.state.staff_sessions`) the token must also still be valid
    for its staff member: not deactivated, session not ended (see `staff_sessions`)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "unauthenticated", "Authentication required",
                      "Send a staff token as 'Authorization: Bearer <token>'.")
    principal = request.app.state.token_verifier.verify(credentials.credentials)
    sessions = getattr(request.app.state, "staff_sessions", None)
    if sessions is not None:
        await sessions.check(principal.staff_id, principal.claims)
    request.state.principal = principal
    structlog.contextvars.bind_contextvars(staff_id=principal.staff_id, role=principal.role)
    return principal


CurrentStaff = Annotated[Principal, Depends(current_principal)]


def require_roles(
    *roles: str, caller: Callable[..., Awaitable[Principal]] = current_principal
) -> Callable[..., Awaitable[Principal]]:
    """Dependency factory: the caller (as `caller` authenticates it) must hold one of `roles`."""
    allowed = frozenset(roles)

    # A default, not an Annotated hint: string annotations cannot see the local `caller`.
    async def check(principal: Principal = Depends(caller)) -> Principal:
        if principal.role not in allowed:
            raise Problem(403, "forbidden", "Not allowed",
                          f"role '{principal.role}' may not do this; allowed: {sorted(allowed)}")
        return principal

    return check
