"""Schemas of the policies a manager edits: SLA targets (T2-T6, T9) and assignment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from tickets.domain.model import Channel, ComplaintGrade, Kind, Origin
from tickets.domain.sla import Metric, SlaPolicy, Unit

PolicyName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")]
POLICY_EXAMPLE = {"applies_to": {"kind": "complaint", "grade": "major"},
                  "metric": "rectification", "amount": 1, "unit": "working_days",
                  "warn_before_ratio": 0.2}


class PolicyMatchIn(BaseModel):
    """Which tickets the policy applies to; an omitted field matches anything."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kind": "complaint", "grade": "major"}, {"tier": "key"}]})

    kind: Kind | None = None
    grade: ComplaintGrade | None = None
    tier: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    channel: Channel | None = None
    origin: Origin | None = None


class SlaPolicyIn(BaseModel):
    """`metric` is due `amount` `unit`s after its clock starts, for matching tickets."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [POLICY_EXAMPLE]})

    applies_to: PolicyMatchIn = PolicyMatchIn()
    metric: Metric
    amount: PositiveInt = Field(le=10_000)
    unit: Unit
    warn_before_ratio: float = Field(0.2, ge=0, lt=1)

    def policy(self, name: str) -> SlaPolicy:
        match = self.applies_to.model_dump(mode="json")
        return SlaPolicy(name=name, applies_to=match, metric=self.metric, amount=self.amount,
                         unit=self.unit, warn_before_ratio=self.warn_before_ratio)


class SlaPolicyView(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"name": "rectify_major", **POLICY_EXAMPLE,
         "applies_to": {"kind": "complaint", "grade": "major", "tier": None, "channel": None,
                        "origin": None}}]})

    name: str
    applies_to: dict[str, Any]
    metric: str
    amount: int
    unit: str
    warn_before_ratio: float

    @classmethod
    def of(cls, policy: SlaPolicy) -> SlaPolicyView:
        return cls(**policy.model_dump(mode="json"))


class AssignmentPolicyIn(BaseModel):
    """How new tickets are shared among the on-duty agents of the right role."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"strategy": "least_loaded"}]})

    strategy: Literal["round_robin", "least_loaded"]


class AssignmentPolicyView(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"strategy": "round_robin", "updated_by": "mgr-01",
         "updated_at": "2026-11-26T10:00:00+08:00"}]})

    strategy: str
    updated_by: str | None = None
    updated_at: datetime | None = None
