"""Domain errors; each carries a stable `code` and a human `detail`. A rule refusal also names
its rule id (RULES.md), so the answer tells the caller which rule said no and why.

The common refusals come from `ops_shared.domain` (NotFound, Conflict, NotAllowed,
ValidationFailed with `field`); hr adds RuleRefused and its wording of TransitionRefused."""

from __future__ import annotations

from ops_shared.domain import errors as shared
from ops_shared.domain.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed

__all__ = [
    "Conflict",
    "DomainError",
    "NotAllowed",
    "NotFound",
    "RuleRefused",
    "TransitionRefused",
    "ValidationFailed",
]


class RuleRefused(DomainError):
    """A rule of the rulebook refuses the request (409 with `rule` and `reason`)."""

    code = "rule_refused"

    def __init__(self, rule: str, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.reason = reason


class TransitionRefused(shared.TransitionRefused):
    """The request's state machine refuses the move (409, without a target: `action` names the
    move)."""

    def __init__(self, current: str, action: str, allowed: list[str]) -> None:
        listed = ", ".join(allowed) or "none (final state)"
        super().__init__(f"cannot {action} a request that is {current}; allowed: {listed}",
                         current=current, allowed=allowed)
        self.action = action
