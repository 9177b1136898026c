"""T5/T14: satisfaction survey rounds, their summary, and opinion dispatch deadlines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from statistics import fmean
from typing import Literal

from tickets.domain.errors import TransitionRefused, ValidationFailed
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
Step = Literal["dispatch", "measures", "fix", "callback"]
OPEN_DISPATCH: tuple[DispatchStatus, ...] = ("planned", "dispatched", "fixed")
NEXT_STEP: dict[str, Step] = {"planned": "dispatch", "dispatched": "measures",
                              "measures_returned": "fix", "fixed": "callback"}
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, kw_only=True)
class RoundRecord:
    round: SurveyRound
    status: RoundStatus
    created_at: datetime
    created_by: str
    summarised_at: datetime | None = None
    summarised_by: str | None = None

    def check_open(self, doing: str) -> None:
        """A summarised round takes no more responses and is not summarised again."""
        if self.status != "open":
            raise TransitionRefused(self.status, doing, [])

    def summarised(self, at: datetime, by: str) -> RoundRecord:
        """T5: the round closed to new responses."""
        self.check_open("summarise again")
        return replace(self, status="summarised", summarised_at=at, summarised_by=by)


def route_unclassified(opinions: Mapping[str, list[str]], default: str) -> dict[str, list[str]]:
    """Opinions no keyword matched go to the default department."""
    routed: dict[str, list[str]] = {}
    for department, found in opinions.items():
        target = default if department == UNCLASSIFIED else department
        routed.setdefault(target, []).extend(found)
    return routed


def plan_dispatches(round_id: str, routed: Mapping[str, Sequence[str]], at: datetime,
                    calendar: Calendar,
                    policies: tuple[SlaPolicy, ...]) -> list[DispatchRecord]:
    """T5: one dispatch per department, each due within 2 working days of the summary."""
    return [DispatchRecord(id=f"{round_id}.{department}", round_id=round_id, steps_by={},
                           dispatch=OpinionDispatch.plan(department, opinions, at, calendar,
                                                         policies))
            for department, opinions in sorted(routed.items())]


@dataclass(kw_only=True)
class DispatchRecord:
    """An opinion dispatch (domain) with who recorded each step and the scheduled callback.

    Its steps go planned → dispatched → measures_returned → fixed → callback_scheduled, one at
    a time; each step method checks it is the next one and records who took it.
    """

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

    def send(self, at: datetime, calendar: Calendar, by: str) -> None:
        """T5: the opinions reached the department; its measures are due in 3 working days."""
        self._check("dispatch")
        self.dispatch.dispatch(at, calendar)
        self.steps_by["dispatch"] = by

    def return_measures(self, at: datetime, measures: str, by: str) -> None:
        """T5: the department's written corrective measures came back."""
        self._check("measures")
        self.dispatch.return_measures(at, measures)
        self.steps_by["measures"] = by

    def fix(self, at: datetime, calendar: Calendar, note: str, by: str) -> None:
        """T5: the fix is in place; the customer callback is due within 2 weeks."""
        self._check("fix")
        self.dispatch.mark_fixed(at, calendar)
        self.fix_note = note.strip()
        self.steps_by["fix"] = by

    def schedule_callback(self, at: datetime, scheduled_for: datetime, note: str,
                          by: str) -> None:
        """T5: book the customer callback, not in the past and no later than its due time."""
        self._check("callback")
        due = self.dispatch.callback_due
        if scheduled_for < at - CLOCK_SKEW:
            raise ValidationFailed("scheduled_for lies in the past", field="scheduled_for")
        if due is not None and scheduled_for > due:
            raise ValidationFailed(f"the callback is due by {due.isoformat()} (T5: 2 weeks)",
                                   field="scheduled_for")
        self.callback_scheduled_for, self.callback_note = scheduled_for, note.strip()
        self.steps_by["callback"] = by

    def late(self, now: datetime) -> list[str]:
        """Steps late at `now`: dispatch, measures, and a callback not booked by its due time."""
        late = self.dispatch.overdue(now)
        due = self.dispatch.callback_due
        if self.status == "fixed" and due is not None and now > due:
            late.append("callback")
        return late

    def _check(self, step: Step) -> None:
        status = self.status
        if NEXT_STEP.get(status) != step:
            allowed = [NEXT_STEP[status]] if status in NEXT_STEP else []
            raise TransitionRefused(status, step, allowed)
