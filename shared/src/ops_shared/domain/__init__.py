"""Domain building blocks every service shares: the refusals a domain raises. Pure: no framework,
storage or web import, so a service's domain may use it freely."""

from ops_shared.domain.errors import (
    Conflict,
    DomainError,
    NotAllowed,
    NotFound,
    TransitionRefused,
    ValidationFailed,
)

__all__ = [
    "Conflict",
    "DomainError",
    "NotAllowed",
    "NotFound",
    "TransitionRefused",
    "ValidationFailed",
]
