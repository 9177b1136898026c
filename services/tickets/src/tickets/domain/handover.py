"""T7: escalating (supervisor, then manager) or transferring a ticket hands it over.

Every handover names a new owner, a reason and a later deadline, and tells the customer the
process and the expected time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from tickets.domain.errors import NotAllowed, ValidationFailed
from tickets.domain.model import require_aware, require_text

EscalationLevel = Literal["supervisor", "manager"]
_NEXT_LEVEL: dict[str | None, EscalationLevel] = {None: "supervisor", "supervisor": "manager"}


def next_level(current: EscalationLevel | None, wanted: EscalationLevel) -> EscalationLevel:
    """T7: `wanted`, if it is the next level: the supervisor first, then the manager, no further."""
    expected = _NEXT_LEVEL.get(current)
    if wanted != expected:
        raise NotAllowed(f"escalation goes supervisor → manager; next level: {expected or 'none'}")
    return wanted


@dataclass(frozen=True, kw_only=True)
class Handover:
    """T7: who owns the ticket next, why, by when, and what the customer was told."""

    to_staff_id: str
    reason: str
    deadline: datetime
    customer_notice: str

    @classmethod
    def checked(
        cls, at: datetime, to_staff_id: str, reason: str, deadline: datetime, customer_notice: str
    ) -> Handover:
        """A handover at `at`, or ValidationFailed: each part is required, the deadline later."""
        if require_aware(deadline, "deadline") <= require_aware(at, "at"):
            raise ValidationFailed("the deadline must be after the handover", field="deadline")
        return cls(
            to_staff_id=require_text(to_staff_id, "new owner"),
            reason=require_text(reason, "reason"),
            deadline=deadline,
            customer_notice=require_text(customer_notice, "customer_notice"),
        )


def customer_notice(process: str, deadline: datetime, tz: tzinfo) -> str:
    """T7: text telling the customer the process and the expected time, in the shop's zone."""
    return f"您的问题已{process}，预计于 {deadline.astimezone(tz):%Y-%m-%d %H:%M} 前给您答复。"
