"""Route dependencies every service builds the same way: the acting staff member as the
service's own `Actor`, and the service's `Deps` wired at start.

No `from __future__ import annotations` here: FastAPI reads the dependency's signature, whose
`Depends(check)` names a local."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from ops_shared.web.auth import Principal, require_roles


def staff_actor(actor: Callable[[str, str], Any], *roles: str) -> Callable[..., Any]:
    """A dependency answering `actor(staff_id, role)` of the verified caller, 403 unless their
    role is one of `roles`."""
    check = require_roles(*roles)

    async def dependency(principal: Annotated[Principal, Depends(check)]) -> Any:
        return actor(principal.staff_id, principal.role)

    return dependency


def runtime_deps(request: Request) -> Any:
    """The service's `Deps`, wired at start (`app.state.runtime.deps`)."""
    return request.app.state.runtime.deps
