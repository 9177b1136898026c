"""The Ticket aggregate (T1-T8): every change appends to the timeline and returns events."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from tickets.domain import checks
from tickets.domain import events as ev
from tickets.domain.assignment import role_for_kind
from tickets.domain.callbacks import Callback
from tickets.domain.classification import Classification
from tickets.domain.errors import CallbackRequired, NotAllowed, ValidationFailed
from tickets.domain.model import (
    BOOST_TIERS,
    Channel,
    ComplaintGrade,
    Importance,
    Kind,
    Origin,
    Tier,
    Urgency,
    priority_of,
    require_aware,
    require_text,
)
from tickets.domain.outcomes import TicketOutcomes
from tickets.domain.record import EscalationLevel, TimelineEntry
from tickets.domain.sla import SlaClock
from tickets.domain.states import TicketState, allowed_targets, check_transition

_NEXT_LEVEL: dict[str | None, EscalationLevel] = {None: "supervisor", "supervisor": "manager"}
_CALLBACK_KINDS = frozenset({Kind.COMPLAINT, Kind.SPECIAL_SERVICE})

__all__ = ["EscalationLevel", "Ticket", "TimelineEntry"]


class Ticket(TicketOutcomes):
    """A customer request; mutate only through its methods so the timeline stays complete."""

    @classmethod
    def open(
        cls,
        *,
        id: str,
        number: str,
        customer_id: str,
        channel: Channel,
        kind: Kind,
        description: str,
        importance: Importance,
        urgency: Urgency,
        at: datetime,
        clock: SlaClock,
        tier: Tier = "regular",
        grade: ComplaintGrade | None = None,
        origin: Origin = Origin.CUSTOMER,
        actor_id: str | None = None,
        assignee_id: str | None = None,
        boost_tiers: Collection[Tier] = BOOST_TIERS,
        classification: Classification | None = None,
        categories: Collection[str] = (),
    ) -> tuple[Ticket, list[ev.Event]]:
        """T1: a new ticket with its priority, team, SLA clocks and (T11, T12) classification."""
        kind, origin = Kind(kind), Origin(origin)
        if (kind is Kind.COMPLAINT) != (grade is not None):
            raise ValidationFailed(
                "a complaint needs a grade (major/general); other kinds have none", field="grade"
            )
        ticket = cls(
            id=id,
            number=number,
            customer_id=require_text(customer_id, "customer_id"),
            channel=Channel(channel),
            kind=kind,
            description=require_text(description, "description"),
            importance=Importance(importance),
            urgency=Urgency(urgency),
            priority=priority_of(importance, urgency, tier, boost_tiers),
            tier=tier,
            role=role_for_kind(kind),
            created_at=require_aware(at, "opened at"),
            grade=ComplaintGrade(grade) if grade else None,
            origin=origin,
            needs_callback=kind in _CALLBACK_KINDS or origin is Origin.SURVEY,
            assignee_id=assignee_id,
        )
        for metric in ("first_response", "rectification"):
            ticket._start_clock(clock, metric, at)
        ticket._log(at, actor_id, "opened", kind=kind.value, priority=ticket.priority.value)
        if classification is not None:
            ticket._reclassify(actor_id, at, classification, categories)
        return ticket, [
            ev.TicketOpened(
                ticket_number=number,
                at=at,
                ticket_id=id,
                customer_id=customer_id,
                kind=kind.value,
                channel=ticket.channel.value,
                priority=ticket.priority.value,
                assignee_id=assignee_id,
            )
        ]

    # --- agent work ----------------------------------------------------------------------------

    def respond(self, actor_id: str, at: datetime, message: str, clock: SlaClock) -> list[ev.Event]:
        """Answer the customer; the first answer opens the ticket and meets T2's target."""
        self._require_live("respond")
        message = require_text(message, "message")
        if self.first_responded_at is not None:
            self._log(at, actor_id, "responded", message=message)
            return []
        self._move(TicketState.OPEN, actor_id, at, "first_responded", message=message)
        self.first_responded_at = at
        breaches = self._meet(clock, "first_response", at)
        target = self.target("first_response")
        margin = target.margin_seconds if target else None
        return [
            ev.FirstResponded(
                ticket_number=self.number, at=at, actor_id=actor_id, margin_seconds=margin
            ),
            *breaches,
        ]

    def wait_for_customer(self, actor_id: str, at: datetime, note: str) -> list[ev.Event]:
        """Park the ticket until the customer replies."""
        self._move(TicketState.PENDING_CUSTOMER, actor_id, at, note=require_text(note, "note"))
        return []

    def customer_replied(self, at: datetime, message: str) -> list[ev.Event]:
        """The customer answered; the ticket is worked again."""
        self._move(
            TicketState.OPEN, None, at, "customer_replied", message=require_text(message, "message")
        )
        return []

    def escalate(
        self,
        actor_id: str,
        at: datetime,
        to_staff_id: str,
        to_level: EscalationLevel,
        reason: str,
        deadline: datetime,
        customer_notice: str,
    ) -> list[ev.Event]:
        """T7: escalate (supervisor, then manager) with reason, new owner, deadline and notice."""
        expected = _NEXT_LEVEL.get(self.escalation_level)
        if to_level != expected:
            raise NotAllowed(
                f"escalation goes supervisor → manager; next level: {expected or 'none'}"
            )
        handover = checks.handover(at, to_staff_id, reason, deadline, customer_notice)
        self._move(TicketState.ESCALATED, actor_id, at, "escalated", to_level=to_level, **handover)
        self.escalation_level = to_level
        self._set_owner(handover["to_staff_id"], deadline)
        return [
            ev.Escalated(
                ticket_number=self.number, at=at, actor_id=actor_id, to_level=to_level, **handover
            )
        ]

    def transfer(
        self,
        actor_id: str,
        at: datetime,
        department: str,
        owner_id: str,
        reason: str,
        deadline: datetime,
        customer_notice: str,
    ) -> list[ev.Event]:
        """T7: hand over to a responsible department with reason, owner, deadline and notice."""
        department = require_text(department, "department")
        handover = checks.handover(at, owner_id, reason, deadline, customer_notice)
        self._move(
            TicketState.TRANSFERRED, actor_id, at, "transferred", department=department, **handover
        )
        self.department = department
        self._set_owner(handover["to_staff_id"], deadline)
        handover["owner_id"] = handover.pop("to_staff_id")
        return [
            ev.Transferred(
                ticket_number=self.number,
                at=at,
                actor_id=actor_id,
                department=department,
                **handover,
            )
        ]

    def reassign(
        self, actor_id: str, at: datetime, to_staff_id: str, reason: str = ""
    ) -> list[ev.Event]:
        """Give the ticket to another agent without changing its state."""
        self._require_live("reassign")
        previous, to_staff_id = self.assignee_id, require_text(to_staff_id, "to_staff_id")
        self._log(
            at,
            actor_id,
            "reassigned",
            from_staff_id=previous,
            to_staff_id=to_staff_id,
            reason=reason,
        )
        self._set_owner(to_staff_id, self.deadline)
        return [
            ev.Reassigned(
                ticket_number=self.number,
                at=at,
                actor_id=actor_id,
                from_staff_id=previous,
                to_staff_id=to_staff_id,
                reason=reason,
            )
        ]

    def mark_rectified(
        self, actor_id: str, at: datetime, note: str, clock: SlaClock
    ) -> list[ev.Event]:
        """T3/T6: the problem is fixed (or the special service done); starts T4's callback clock."""
        target = TicketState.AWAITING_CALLBACK if self.needs_callback else TicketState.RECTIFIED
        note = require_text(note, "note")
        self._move(target, actor_id, at, "rectified", note=note)
        self.rectified_at = at
        breaches = self._meet(clock, "rectification", at)
        callback = self._start_clock(clock, "callback", at) if self.needs_callback else None
        if self.kind is Kind.SPECIAL_SERVICE:
            self._start_clock(clock, "payment_notice", at)
        due = callback.due_at if callback else None
        return [
            *breaches,
            ev.Rectified(
                ticket_number=self.number, at=at, actor_id=actor_id, note=note, callback_due_at=due
            ),
        ]

    def record_payment_notice(self, actor_id: str, at: datetime, clock: SlaClock) -> list[ev.Event]:
        """T6: the payment notice for a special service went to the customer."""
        if self.kind is not Kind.SPECIAL_SERVICE:
            raise ValidationFailed("payment notices are for special-service tickets")
        self._require_live("send a payment notice")
        self._log(at, actor_id, "payment_notice_sent")
        return [
            *self._meet(clock, "payment_notice", at),
            ev.PaymentNoticeSent(ticket_number=self.number, at=at, actor_id=actor_id),
        ]

    def record_callback(self, callback: Callback, clock: SlaClock) -> list[ev.Event]:
        """T4: record a callback; a confirmed one meets its target and closes the ticket."""
        if self.rectified_at is None:
            raise ValidationFailed("a callback comes after rectification")
        self._require_live("record a callback")
        self._log(
            callback.at,
            callback.by,
            "callback_recorded",
            question=callback.question,
            satisfaction=callback.satisfaction,
            confirmed=callback.confirmed,
        )
        self.callbacks.append(callback)
        events: list[ev.Event] = [
            ev.CallbackRecorded(
                ticket_number=self.number,
                at=callback.at,
                by=callback.by,
                agent_id=self.assignee_id,
                satisfaction=callback.satisfaction,
                confirmed=callback.confirmed,
            )
        ]
        if callback.confirmed:
            events += self._meet(clock, "callback", callback.at)
            events += self.close(callback.by, callback.at)
        return events

    def close(self, actor_id: str, at: datetime) -> list[ev.Event]:
        """Close the ticket; T4: refused while a needed callback is not confirmed."""
        check_transition(self.state, TicketState.CLOSED)
        if self.needs_callback and not self.has_confirmed_callback:
            raise CallbackRequired(
                "this ticket closes only after a callback the customer confirmed (T4)",
                current=self.state,
                allowed=[t for t in allowed_targets(self.state) if t != TicketState.CLOSED],
            )
        self._move(TicketState.CLOSED, actor_id, at, "closed")
        self.closed_at = at
        return [ev.TicketClosed(ticket_number=self.number, at=at, actor_id=actor_id)]

    def link(self, actor_id: str, at: datetime, other_number: str) -> list[ev.Event]:
        """Link another ticket, RMA or refund number (T8); linking twice is a no-op."""
        other_number = require_text(other_number, "other_number")
        if other_number in self.links:
            return []
        self._log(at, actor_id, "linked", other_number=other_number)
        self.links.append(other_number)
        return [
            ev.TicketLinked(
                ticket_number=self.number, at=at, actor_id=actor_id, other_number=other_number
            )
        ]

    def merge_into(self, other: Ticket, actor_id: str, at: datetime) -> list[ev.Event]:
        """Merge this duplicate into other; both keep their history and link to each other (T8)."""
        if other.number == self.number:
            raise ValidationFailed("a ticket cannot be merged into itself")
        other._require_live("receive a merge")
        self._move(TicketState.MERGED, actor_id, at, "merged", into_number=other.number)
        self.merged_into = other.number
        other._log(at, actor_id, "merged_from", from_number=self.number)
        if self.number not in other.links:
            other.links.append(self.number)
        return [
            ev.TicketMerged(
                ticket_number=self.number, at=at, actor_id=actor_id, into_number=other.number
            )
        ]
