"""Ticket vocabulary: enums, priority (T1, T9), ticket numbers (T1) and time checks."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from tickets.domain.errors import ValidationFailed

Tier = str  # tiers are editable data (T9 policy); these are the defaults
DEFAULT_TIERS: tuple[Tier, ...] = ("key", "regular", "new")
BOOST_TIERS: frozenset[Tier] = frozenset({"key"})
SuggestionCategory = str  # categories are editable data (T11); these are the defaults
DEFAULT_SUGGESTION_CATEGORIES: tuple[SuggestionCategory, ...] = (
    "product", "service", "logistics", "website", "process", "other")
VERIFIED_COMPLAINT_POINTS = -3  # H17: what a verified service complaint costs its staff member


class Channel(StrEnum):
    PHONE = "phone"
    IM = "im"
    EMAIL = "email"
    VISIT = "visit"
    WEB = "web"


class Kind(StrEnum):
    CONSULTATION = "consultation"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    AFTERSALES = "aftersales"
    SPECIAL_SERVICE = "special_service"


class ComplaintGrade(StrEnum):
    MAJOR = "major"
    GENERAL = "general"


class ComplaintSubject(StrEnum):
    """What a complaint is about (T12: only `staff_service` ones cost a staff member points)."""

    PRODUCT = "product"
    LOGISTICS = "logistics"
    STAFF_SERVICE = "staff_service"


class Importance(StrEnum):
    HIGH = "high"
    LOW = "low"


class Urgency(StrEnum):
    HIGH = "high"
    LOW = "low"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class Origin(StrEnum):
    CUSTOMER = "customer"
    SURVEY = "survey"


class Role(StrEnum):
    PRESALES = "presales"
    AFTERSALES = "aftersales"
    ORDER_DESK = "order_desk"
    WAREHOUSE = "warehouse"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    HR_ADMIN = "hr_admin"


SUPERVISORS: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.MANAGER})
TICKET_ROLES: frozenset[Role] = frozenset({Role.PRESALES, Role.AFTERSALES, *SUPERVISORS})
"""The roles that work tickets (and so may be given one)."""


@dataclass(frozen=True)
class StaffMember:
    """A staff member as the staff directory knows them (H1, learnt from hr.staff.changed)."""

    staff_id: str
    role: str
    active: bool = True

_MATRIX = {
    (Importance.HIGH, Urgency.HIGH): 1,
    (Importance.HIGH, Urgency.LOW): 2,
    (Importance.LOW, Urgency.HIGH): 3,
    (Importance.LOW, Urgency.LOW): 4,
}


def priority_of(
    importance: Importance,
    urgency: Urgency,
    tier: Tier,
    boost_tiers: Collection[Tier] = BOOST_TIERS,
) -> Priority:
    """T1/T9: Eisenhower matrix, raised one level (never above P1) for boosted tiers."""
    level = _MATRIX[(Importance(importance), Urgency(urgency))]
    if tier in boost_tiers:
        level = max(1, level - 1)
    return Priority(f"P{level}")


def graded(kind: Kind, grade: ComplaintGrade | str | None) -> ComplaintGrade | None:
    """T3: a complaint is graded major or general; other kinds have no grade."""
    if (Kind(kind) is Kind.COMPLAINT) != (grade is not None):
        raise ValidationFailed(
            "a complaint needs a grade (major/general); other kinds have none", field="grade"
        )
    return ComplaintGrade(grade) if grade else None


def ticket_number(day: date, seq: int) -> str:
    """T1: human-readable number, e.g. TK-20261126-0001 for the day's first ticket."""
    if seq < 1:
        raise ValidationFailed("ticket sequence starts at 1")
    return f"TK-{day:%Y%m%d}-{seq:04d}"


def require_aware(moment: datetime, name: str = "moment") -> datetime:
    """Return moment, or raise ValidationFailed if it has no time zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationFailed(f"{name} must be timezone-aware")
    return moment


def require_text(value: str | None, name: str) -> str:
    """Return the stripped text, or raise ValidationFailed if it is empty."""
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(f"{name} is required", field=name)
    return text


@dataclass(frozen=True)
class Period:
    """A half-open time interval [start, end) used by reports and surveys."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "period start")
        require_aware(self.end, "period end")
        if self.end <= self.start:
            raise ValidationFailed("period end must be after its start")

    def contains(self, moment: datetime) -> bool:
        """True if moment lies in [start, end)."""
        return self.start <= moment < self.end
