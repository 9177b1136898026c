"""Web: request context and health routes, RFC 9457 problems, staff authentication, and the
admin routers every service mounts (dead letters, calendar days)."""

from ops_shared.web.auth import (
    CurrentStaff,
    Principal,
    Role,
    TokenVerifier,
    current_principal,
    require_roles,
)
from ops_shared.web.calendar_days import router as calendar_router
from ops_shared.web.dead_letters import router as dead_letters_router
from ops_shared.web.http import (
    CORRELATION_HEADER,
    REQUEST_ID_HEADER,
    health,
    install_request_context,
)
from ops_shared.web.problems import (
    MEDIA_TYPE,
    PROBLEM_BASE,
    Problem,
    install_problem_handlers,
    problem_response,
)

__all__ = [
    "CORRELATION_HEADER",
    "MEDIA_TYPE",
    "PROBLEM_BASE",
    "REQUEST_ID_HEADER",
    "CurrentStaff",
    "Principal",
    "Problem",
    "Role",
    "TokenVerifier",
    "calendar_router",
    "current_principal",
    "dead_letters_router",
    "health",
    "install_problem_handlers",
    "install_request_context",
    "problem_response",
    "require_roles",
]
