"""The values an RMA (L1-L3, L8, L9) is made of: its kind, the service card, the quality
decision, a dispute, a supervisor's approval and the replacement's shipping order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RmaKind(StrEnum):
    RETURN = "return"
    EXCHANGE = "exchange"


class Verdict(StrEnum):
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ServiceCard:
    """L1: the card in the parcel. Contact fields are personal data (masked, never logged)."""

    customer_id: str
    reason: str
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""
    wanted_replacement: str | None = None


@dataclass(frozen=True)
class QualityDecision:
    """L2: after-sales' verdict on a quality claim, with a note."""

    verdict: Verdict
    note: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Dispute:
    """L4: a failed inspection, with its owner and next-action time."""

    owner_id: str
    next_action_at: datetime
    reason: str
    opened_at: datetime


@dataclass(frozen=True)
class Approval:
    """A supervisor's approval with a reason (L9 advance replacement, L7 override)."""

    by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class ExchangeOrder:
    """L8: the replacement's shipping order, for the order desk and the warehouse."""

    replacement: str
    created_at: datetime
    status: str = "pending"  # pending → shipped → delivered
    tracking_number: str | None = None
    courier: str | None = None
    shipped_at: datetime | None = None
    shipped_by: str | None = None
    delivered_at: datetime | None = None
