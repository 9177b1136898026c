"""Domain errors; each carries a stable `code` and a human `detail`. A rule refusal also names
its rule id (RULES.md), so the answer tells the caller which rule said no and why."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal raised by the domain."""

    code = "domain_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """The staff member, roster, request or settlement does not exist (404)."""

    code = "not_found"


class Conflict(DomainError):
    """Someone else changed the record meanwhile, or it already exists (409)."""

    code = "conflict"


class NotAllowed(DomainError):
    """The actor may not do this, or may not see this (403)."""

    code = "not_allowed"


class ValidationFailed(DomainError):
    """An input is inconsistent (422); `field` names the offending input when one does."""

    code = "validation_failed"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.field = field


class RuleRefused(DomainError):
    """A rule of the rulebook refuses the request (409 with `rule` and `reason`)."""

    code = "rule_refused"

    def __init__(self, rule: str, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.reason = reason


class TransitionRefused(DomainError):
    """The request's state machine refuses the move (409)."""

    code = "transition_refused"

    def __init__(self, current: str, action: str, allowed: list[str]) -> None:
        self.current = current
        self.action = action
        self.allowed = allowed
        listed = ", ".join(allowed) or "none (final state)"
        super().__init__(f"cannot {action} a request that is {current}; allowed: {listed}")
