"""The domain refusals every service raises; each carries a stable `code` and a human `detail`.

A service's `domain/errors.py` re-exports these and adds only its own refusals (and its own
`TransitionRefused` wording). `ops_shared.web.domain_problems` turns them into problem details:
NotFound 404, NotAllowed 403, Conflict 409, TransitionRefused 409, ValidationFailed 422.
"""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base of every refusal raised by a domain."""

    code = "domain_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """The record does not exist (maps to 404)."""

    code = "not_found"


class Conflict(DomainError):
    """It already exists, or someone else changed it meanwhile (maps to 409); `existing` names
    the record already there when the caller should be told which."""

    code = "conflict"

    def __init__(self, detail: str, existing: str | None = None) -> None:
        super().__init__(detail)
        self.existing = existing


class NotAllowed(DomainError):
    """The actor may not do this, or may not see this (maps to 403)."""

    code = "not_allowed"


class ValidationFailed(DomainError):
    """An input breaks a rule (maps to 422); `field` names the offending input when one does."""

    code = "validation_failed"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.field = field


class TransitionRefused(DomainError):
    """A state machine refuses the move (maps to 409): the `current` state, the `allowed` next
    ones and, when the move names one, the `target` state. A service subclasses it to word
    `detail` its own way."""

    code = "transition_refused"

    def __init__(self, detail: str, *, current: str, allowed: Sequence[str],
                 target: str | None = None) -> None:
        super().__init__(detail)
        self.current = str(current)
        self.target = None if target is None else str(target)
        self.allowed = [str(state) for state in allowed]

