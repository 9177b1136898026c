"""T5/T14: satisfaction survey rounds, their summary, and opinion dispatch deadlines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean
from typing import Literal

from tickets.domain.errors import ValidationFailed
from tickets.domain.model import Period, require_aware, require_text
from tickets.domain.ports import Calendar
from tickets.domain.sla import DEFAULT_POLICIES, Metric, SlaPolicy, compute_due, select_policies

UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, kw_only=True)
class SurveyRound:
    """One periodic satisfaction survey (T14)."""

    id: str
    period: Period
    title: str = ""


@dataclass(frozen=True, kw_only=True)
class SurveyResponse:
    """One customer's answer: a score 1..5 about an agent, and an optional opinion."""

    round_id: str
    customer_id: str
    agent_id: str | None
    score: int
    at: datetime
    opinion: str = ""
    ticket_number: str | None = None

    def __post_init__(self) -> None:
        require_aware(self.at, "response time")
        if isinstance(self.score, bool) or not isinstance(self.score, int):
            raise ValidationFailed("score must be an integer from 1 to 5")
        if not 1 <= self.score <= 5:
            raise ValidationFailed("score must be an integer from 1 to 5")


@dataclass(frozen=True)
class SurveySummary:
    """Count, average, per-agent averages, and opinions grouped by department."""

    count: int
    average: float | None
    per_agent: dict[str, float]
    opinions: dict[str, list[str]]


def classify(opinion: str, departments: Mapping[str, str]) -> str:
    """The department of the first keyword found in opinion (mapping keyword → department)."""
    lowered = opinion.lower()
    return next((dep for kw, dep in departments.items() if kw.lower() in lowered), UNCLASSIFIED)


def summarise(
    responses: Sequence[SurveyResponse], departments: Mapping[str, str] | None = None
) -> SurveySummary:
    """T5/T14: the round's figures; opinions are grouped by the keyword → department mapping."""
    scores_by_agent: dict[str, list[int]] = defaultdict(list)
    opinions: dict[str, list[str]] = defaultdict(list)
    for response in responses:
        if response.agent_id:
            scores_by_agent[response.agent_id].append(response.score)
        if response.opinion.strip():
            department = classify(response.opinion, departments or {})
            opinions[department].append(response.opinion.strip())
    average = round(fmean(r.score for r in responses), 2) if responses else None
    per_agent = {agent: round(fmean(s), 2) for agent, s in sorted(scores_by_agent.items())}
    return SurveySummary(len(responses), average, per_agent, dict(opinions))


@dataclass(kw_only=True)
class OpinionDispatch:
    """T5: opinions sent to a department, its written measures, and the customer callback after."""

    department: str
    opinions: tuple[str, ...]
    summarised_at: datetime
    dispatch_due: datetime
    dispatched_at: datetime | None = None
    measures_due: datetime | None = None
    measures: str | None = None
    measures_at: datetime | None = None
    fixed_at: datetime | None = None
    callback_due: datetime | None = None
    policies: tuple[SlaPolicy, ...] = field(default=DEFAULT_POLICIES, repr=False)

    @classmethod
    def plan(
        cls,
        department: str,
        opinions: Sequence[str],
        summarised_at: datetime,
        calendar: Calendar,
        policies: tuple[SlaPolicy, ...] = DEFAULT_POLICIES,
    ) -> OpinionDispatch:
        """Opinions summarised now must reach the department within 2 working days."""
        due = _due(policies, "survey_dispatch", summarised_at, calendar)
        return cls(
            department=require_text(department, "department"),
            opinions=tuple(opinions),
            summarised_at=summarised_at,
            dispatch_due=due,
            policies=policies,
        )

    def dispatch(self, at: datetime, calendar: Calendar) -> None:
        """Sent and received: the department's measures are due within 3 working days."""
        self.dispatched_at = require_aware(at, "dispatched at")
        self.measures_due = _due(self.policies, "measures_return", at, calendar)

    def return_measures(self, at: datetime, measures: str) -> None:
        """The department's written corrective measures came back."""
        if self.dispatched_at is None:
            raise ValidationFailed("measures come back after the opinions were sent")
        self.measures, self.measures_at = require_text(measures, "measures"), at

    def mark_fixed(self, at: datetime, calendar: Calendar) -> None:
        """The fix is in place: the customer callback is due within 2 weeks."""
        self.fixed_at = require_aware(at, "fixed at")
        self.callback_due = _due(self.policies, "callback", at, calendar, origin="survey")

    def overdue(self, now: datetime) -> list[str]:
        """Names of the steps past their deadline at `now` (dispatch, measures)."""
        late = []
        if self.dispatched_at is None and now > self.dispatch_due:
            late.append("dispatch")
        if self.measures_due and self.measures_at is None and now > self.measures_due:
            late.append("measures")
        return late


def _due(
    policies: Sequence[SlaPolicy], metric: Metric, start: datetime, calendar: Calendar, **attrs: str
) -> datetime:
    policy = select_policies(policies, attrs, metric)
    if policy is None:
        raise ValidationFailed(f"no SLA policy for {metric}")
    return compute_due(policy, start, calendar)


RoundStatus = Literal["open", "summarised"]
DispatchStatus = Literal["planned", "dispatched", "measures_returned", "fixed",
                         "callback_scheduled"]
OPEN_DISPATCH: tuple[DispatchStatus, ...] = ("planned", "dispatched", "fixed")


@dataclass(frozen=True, kw_only=True)
class RoundRecord:
    round: SurveyRound
    status: RoundStatus
    created_at: datetime
    created_by: str
    summarised_at: datetime | None = None
    summarised_by: str | None = None


@dataclass(kw_only=True)
class DispatchRecord:
    """An opinion dispatch (domain) with who recorded each step and the scheduled callback."""

    id: str
    round_id: str
    dispatch: OpinionDispatch
    steps_by: dict[str, str]
    fix_note: str | None = None
    callback_scheduled_for: datetime | None = None
    callback_note: str | None = None

    @property
    def status(self) -> DispatchStatus:
        d = self.dispatch
        if self.callback_scheduled_for is not None:
            return "callback_scheduled"
        if d.fixed_at is not None:
            return "fixed"
        if d.measures_at is not None:
            return "measures_returned"
        return "dispatched" if d.dispatched_at is not None else "planned"
