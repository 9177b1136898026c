"""A ticket's recorded state and bookkeeping: fields, timeline (T8) and SLA clocks (T2-T4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from tickets.domain import events as ev
from tickets.domain.callbacks import Callback
from tickets.domain.errors import TransitionRefused
from tickets.domain.model import (
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
    require_aware,
)
from tickets.domain.sla import Metric, SlaClock, SlaTarget
from tickets.domain.states import TERMINAL, TicketState, check_transition

EscalationLevel = Literal["supervisor", "manager"]


@dataclass(frozen=True, kw_only=True)
class TimelineEntry:
    """One immutable line of a ticket's history (T8): who did what, when."""

    at: datetime
    actor_id: str | None
    action: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class TicketRecord:
    """The ticket's data; behaviour lives in Ticket, which every caller uses."""

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
    # T11/T12 classification and summary (rules in domain/classification.py)
    category: SuggestionCategory | None = None
    subject: ComplaintSubject | None = None
    staff_id: str | None = None  # T12: whom a staff_service complaint is about
    summary: str | None = None
    summary_by: str | None = None
    summary_at: datetime | None = None

    # --- queries -------------------------------------------------------------------------------

    def sla_attrs(self) -> dict[str, str | None]:
        """The attributes SLA policies match on."""
        grade = self.grade.value if self.grade else None
        return {
            "kind": self.kind.value,
            "grade": grade,
            "tier": self.tier,
            "channel": self.channel.value,
            "origin": self.origin.value,
        }

    def target(self, metric: Metric) -> SlaTarget | None:
        """The latest SLA target for metric, if any."""
        return next((t for t in reversed(self.sla) if t.metric == metric), None)

    @property
    def has_confirmed_callback(self) -> bool:
        """T4: a callback the customer confirmed has been recorded."""
        return any(cb.confirmed for cb in self.callbacks)

    # --- SLA sweep -----------------------------------------------------------------------------

    def check_sla(self, now: datetime) -> list[ev.Event]:
        """Record breaches (T2: counted against the responsible agent) and due warnings at `now`."""
        require_aware(now, "now")
        if self.state in TERMINAL:
            return []
        events: list[ev.Event] = []
        for target in self.sla:
            if target.due_for_breach(now):
                events.append(self._breach(target, now))
            elif target.due_for_warning(now):
                target.mark_warned(now)
                self._log(
                    now, None, "sla_warned", metric=target.metric, due_at=target.due_at,
                    responsible_id=target.responsible_id,
                )
                events.append(
                    ev.SlaWarned(
                        ticket_number=self.number,
                        at=now,
                        metric=target.metric,
                        policy=target.policy_name,
                        due_at=target.due_at,
                        responsible_id=target.responsible_id,
                    )
                )
        return events

    def note(self, at: datetime, actor_id: str | None, action: str, **details: Any) -> None:
        """T8: record something that happened elsewhere (a linked return, refund or shipment)."""
        self._log(at, actor_id, action, **details)

    # --- internals -----------------------------------------------------------------------------

    def _log(self, at: datetime, actor_id: str | None, action: str, **details: Any) -> None:
        entry = TimelineEntry(
            at=require_aware(at, "at"), actor_id=actor_id, action=action, details=details
        )
        self.timeline = (*self.timeline, entry)

    def _move(
        self,
        target: TicketState,
        actor_id: str | None,
        at: datetime,
        action: str = "state_changed",
        **details: Any,
    ) -> None:
        check_transition(self.state, target)
        self._log(
            at, actor_id, action, from_state=self.state.value, to_state=target.value, **details
        )
        self.state = target

    def _require_live(self, doing: str) -> None:
        if self.state in TERMINAL:
            raise TransitionRefused(self.state, doing, [])

    def _set_owner(self, staff_id: str, deadline: datetime | None) -> None:
        self.assignee_id, self.deadline = staff_id, deadline
        for target in self.sla:
            if target.is_open:
                target.responsible_id = staff_id

    def _start_clock(self, clock: SlaClock, metric: Metric, at: datetime) -> SlaTarget | None:
        target = clock.start(metric, self.sla_attrs(), at, self.assignee_id)
        if target is not None:
            self.sla.append(target)
        return target

    def _meet(self, clock: SlaClock, metric: Metric, at: datetime) -> list[ev.Event]:
        target = self.target(metric)
        if target is None or not clock.meet(target, at):
            return []
        late = (target.margin_seconds or 0) < 0 and target.breached_at is None
        return [self._breach(target, at)] if late else []

    def _breach(self, target: SlaTarget, at: datetime) -> ev.SlaBreached:
        target.mark_breached()
        self._log(
            at, None, "sla_breached", metric=target.metric, responsible_id=target.responsible_id
        )
        return ev.SlaBreached(
            ticket_number=self.number,
            at=at,
            metric=target.metric,
            policy=target.policy_name,
            due_at=target.due_at,
            breached_at=target.due_at,
            responsible_id=target.responsible_id,
        )
