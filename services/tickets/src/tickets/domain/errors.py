"""Domain errors; each carries a stable `code` and a human `detail`.

The common refusals come from `ops_shared.domain` (NotFound, Conflict, NotAllowed,
ValidationFailed with `field`); the tickets domain adds its wording of TransitionRefused and
CallbackRequired (T4)."""

from __future__ import annotations

from collections.abc import Sequence

from ops_shared.domain import errors as shared
from ops_shared.domain.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed

__all__ = [
    "CallbackRequired",
    "Conflict",
    "DomainError",
    "NotAllowed",
    "NotFound",
    "TransitionRefused",
    "ValidationFailed",
]


class TransitionRefused(shared.TransitionRefused):
    """The ticket's state machine refuses the move (maps to 409 with `target`)."""

    def __init__(self, current: str, target: str, allowed: Sequence[str]) -> None:
        states = [str(state) for state in allowed]
        listed = ", ".join(states) or "none (terminal state)"
        super().__init__(f"cannot go from {current!s} to {target!s}; allowed: {listed}",
                         current=current, target=target, allowed=states)


class CallbackRequired(DomainError):
    """T4: the ticket needs a customer-confirmed callback before it can close (maps to 409)."""

    code = "callback_required"

    def __init__(self, detail: str, *, current: str, allowed: Sequence[str]) -> None:
        super().__init__(detail)
        self.current = current
        self.allowed = list(allowed)
