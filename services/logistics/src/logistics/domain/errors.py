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
    """The RMA, receipt, recall, case or policy does not exist (maps to 404)."""

    code = "not_found"


class Conflict(DomainError):
    """It already exists, or someone else changed it meanwhile (maps to 409)."""

    code = "conflict"

    def __init__(self, detail: str, existing: str | None = None) -> None:
        super().__init__(detail)
        self.existing = existing


class NotAllowed(DomainError):
    """The actor's role may not do this (maps to 403)."""

    code = "not_allowed"


class ValidationFailed(DomainError):
    """An input breaks a rule (maps to 422); `field` names the offending input when one does."""

    code = "validation_failed"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.field = field


class Refused(DomainError):
    """A rule refuses the action in the current state (maps to 409 with `code`), e.g. a refund
    without amounts, a replacement before the return is received (L9)."""

    def __init__(self, code: str, detail: str, *, current: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.current = current


class TransitionRefused(DomainError):
    """A state machine refuses the move (maps to 409): names the current and allowed states."""

    code = "transition_refused"

    def __init__(self, what: str, current: str, target: str, allowed: Sequence[str]) -> None:
        self.what = what
        self.current = str(current)
        self.target = str(target)
        self.allowed = [str(state) for state in allowed]
        listed = ", ".join(self.allowed) or "none (terminal state)"
        super().__init__(
            f"{what} is {self.current}: cannot go to {self.target}; allowed next: {listed}")
