"""How a ticket ends and what it hands on: rectification and callbacks (T3-T6), staff points
(T11, T12) and return requests to logistics (L1). Rules only: the Ticket applies them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from tickets.domain.callbacks import Callback
from tickets.domain.errors import CallbackRequired, NotAllowed, ValidationFailed
from tickets.domain.events import ReturnItem
from tickets.domain.model import SUPERVISORS, Kind, Origin, Role, require_text
from tickets.domain.sla import Metric
from tickets.domain.states import TicketState, allowed_targets

_CALLBACK_KINDS = frozenset({Kind.COMPLAINT, Kind.SPECIAL_SERVICE})
_RETURN_KINDS = frozenset({Kind.AFTERSALES, Kind.COMPLAINT})

# --- rectification and callbacks (T3-T6) -------------------------------------------------------


def needs_callback(kind: Kind, origin: Origin) -> bool:
    """T4-T6: complaints, special services and survey opinions end with a callback."""
    return kind in _CALLBACK_KINDS or origin is Origin.SURVEY


def rectified_state(needs_callback: bool) -> TicketState:
    """T3/T6: a rectified ticket waits for its callback when it needs one (T4)."""
    return TicketState.AWAITING_CALLBACK if needs_callback else TicketState.RECTIFIED


def clocks_after_rectification(kind: Kind, needs_callback: bool) -> tuple[Metric, ...]:
    """T4: the callback clock starts at rectification; T6: so does the payment notice's."""
    callback: tuple[Metric, ...] = ("callback",) if needs_callback else ()
    payment: tuple[Metric, ...] = ("payment_notice",) if kind is Kind.SPECIAL_SERVICE else ()
    return callback + payment


def require_payment_notice(kind: Kind) -> None:
    """T6: payment notices go out for special services only."""
    if kind is not Kind.SPECIAL_SERVICE:
        raise ValidationFailed("payment notices are for special-service tickets")


def has_confirmed_callback(callbacks: Sequence[Callback]) -> bool:
    """T4: a callback the customer confirmed has been recorded."""
    return any(cb.confirmed for cb in callbacks)


def require_closable(
    state: TicketState, needs_callback: bool, callbacks: Sequence[Callback]
) -> None:
    """T4: a ticket that needs a callback closes only after one the customer confirmed."""
    if needs_callback and not has_confirmed_callback(callbacks):
        raise CallbackRequired(
            "this ticket closes only after a callback the customer confirmed (T4)",
            current=state,
            allowed=[t for t in allowed_targets(state) if t != TicketState.CLOSED],
        )


# --- staff points (T11, T12) -------------------------------------------------------------------


def verification(
    kind: Kind, actor_role: str, staff_id: str, note: str, verified: Collection[str]
) -> tuple[str, str]:
    """T12: a supervisor or manager verifies a complaint, with a note, once per staff member."""
    if kind is not Kind.COMPLAINT:
        raise ValidationFailed("only complaints can be verified")
    if actor_role not in SUPERVISORS:
        raise NotAllowed("only a supervisor or manager verifies a service complaint (T12)")
    staff_id, note = require_text(staff_id, "staff_id"), require_text(note, "note")
    if staff_id in verified:
        raise ValidationFailed(f"the complaint against {staff_id} is already verified")
    return staff_id, note


def adoption(
    kind: Kind, actor_role: str, author_staff_id: str, points: int, already: int | None
) -> str:
    """T11: only the manager adopts a suggestion, once, for 3 to 20 points (H18)."""
    if kind is not Kind.SUGGESTION:
        raise ValidationFailed("only suggestions can be adopted")
    if actor_role != Role.MANAGER:
        raise NotAllowed("only the manager adopts suggestions (T11)")
    if isinstance(points, bool) or not isinstance(points, int) or not 3 <= points <= 20:
        raise ValidationFailed("an adopted suggestion earns 3 to 20 points")
    if already is not None:
        raise ValidationFailed("this suggestion is already adopted")
    return require_text(author_staff_id, "author_staff_id")


# --- return requests to logistics (L1) ---------------------------------------------------------


def return_request(
    ticket_kind: Kind,
    kind: str,
    order_id: str,
    items: Sequence[ReturnItem],
    reason: str,
    wanted_replacement: str | None,
) -> None:
    """L1: from an after-sales or complaint ticket, a return names order, items and reason; an
    exchange also the wanted replacement."""
    if ticket_kind not in _RETURN_KINDS:
        raise ValidationFailed("returns are requested from after-sales or complaint tickets")
    if kind not in ("return", "exchange"):
        raise ValidationFailed("kind must be return or exchange")
    if not items or any(item.quantity < 1 for item in items):
        raise ValidationFailed("a return needs items, each with quantity ≥ 1")
    if any(item.unit_paid_fen is not None and item.unit_paid_fen < 0 for item in items):
        raise ValidationFailed("unit_paid_fen is an amount in fen, ≥ 0")
    require_text(order_id, "order_id")
    require_text(reason, "reason")
    if kind == "exchange":
        require_text(wanted_replacement, "wanted_replacement")
