"""Refusals that come from the state of the store rather than from a domain rule."""

from __future__ import annotations

from tickets.domain.errors import DomainError


class NotFound(DomainError):
    """The ticket, customer, policy or tier does not exist (maps to 404)."""

    code = "not_found"


class Conflict(DomainError):
    """Someone else changed the record meanwhile, or it already exists (maps to 409)."""

    code = "conflict"
