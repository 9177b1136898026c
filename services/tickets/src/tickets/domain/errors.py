"""Domain errors; each carries a stable `code` and a human `detail`."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base of every rule refusal raised by the domain."""

    code = "domain_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """The ticket, customer, policy or tier does not exist (maps to 404)."""

    code = "not_found"


class Conflict(DomainError):
    """Someone else changed the record meanwhile, or it already exists (maps to 409)."""

    code = "conflict"


class NotAllowed(DomainError):
    """The actor's role may not do this (maps to 403)."""

    code = "not_allowed"


class ValidationFailed(DomainError):
    """An input breaks a rule (maps to 422); `field` names the offending input when one does."""

    code = "validation_failed"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.field = field


class TransitionRefused(DomainError):
    """The ticket's state machine refuses the move (maps to 409)."""

    code = "transition_refused"

    def __init__(self, current: str, target: str, allowed: Sequence[str]) -> None:
        self.current = str(current)
        self.target = str(target)
        self.allowed = [str(state) for state in allowed]
        listed = ", ".join(self.allowed) or "none (terminal state)"
        super().__init__(f"cannot go from {self.current} to {self.target}; allowed: {listed}")


class CallbackRequired(DomainError):
    """T4: the ticket needs a customer-confirmed callback before it can close (maps to 409)."""

    code = "callback_required"

    def __init__(self, detail: str, *, current: str, allowed: Sequence[str]) -> None:
        super().__init__(detail)
        self.current = current
        self.allowed = list(allowed)
