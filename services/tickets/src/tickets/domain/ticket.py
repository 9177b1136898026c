"""The Ticket aggregate (T1-T12): its state, and the transitions that change it.

Each transition checks its rule (rule modules beside this one: sla, handover, classification,
outcomes, states), appends to the timeline (T8) and returns the events it caused.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from tickets.domain import events as ev
from tickets.domain import outcomes
from tickets.domain.assignment import role_for_kind
from tickets.domain.callbacks import Callback
from tickets.domain.classification import (
    Classification,
    about_staff,
    changed_fields,
    checked_classification,
    keep_verified,
    require_classifier,
)
from tickets.domain.errors import TransitionRefused, ValidationFailed
from tickets.domain.handover import EscalationLevel, Handover, next_level
from tickets.domain.intake import IntakePolicy
from tickets.domain.model import (
    BOOST_TIERS,
    Channel,
    ComplaintGrade,
    ComplaintSubject,
    Importance,
    Kind,
    Origin,
    Priority,
    Role,
    SuggestionCategory,
    Tier,
    Urgency,
    graded,
    priority_of,
    require_aware,
    require_text,
)
from tickets.domain.sla import (
    Metric,
    SlaClock,
    SlaTarget,
    latest,
    opening_targets,
    policy_attrs,
    sweep,
)
from tickets.domain.states import TERMINAL, TicketState, check_transition

DEFAULT_INTAKE = IntakePolicy()


@dataclass(frozen=True, kw_only=True)
class OpenTicket:
    """T1: a customer request as it becomes a ticket, its number and assignee already chosen."""

    id: str
    number: str
    customer_id: str
    tier: Tier = "regular"  # T9: from the customer's profile
    channel: Channel
    origin: Origin = Origin.CUSTOMER  # T5: or an opinion from a satisfaction survey
    kind: Kind
    grade: ComplaintGrade | None = None  # T3: complaints only
    description: str
    importance: Importance
    urgency: Urgency
    classification: Classification | None = None  # T11/T12: suggestions and complaints
    at: datetime
    asked_at: datetime | None = None  # T2: when the customer's message arrived (default: at)
    actor_id: str | None = None
    assignee_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class TimelineEntry:
    """One immutable line of a ticket's history (T8): who did what, when."""

    at: datetime
    actor_id: str | None
    action: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class Ticket:
    """A customer request; mutate only through its methods so the timeline stays complete."""

    id: str
    number: str
    customer_id: str
    channel: Channel
    kind: Kind
    description: str
    importance: Importance
    urgency: Urgency
    priority: Priority
    tier: Tier
    role: Role
    created_at: datetime
    asked_at: datetime | None = None  # T2: when the customer asked; the opening clocks start
    state: TicketState = TicketState.NEW
    grade: ComplaintGrade | None = None
    origin: Origin = Origin.CUSTOMER
    needs_callback: bool = False
    assignee_id: str | None = None
    department: str | None = None
    escalation_level: EscalationLevel | None = None
    deadline: datetime | None = None
    first_responded_at: datetime | None = None
    rectified_at: datetime | None = None
    closed_at: datetime | None = None
    merged_into: str | None = None
    timeline: tuple[TimelineEntry, ...] = ()
    sla: list[SlaTarget] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    verified_staff_ids: list[str] = field(default_factory=list)
    adopted_points: int | None = None
    category: SuggestionCategory | None = None  # T11
    subject: ComplaintSubject | None = None  # T12
    staff_id: str | None = None  # T12: whom a staff_service complaint is about
    summary: str | None = None
    summary_by: str | None = None
    summary_at: datetime | None = None

    @classmethod
    def open(cls, command: OpenTicket, *, clock: SlaClock, categories: Collection[str] = (),
             boost_tiers: Collection[Tier] = BOOST_TIERS,
             intake: IntakePolicy = DEFAULT_INTAKE) -> tuple[Ticket, list[ev.Event]]:
        """T1: a new ticket with its priority, team, SLA clocks and (T11, T12) classification.

        `categories`: the manager's suggestion categories (T11); `boost_tiers`: the customer
        tiers whose tickets are raised one priority level (T9); `intake`: how long ago the
        customer may have asked (T2's clocks start then).
        """
        c, kind, origin = command, Kind(command.kind), Origin(command.origin)
        asked = intake.asked_at(c.asked_at, c.at)
        grade = graded(kind, c.grade)
        ticket = cls(
            id=c.id, number=c.number, customer_id=require_text(c.customer_id, "customer_id"),
            channel=Channel(c.channel), kind=kind,
            description=require_text(c.description, "description"),
            importance=Importance(c.importance), urgency=Urgency(c.urgency),
            priority=priority_of(c.importance, c.urgency, c.tier, boost_tiers), tier=c.tier,
            role=role_for_kind(kind), created_at=require_aware(c.at, "opened at"),
            asked_at=asked, grade=grade, origin=origin,
            needs_callback=outcomes.needs_callback(kind, origin), assignee_id=c.assignee_id,
        )
        ticket.sla.extend(opening_targets(clock, ticket._policy_attrs(), asked, c.assignee_id))
        late = {"asked_at": asked} if c.asked_at is not None else {}
        ticket._log(c.at, c.actor_id, "opened", kind=kind.value, priority=ticket.priority.value,
                    **late)
        if c.classification is not None:
            ticket._reclassify(c.actor_id, c.at, c.classification, categories)
        return ticket, [ev.TicketOpened(
            ticket_number=c.number, at=c.at, ticket_id=c.id, customer_id=c.customer_id,
            kind=kind.value, channel=ticket.channel.value, priority=ticket.priority.value,
            assignee_id=c.assignee_id)]

    def target(self, metric: Metric) -> SlaTarget | None:
        """The latest SLA target for metric, if any."""
        return latest(self.sla, metric)

    @property
    def classification(self) -> Classification:
        """T11/T12: what the suggestion or complaint is about, as one value."""
        return Classification(category=self.category, subject=self.subject,
                              staff_id=self.staff_id, summary=self.summary)

    # --- agent work ----------------------------------------------------------------------------

    def respond(self, actor_id: str, at: datetime, message: str, clock: SlaClock) -> list[ev.Event]:
        """Answer the customer; the first answer opens the ticket and meets T2's target. A
        ticket a refund already rectified (`rectify_by_refund`) stays where it is."""
        self._require_live("respond")
        message = require_text(message, "message")
        if self.first_responded_at is not None:
            self._log(at, actor_id, "responded", message=message)
            return []
        if self.rectified_at is not None:
            self._log(at, actor_id, "first_responded", message=message)
        else:
            self._move(TicketState.OPEN, actor_id, at, "first_responded", message=message)
        self.first_responded_at = at
        breaches = self._meet(clock, "first_response", at)
        target = self.target("first_response")
        margin = target.margin_seconds if target else None
        return [ev.FirstResponded(ticket_number=self.number, at=at, actor_id=actor_id,
                                  margin_seconds=margin), *breaches]

    def wait_for_customer(self, actor_id: str, at: datetime, note: str) -> list[ev.Event]:
        """Park the ticket until the customer replies."""
        self._move(TicketState.PENDING_CUSTOMER, actor_id, at, note=require_text(note, "note"))
        return []

    def customer_replied(self, at: datetime, message: str) -> list[ev.Event]:
        """The customer answered; the ticket is worked again."""
        message = require_text(message, "message")
        self._move(TicketState.OPEN, None, at, "customer_replied", message=message)
        return []

    def escalate(self, actor_id: str, at: datetime, to_staff_id: str, to_level: EscalationLevel,
                 reason: str, deadline: datetime, customer_notice: str) -> list[ev.Event]:
        """T7: escalate (supervisor, then manager) with reason, new owner, deadline and notice."""
        level = next_level(self.escalation_level, to_level)
        handover = Handover.checked(at, to_staff_id, reason, deadline, customer_notice)
        self._move(TicketState.ESCALATED, actor_id, at, "escalated", to_level=level,
                   **asdict(handover))
        self.escalation_level = level
        self._set_owner(handover.to_staff_id, deadline)
        return [ev.Escalated(ticket_number=self.number, at=at, actor_id=actor_id, to_level=level,
                             **asdict(handover))]

    def transfer(self, actor_id: str, at: datetime, department: str, owner_id: str, reason: str,
                 deadline: datetime, customer_notice: str) -> list[ev.Event]:
        """T7: hand over to a responsible department with reason, owner, deadline and notice."""
        department = require_text(department, "department")
        handover = Handover.checked(at, owner_id, reason, deadline, customer_notice)
        self._move(TicketState.TRANSFERRED, actor_id, at, "transferred", department=department,
                   **asdict(handover))
        self.department = department
        self._set_owner(handover.to_staff_id, deadline)
        return [ev.Transferred(
            ticket_number=self.number, at=at, actor_id=actor_id, department=department,
            owner_id=handover.to_staff_id, reason=handover.reason, deadline=handover.deadline,
            customer_notice=handover.customer_notice)]

    def reassign(self, actor_id: str, at: datetime, to_staff_id: str,
                 reason: str = "") -> list[ev.Event]:
        """Give the ticket to another agent without changing its state."""
        self._require_live("reassign")
        previous, to_staff_id = self.assignee_id, require_text(to_staff_id, "to_staff_id")
        self._log(at, actor_id, "reassigned", from_staff_id=previous, to_staff_id=to_staff_id,
                  reason=reason)
        self._set_owner(to_staff_id, self.deadline)
        return [ev.Reassigned(ticket_number=self.number, at=at, actor_id=actor_id,
                              from_staff_id=previous, to_staff_id=to_staff_id, reason=reason)]

    def classify(self, actor_id: str, actor_role: str, at: datetime,
                 changes: Mapping[str, str | None], categories: Collection[str]) -> list[ev.Event]:
        """T11/T12: the assignee or a supervisor changes the classification or summary."""
        require_classifier(actor_id, actor_role, self.assignee_id)
        wanted = self.classification.updated(changes)
        keep_verified(self.classification, wanted, self.verified_staff_ids)
        self._reclassify(actor_id, at, wanted, categories)
        return []

    def use_article(self, actor_id: str, at: datetime, article_id: str, version: int) -> None:
        """T10: remember which knowledge-base article (and version) helped."""
        ref = f"{require_text(article_id, 'article_id')}@v{version}"
        if ref not in self.articles:
            self._log(at, actor_id, "article_used", article=ref)
            self.articles.append(ref)

    def link(self, actor_id: str, at: datetime, other_number: str) -> list[ev.Event]:
        """Link another ticket, RMA or refund number (T8); linking twice is a no-op."""
        other_number = require_text(other_number, "other_number")
        if other_number in self.links:
            return []
        self._log(at, actor_id, "linked", other_number=other_number)
        self.links.append(other_number)
        return [ev.TicketLinked(ticket_number=self.number, at=at, actor_id=actor_id,
                                other_number=other_number)]

    def note(self, at: datetime, actor_id: str | None, action: str, **details: Any) -> None:
        """T8: record something that happened elsewhere (a linked return, refund or shipment)."""
        self._log(at, actor_id, action, **details)

    # --- outcomes ------------------------------------------------------------------------------

    def mark_rectified(self, actor_id: str, at: datetime, note: str,
                       clock: SlaClock) -> list[ev.Event]:
        """T3/T6: the problem is fixed (or the special service done); starts T4's callback clock."""
        note = require_text(note, "note")
        self._move(outcomes.rectified_state(self.needs_callback), actor_id, at, "rectified",
                   note=note)
        self.rectified_at = at
        breaches = self._meet(clock, "rectification", at)
        started = {metric: self._start_clock(clock, metric, at) for metric in
                   outcomes.clocks_after_rectification(self.kind, self.needs_callback)}
        callback = started.get("callback")
        due = callback.due_at if callback else None
        return [*breaches, ev.Rectified(ticket_number=self.number, at=at, actor_id=actor_id,
                                        note=note, callback_due_at=due)]

    def rectify_by_refund(self, actor_id: str, at: datetime, refund_id: str,
                          clock: SlaClock) -> list[ev.Event]:
        """T4, L7: the refund of a return asked from this ticket rectifies it and starts its
        callback clock, once. A ticket nobody has answered yet (`new`) is opened by it first;
        its first-response target (T2) stays open: the customer is still owed an answer."""
        if self.rectified_at is not None or self.state in TERMINAL:
            return []
        if self.state is TicketState.NEW:
            self._move(TicketState.OPEN, actor_id, at, "opened_by_refund", refund_id=refund_id)
        return self.mark_rectified(actor_id, at, f"refund {refund_id} issued", clock)

    def record_payment_notice(self, actor_id: str, at: datetime, clock: SlaClock) -> list[ev.Event]:
        """T6: the payment notice for a special service went to the customer."""
        outcomes.require_payment_notice(self.kind)
        self._require_live("send a payment notice")
        self._log(at, actor_id, "payment_notice_sent")
        return [*self._meet(clock, "payment_notice", at),
                ev.PaymentNoticeSent(ticket_number=self.number, at=at, actor_id=actor_id)]

    def record_callback(self, callback: Callback, clock: SlaClock) -> list[ev.Event]:
        """T4: record a callback; a confirmed one meets its target and closes the ticket."""
        if self.rectified_at is None:
            raise ValidationFailed("a callback comes after rectification")
        self._require_live("record a callback")
        self._log(callback.at, callback.by, "callback_recorded", question=callback.question,
                  satisfaction=callback.satisfaction, confirmed=callback.confirmed)
        self.callbacks.append(callback)
        events: list[ev.Event] = [ev.CallbackRecorded(
            ticket_number=self.number, at=callback.at, by=callback.by, agent_id=self.assignee_id,
            satisfaction=callback.satisfaction, confirmed=callback.confirmed)]
        if callback.confirmed:
            events += self._meet(clock, "callback", callback.at)
            events += self.close(callback.by, callback.at)
        return events

    def close(self, actor_id: str, at: datetime) -> list[ev.Event]:
        """Close the ticket; T4: refused while a needed callback is not confirmed."""
        check_transition(self.state, TicketState.CLOSED)
        outcomes.require_closable(self.state, self.needs_callback, self.callbacks)
        self._move(TicketState.CLOSED, actor_id, at, "closed")
        self.closed_at = at
        return [ev.TicketClosed(ticket_number=self.number, at=at, actor_id=actor_id)]

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
        return [ev.TicketMerged(ticket_number=self.number, at=at, actor_id=actor_id,
                                into_number=other.number)]

    def request_return(self, actor_id: str, at: datetime, kind: Literal["return", "exchange"],
                       order_id: str, items: Sequence[ev.ReturnItem], reason: str,
                       quality_claim: bool = False,
                       wanted_replacement: str | None = None) -> list[ev.Event]:
        """L1: ask logistics to open a return or exchange for this after-sales ticket."""
        outcomes.return_request(self.kind, kind, order_id, items, reason, wanted_replacement)
        self._require_live("request a return")
        self._log(at, actor_id, "return_requested", kind=kind, order_id=order_id)
        return [ev.ReturnRequested(
            ticket_number=self.number, at=at, kind=kind, order_id=order_id.strip(),
            customer_id=self.customer_id, items=tuple(items), reason=reason.strip(),
            quality_claim=quality_claim, wanted_replacement=wanted_replacement,
            requested_by=actor_id)]

    def verify_staff_complaint(self, actor_id: str, actor_role: str, at: datetime, staff_id: str,
                               note: str) -> list[ev.Event]:
        """T12: a supervisor confirms a service complaint against staff_id (H17: -3 points)."""
        staff_id, note = outcomes.verification(self.kind, actor_role, staff_id, note,
                                               self.verified_staff_ids)
        wanted = about_staff(self.classification, staff_id)
        self._reclassify(actor_id, at, wanted, ())
        self._log(at, actor_id, "complaint_verified", staff_id=staff_id, note=note)
        self.verified_staff_ids.append(staff_id)
        return [ev.ComplaintVerified(ticket_number=self.number, at=at, staff_id=staff_id,
                                     verified_by=actor_id, note=note)]

    def adopt_suggestion(self, actor_id: str, actor_role: str, at: datetime,
                         author_staff_id: str, points: int) -> list[ev.Event]:
        """T11: the manager adopts a staff suggestion, awarding 3..20 points (H18)."""
        author = outcomes.adoption(self.kind, actor_role, author_staff_id, points,
                                   self.adopted_points)
        self._log(at, actor_id, "suggestion_adopted", author_staff_id=author, points=points)
        self.adopted_points = points
        return [ev.SuggestionAdopted(ticket_number=self.number, at=at, author_staff_id=author,
                                     adopted_by=actor_id, points=points)]

    # --- SLA (T2-T6) ---------------------------------------------------------------------------

    def check_sla(self, now: datetime) -> list[ev.Event]:
        """Record breaches (T2: counted against the responsible agent) and due warnings at `now`."""
        require_aware(now, "now")
        if self.state in TERMINAL:
            return []
        return self._log_sla(sweep(self.sla, self.number, now))

    def _policy_attrs(self) -> dict[str, str | None]:
        return policy_attrs(self.kind, self.grade, self.tier, self.channel, self.origin)

    def _start_clock(self, clock: SlaClock, metric: Metric, at: datetime) -> SlaTarget | None:
        target = clock.start(metric, self._policy_attrs(), at, self.assignee_id)
        if target is not None:
            self.sla.append(target)
        return target

    def _meet(self, clock: SlaClock, metric: Metric, at: datetime) -> list[ev.Event]:
        return self._log_sla(clock.meet_or_breach(self.target(metric), self.number, at))

    def _log_sla(self, events: Sequence[ev.SlaWarned | ev.SlaBreached]) -> list[ev.Event]:
        for e in events:
            if isinstance(e, ev.SlaWarned):
                self._log(e.at, None, "sla_warned", metric=e.metric, due_at=e.due_at,
                          responsible_id=e.responsible_id)
            else:
                self._log(e.at, None, "sla_breached", metric=e.metric,
                          responsible_id=e.responsible_id)
        return list(events)

    # --- internals -----------------------------------------------------------------------------

    def _log(self, at: datetime, actor_id: str | None, action: str, **details: Any) -> None:
        entry = TimelineEntry(at=require_aware(at, "at"), actor_id=actor_id, action=action,
                              details=details)
        self.timeline = (*self.timeline, entry)

    def _move(self, target: TicketState, actor_id: str | None, at: datetime,
              action: str = "state_changed", **details: Any) -> None:
        check_transition(self.state, target)
        self._log(at, actor_id, action, from_state=self.state.value, to_state=target.value,
                  **details)
        self.state = target

    def _require_live(self, doing: str) -> None:
        if self.state in TERMINAL:
            raise TransitionRefused(self.state, doing, [])

    def _set_owner(self, staff_id: str, deadline: datetime | None) -> None:
        self.assignee_id, self.deadline = staff_id, deadline
        for target in self.sla:
            if target.is_open:
                target.responsible_id = staff_id

    def _reclassify(self, actor_id: str | None, at: datetime, wanted: Classification,
                    categories: Collection[str]) -> None:
        new = checked_classification(self.kind, wanted, self.classification, categories)
        changed = changed_fields(self.classification, new)
        if not changed:
            return
        self.category, self.subject, self.staff_id = new.category, new.subject, new.staff_id
        if "summary" in changed:
            self.summary, self.summary_by, self.summary_at = new.summary, actor_id, at
        self._log(at, actor_id, "classified", **changed)
