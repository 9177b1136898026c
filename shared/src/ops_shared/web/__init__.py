"""Web: request context and health routes, RFC 9457 problems (domain refusals included), staff
authentication (with the staff sessions every service keeps), request limits, unknown query
parameters refused, `Idempotency-Key` for creating routes, staff-facing times, and the admin
routers every service mounts (dead letters, calendar days)."""

from ops_shared.web.actors import runtime_deps, staff_actor
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
from ops_shared.web.domain_problems import PROBLEM_RESPONSES, domain_problem, domain_route
from ops_shared.web.http import (
    CORRELATION_HEADER,
    LOGGED_CHARS,
    REQUEST_ID_HEADER,
    RequestContext,
    health,
    install_request_context,
    loggable,
)
from ops_shared.web.idempotency import (
    IDEMPOTENCY_INDEXES,
    IDEMPOTENCY_KEYS,
    IDEMPOTENT,
    idempotency_key,
    install_idempotency,
)
from ops_shared.web.limits import Limits, RequestLimits
from ops_shared.web.problems import (
    MEDIA_TYPE,
    PROBLEM_BASE,
    Problem,
    install_problem_handlers,
    problem_response,
)
from ops_shared.web.query import refuse_unknown_query
from ops_shared.web.staff_sessions import (
    SESSION_CLAIM,
    SESSION_ID_CLAIM,
    STAFF_SESSIONS,
    StaffSessions,
)
from ops_shared.web.times import (
    Day,
    Moment,
    StaffDetails,
    StaffTime,
    staff_time,
    use_shop_timezone,
)

__all__ = [
    "CORRELATION_HEADER",
    "IDEMPOTENCY_INDEXES",
    "IDEMPOTENCY_KEYS",
    "IDEMPOTENT",
    "LOGGED_CHARS",
    "MEDIA_TYPE",
    "PROBLEM_BASE",
    "PROBLEM_RESPONSES",
    "REQUEST_ID_HEADER",
    "SESSION_CLAIM",
    "SESSION_ID_CLAIM",
    "STAFF_SESSIONS",
    "CurrentStaff",
    "Day",
    "Limits",
    "Moment",
    "Principal",
    "Problem",
    "RequestContext",
    "RequestLimits",
    "Role",
    "StaffDetails",
    "StaffSessions",
    "StaffTime",
    "TokenVerifier",
    "calendar_router",
    "current_principal",
    "dead_letters_router",
    "domain_problem",
    "domain_route",
    "health",
    "idempotency_key",
    "install_idempotency",
    "install_problem_handlers",
    "install_request_context",
    "loggable",
    "problem_response",
    "refuse_unknown_query",
    "require_roles",
    "runtime_deps",
    "staff_actor",
    "staff_time",
    "use_shop_timezone",
]
