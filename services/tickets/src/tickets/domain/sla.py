"""SLA policies as data (T2-T6, T9), due-time arithmetic and per-ticket targets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from tickets.domain.errors import ValidationFailed
from tickets.domain.events import SlaBreached, SlaWarned
from tickets.domain.model import require_aware
from tickets.domain.ports import Calendar, TimeRange

Metric = Literal[
    "first_response",
    "rectification",
    "callback",
    "survey_dispatch",
    "measures_return",
    "payment_notice",
]
Unit = Literal["staffed_minutes", "working_days", "calendar_weeks", "calendar_days"]

DEFAULT_STAFFED_PERIODS: tuple[TimeRange, ...] = (
    (time(9, 0), time(11, 30)),
    (time(12, 30), time(23, 30)),
)
# The calendar searches at most ten years for working days; a policy asking for more would
# make every ticket it matches fail to open. This keeps well inside that reach.
MAX_WORKING_DAYS = 1000


class PolicyMatch(BaseModel):
    """Which tickets a policy applies to; None matches anything."""

    model_config = ConfigDict(frozen=True)

    kind: str | None = None
    grade: str | None = None
    tier: str | None = None
    channel: str | None = None
    origin: str | None = None

    def matches(self, attrs: Mapping[str, str | None]) -> bool:
        """True if every set field equals the ticket attribute of the same name."""
        return all(value is None or attrs.get(key) == value for key, value in self)

    def specificity(self) -> int:
        """Number of fields set; the most specific matching policy wins."""
        return sum(value is not None for _, value in self)


class SlaPolicy(BaseModel):
    """One target: for matching tickets, `metric` is due `amount` `unit`s after its start."""

    model_config = ConfigDict(frozen=True)

    name: str
    applies_to: PolicyMatch = PolicyMatch()
    metric: Metric
    amount: PositiveInt
    unit: Unit
    warn_before_ratio: float = Field(default=0.2, ge=0, lt=1)


def policy_attrs(
    kind: str, grade: str | None, tier: str, channel: str, origin: str
) -> dict[str, str | None]:
    """A ticket's attributes as policies match them (T9: the tier among them)."""
    return {"kind": str(kind), "grade": str(grade) if grade else None, "tier": tier,
            "channel": str(channel), "origin": str(origin)}


def check_policy(policy: SlaPolicy) -> SlaPolicy:
    """A policy a manager sets must give due times the calendar can compute."""
    if policy.unit == "working_days" and policy.amount > MAX_WORKING_DAYS:
        raise ValidationFailed(f"a policy counts at most {MAX_WORKING_DAYS} working days",
                               field="amount")
    return policy


def _policy(name: str, metric: Metric, amount: int, unit: Unit, **match: str) -> SlaPolicy:
    return SlaPolicy(
        name=name, applies_to=PolicyMatch(**match), metric=metric, amount=amount, unit=unit
    )


DEFAULT_POLICIES: tuple[SlaPolicy, ...] = (
    _policy("first_response", "first_response", 3, "staffed_minutes"),  # T2
    _policy(
        "first_response_key", "first_response", 2, "staffed_minutes", tier="key"
    ),  # T9 (policy)
    _policy(
        "rectify_major", "rectification", 1, "working_days", kind="complaint", grade="major"
    ),  # T3
    _policy(
        "rectify_general", "rectification", 3, "working_days", kind="complaint", grade="general"
    ),
    _policy(
        "callback_major", "callback", 1, "calendar_weeks", kind="complaint", grade="major"
    ),  # T4
    _policy("callback_general", "callback", 2, "calendar_weeks", kind="complaint", grade="general"),
    _policy(
        "special_payment_notice", "payment_notice", 1, "working_days", kind="special_service"
    ),  # T6
    _policy("special_callback", "callback", 1, "calendar_weeks", kind="special_service"),
    _policy("survey_dispatch", "survey_dispatch", 2, "working_days"),  # T5
    _policy("survey_measures", "measures_return", 3, "working_days"),
    _policy("survey_callback", "callback", 2, "calendar_weeks", origin="survey"),
)


def select_policies(
    policies: Sequence[SlaPolicy], attrs: Mapping[str, str | None], metric: Metric
) -> SlaPolicy | None:
    """The most specific policy for metric matching attrs (first listed wins a tie), or None."""
    matching = [p for p in policies if p.metric == metric and p.applies_to.matches(attrs)]
    return max(matching, key=lambda p: p.applies_to.specificity(), default=None)


def compute_due(
    policy: SlaPolicy,
    start: datetime,
    calendar: Calendar,
    staffed_periods: Sequence[TimeRange] = DEFAULT_STAFFED_PERIODS,
    *,
    open_days: str = "all",
) -> datetime:
    """When policy's target falls due for a clock started at start."""
    require_aware(start, "start")
    if policy.unit == "staffed_minutes":
        delta = timedelta(minutes=policy.amount)
        return calendar.add_within_periods(start, delta, staffed_periods, open_days=open_days)
    if policy.unit == "working_days":
        return calendar.add_working_days(start, policy.amount)
    if policy.unit == "calendar_weeks":
        return start + timedelta(weeks=policy.amount)
    return start + timedelta(days=policy.amount)


@dataclass(kw_only=True)
class SlaTarget:
    """One clock on a ticket: start, due and warning times; when and by how much it was met."""

    metric: Metric
    policy_name: str
    unit: Unit
    started_at: datetime
    due_at: datetime
    warn_at: datetime
    responsible_id: str | None
    met_at: datetime | None = None
    margin_seconds: float | None = None  # positive = early, negative = late
    warned_at: datetime | None = None
    breached_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """True until the target is met."""
        return self.met_at is None

    @property
    def met_in_time(self) -> bool:
        """Met by its due time, and no breach recorded."""
        late = self.breached_at is not None or (self.margin_seconds or 0) < 0
        return self.met_at is not None and not late

    def meet(
        self,
        at: datetime,
        *,
        calendar: Calendar | None = None,
        staffed_periods: Sequence[TimeRange] = DEFAULT_STAFFED_PERIODS,
        open_days: str = "all",
    ) -> bool:
        """Record the target met at `at` with its margin; False if it was already met."""
        require_aware(at, "met at")
        if not self.is_open:
            return False
        if self.unit == "staffed_minutes":
            if calendar is None:
                raise ValidationFailed("a calendar is needed to measure staffed time")
            early, late = sorted((at, self.due_at))
            span = calendar.elapsed_within_periods(
                early, late, staffed_periods, open_days=open_days
            )
            margin = span.total_seconds() * (1 if at <= self.due_at else -1)
        else:
            margin = (self.due_at - at).total_seconds()
        self.met_at, self.margin_seconds = at, margin
        return True

    def due_for_warning(self, now: datetime) -> bool:
        """True if the warning time has come, the target is still open and nobody was warned."""
        return self.is_open and self.warned_at is None and self.warn_at <= now < self.due_at

    def due_for_breach(self, now: datetime) -> bool:
        """True if the target is open, past due and its breach not yet recorded."""
        return self.is_open and self.breached_at is None and now > self.due_at

    def warn(self, ticket_number: str, at: datetime) -> SlaWarned:
        """Record that the responsible person was warned at `at`: the event that warns them."""
        self.warned_at = require_aware(at, "warned at")
        return SlaWarned(ticket_number=ticket_number, at=at, metric=self.metric,
                         policy=self.policy_name, due_at=self.due_at,
                         responsible_id=self.responsible_id)

    def breach(self, ticket_number: str, at: datetime) -> SlaBreached:
        """Record the breach at the moment the target fell due: the event that reports it."""
        self.breached_at = self.due_at
        return SlaBreached(ticket_number=ticket_number, at=at, metric=self.metric,
                           policy=self.policy_name, due_at=self.due_at,
                           breached_at=self.due_at, responsible_id=self.responsible_id)


OPENING_METRICS: tuple[Metric, ...] = ("first_response", "rectification")
"""The clocks a ticket starts when it opens (T2, T3); the others start at rectification."""


def opening_targets(clock: SlaClock, attrs: Mapping[str, str | None], start: datetime,
                    responsible_id: str | None = None) -> list[SlaTarget]:
    """The targets a ticket with `attrs` gets when its clocks start at `start`: what an opening
    records, and what the deadline preview shows without opening anything."""
    targets = (clock.start(metric, attrs, start, responsible_id) for metric in OPENING_METRICS)
    return [target for target in targets if target is not None]


def latest(targets: Sequence[SlaTarget], metric: Metric) -> SlaTarget | None:
    """The latest of a ticket's targets for metric, if any."""
    return next((t for t in reversed(targets) if t.metric == metric), None)


def sweep(
    targets: Sequence[SlaTarget], ticket_number: str, now: datetime
) -> list[SlaWarned | SlaBreached]:
    """At `now`: each open target past due is breached (T2), each coming due is warned of."""
    events: list[SlaWarned | SlaBreached] = []
    for target in targets:
        if target.due_for_breach(now):
            events.append(target.breach(ticket_number, now))
        elif target.due_for_warning(now):
            events.append(target.warn(ticket_number, now))
    return events


@dataclass(frozen=True)
class SlaClock:
    """Policies, calendar and staffed hours bundled for Ticket methods."""

    calendar: Calendar
    policies: tuple[SlaPolicy, ...] = DEFAULT_POLICIES
    staffed_periods: tuple[TimeRange, ...] = DEFAULT_STAFFED_PERIODS
    open_days: str = "all"

    def start(
        self,
        metric: Metric,
        attrs: Mapping[str, str | None],
        started_at: datetime,
        responsible_id: str | None,
    ) -> SlaTarget | None:
        """A new target for metric from the best matching policy, or None if no policy applies."""
        policy = select_policies(self.policies, attrs, metric)
        if policy is None:
            return None
        due = compute_due(
            policy, started_at, self.calendar, self.staffed_periods, open_days=self.open_days
        )
        return SlaTarget(
            metric=metric,
            policy_name=policy.name,
            unit=policy.unit,
            started_at=started_at,
            due_at=due,
            warn_at=self._warn_at(policy, started_at, due),
            responsible_id=responsible_id,
        )

    def meet(self, target: SlaTarget, at: datetime) -> bool:
        """Meet target at `at`, measuring staffed targets in staffed time."""
        return target.meet(
            at,
            calendar=self.calendar,
            staffed_periods=self.staffed_periods,
            open_days=self.open_days,
        )

    def meet_or_breach(
        self, target: SlaTarget | None, ticket_number: str, at: datetime
    ) -> list[SlaBreached]:
        """Meet target (if any, and still open) at `at`; met late, it is breached unless the
        breach was recorded already (T2: counted against the responsible agent)."""
        if target is None or not self.meet(target, at):
            return []
        late = (target.margin_seconds or 0) < 0 and target.breached_at is None
        return [target.breach(ticket_number, at)] if late else []

    def _warn_at(self, policy: SlaPolicy, start: datetime, due: datetime) -> datetime:
        ratio = policy.warn_before_ratio
        if policy.unit == "staffed_minutes":
            delta = timedelta(minutes=policy.amount * (1 - ratio))
            return self.calendar.add_within_periods(
                start, delta, self.staffed_periods, open_days=self.open_days
            )
        return due - (due - start) * ratio
