"""Input checks for ticket actions: T7 handovers, T11 adoption, T12 verification, L1 returns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from tickets.domain.errors import NotAllowed, ValidationFailed
from tickets.domain.events import ReturnItem
from tickets.domain.model import SUPERVISORS, Role, require_aware, require_text


def handover(
    at: datetime, to_staff_id: str, reason: str, deadline: datetime, customer_notice: str
) -> dict[str, Any]:
    """T7: every escalation or transfer has a new owner, a reason, a later deadline and a notice."""
    if require_aware(deadline, "deadline") <= require_aware(at, "at"):
        raise ValidationFailed("the deadline must be after the handover", field="deadline")
    return {
        "to_staff_id": require_text(to_staff_id, "new owner"),
        "reason": require_text(reason, "reason"),
        "deadline": deadline,
        "customer_notice": require_text(customer_notice, "customer_notice"),
    }


def customer_notice(process: str, deadline: datetime, tz: tzinfo) -> str:
    """T7: text telling the customer the process and the expected time, in the shop's zone."""
    return f"您的问题已{process}，预计于 {deadline.astimezone(tz):%Y-%m-%d %H:%M} 前给您答复。"


def verification(
    actor_role: str, staff_id: str, note: str, verified: Sequence[str]
) -> tuple[str, str]:
    """T12: only a supervisor or manager verifies, with a note, once per staff member."""
    if actor_role not in SUPERVISORS:
        raise NotAllowed("only a supervisor or manager verifies a service complaint (T12)")
    staff_id, note = require_text(staff_id, "staff_id"), require_text(note, "note")
    if staff_id in verified:
        raise ValidationFailed(f"the complaint against {staff_id} is already verified")
    return staff_id, note


def adoption(actor_role: str, author_staff_id: str, points: int, already: int | None) -> str:
    """T11: only the manager adopts, once, for 3 to 20 points."""
    if actor_role != Role.MANAGER:
        raise NotAllowed("only the manager adopts suggestions (T11)")
    if isinstance(points, bool) or not isinstance(points, int) or not 3 <= points <= 20:
        raise ValidationFailed("an adopted suggestion earns 3 to 20 points")
    if already is not None:
        raise ValidationFailed("this suggestion is already adopted")
    return require_text(author_staff_id, "author_staff_id")


def return_request(
    kind: str,
    order_id: str,
    items: Sequence[ReturnItem],
    reason: str,
    wanted_replacement: str | None,
) -> None:
    """L1: a return names order, items and reason; an exchange also the wanted replacement."""
    if kind not in ("return", "exchange"):
        raise ValidationFailed("kind must be return or exchange")
    if not items or any(item.quantity < 1 for item in items):
        raise ValidationFailed("a return needs items, each with quantity ≥ 1")
    require_text(order_id, "order_id")
    require_text(reason, "reason")
    if kind == "exchange":
        require_text(wanted_replacement, "wanted_replacement")
