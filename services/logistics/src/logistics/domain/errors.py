"""Domain errors; each carries a stable `code` and a human `detail`.

The common refusals come from `ops_shared.domain` (NotFound, Conflict with `existing`,
NotAllowed, ValidationFailed with `field`); the logistics domain adds its wording of
TransitionRefused (naming `what` refuses) and Refused (a rule's own `code`)."""

from __future__ import annotations

from collections.abc import Sequence

from ops_shared.domain import errors as shared
from ops_shared.domain.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed

__all__ = [
    "Conflict",
    "DomainError",
    "NotAllowed",
    "NotFound",
    "Refused",
    "TransitionRefused",
    "ValidationFailed",
]


class Refused(DomainError):
    """A rule refuses the action in the current state (maps to 409 with `code`), e.g. a refund
    without amounts, a replacement before the return is received (L9)."""

    def __init__(self, code: str, detail: str, *, current: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.current = current


class TransitionRefused(shared.TransitionRefused):
    """A state machine refuses the move (maps to 409): names the current and allowed states."""

    def __init__(self, what: str, current: str, target: str, allowed: Sequence[str]) -> None:
        states = [str(state) for state in allowed]
        listed = ", ".join(states) or "none (terminal state)"
        super().__init__(
            f"{what} is {current!s}: cannot go to {target!s}; allowed next: {listed}",
            current=current, target=target, allowed=states)
        self.what = what
