"""Schemas of the policies a manager edits: SLA targets (T2-T6, T9), assignment, customer tiers
(T9) and suggestion categories (T11). Each is put whole by name, so its body is an `Update`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from tickets.api.schemas.common import StaffTime, read_config, request_config
from tickets.domain.model import Channel, ComplaintGrade, Kind, Origin
from tickets.domain.sla import Metric, SlaPolicy, Unit

_AT = "2026-11-26T10:00:00+08:00"
PolicyName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")]
POLICY_EXAMPLE = {"applies_to": {"kind": "complaint", "grade": "major"},
                  "metric": "rectification", "amount": 1, "unit": "working_days",
                  "warn_before_ratio": 0.2}


class PolicyMatch(BaseModel):
    """Which tickets the policy applies to; an omitted field matches anything."""

    model_config = request_config({"kind": "complaint", "grade": "major"}, {"tier": "key"})

    kind: Kind | None = None
    grade: ComplaintGrade | None = None
    tier: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    channel: Channel | None = None
    origin: Origin | None = None


class SlaPolicyUpdate(BaseModel):
    """`metric` is due `amount` `unit`s after its clock starts, for matching tickets."""

    model_config = request_config(POLICY_EXAMPLE)

    applies_to: PolicyMatch = PolicyMatch()
    metric: Metric
    amount: PositiveInt = Field(le=10_000)
    unit: Unit
    warn_before_ratio: float = Field(0.2, ge=0, lt=1)

    def policy(self, name: str) -> SlaPolicy:
        match = self.applies_to.model_dump(mode="json")
        return SlaPolicy(name=name, applies_to=match, metric=self.metric, amount=self.amount,
                         unit=self.unit, warn_before_ratio=self.warn_before_ratio)


class SlaPolicyRead(BaseModel):
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
    def of(cls, policy: SlaPolicy) -> SlaPolicyRead:
        return cls(**policy.model_dump(mode="json"))


class AssignmentPolicyUpdate(BaseModel):
    """How new tickets are shared among the on-duty agents of the right role."""

    model_config = request_config({"strategy": "least_loaded"})

    strategy: Literal["round_robin", "least_loaded"]


class AssignmentPolicyRead(BaseModel):
    model_config = read_config({"strategy": "round_robin", "updated_by": "mgr-01",
                                "updated_at": _AT})

    strategy: str
    updated_by: str | None = None
    updated_at: StaffTime | None = None


class CustomerTierUpdate(BaseModel):
    model_config = request_config({"description": "大客户 key account", "boost_priority": True})

    description: Annotated[str, Field(max_length=200)] = ""
    boost_priority: bool = False


class CustomerTierRead(BaseModel):
    """A tier of the customer-classification standard (T9)."""

    model_config = read_config({"name": "key", "description": "大客户 key account",
                                "boost_priority": True, "updated_by": "mgr-01",
                                "updated_at": _AT})

    name: str
    description: str = ""
    boost_priority: bool = False
    updated_by: str | None = None
    updated_at: StaffTime | None = None

    @classmethod
    def of(cls, doc: dict[str, Any]) -> CustomerTierRead:
        return cls(name=doc["_id"], **{k: v for k, v in doc.items() if k != "_id"})


class SuggestionCategoryUpdate(BaseModel):
    model_config = request_config({"description": "网店页面 website"})

    description: Annotated[str, Field(max_length=200)] = ""


class SuggestionCategoryRead(BaseModel):
    """A suggestion category (T11)."""

    model_config = read_config({"name": "website", "description": "网店页面 website",
                                "updated_by": "mgr-01", "updated_at": _AT})

    name: str
    description: str = ""
    updated_by: str | None = None
    updated_at: StaffTime | None = None

    @classmethod
    def of(cls, doc: dict[str, Any]) -> SuggestionCategoryRead:
        return cls(name=doc["_id"], **{k: v for k, v in doc.items() if k != "_id"})
