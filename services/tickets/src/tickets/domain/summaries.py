"""T11/T12 summaries: suggestions per category, complaints per grade and subject, staff points.

Pure aggregation over the tickets opened in a period; merged duplicates are not counted. What
happened to a ticket later (adopted, rectified, verified) counts with the period it was opened in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tickets.domain.model import (
    VERIFIED_COMPLAINT_POINTS,
    ComplaintGrade,
    ComplaintSubject,
    Kind,
    Period,
)
from tickets.domain.states import TicketState
from tickets.domain.ticket import Ticket

LATEST_SUMMARIES = 5


@dataclass(frozen=True)
class SummaryLine:
    """A suggestion's summary as an agent wrote it, and the points it earned if adopted."""

    ticket_number: str
    summary: str
    author_id: str | None
    written_at: datetime | None
    adopted_points: int | None


@dataclass(frozen=True)
class CategoryFigures:
    """T11: suggestions of one category (None: not classified yet)."""

    category: str | None
    count: int
    adopted: int
    points_awarded: int
    open: int
    latest: tuple[SummaryLine, ...]


@dataclass(frozen=True)
class ComplaintGroup:
    """T3/T12: complaints of one grade and subject (None: not classified yet)."""

    grade: ComplaintGrade
    subject: ComplaintSubject | None
    count: int
    rectified_in_time: int


@dataclass(frozen=True)
class StaffPoints:
    """T12/H17: verified complaints about one staff member and the points they cost."""

    staff_id: str
    verified_complaints: int
    points: int


@dataclass(frozen=True)
class ComplaintFigures:
    groups: tuple[ComplaintGroup, ...]
    verified_staff: tuple[StaffPoints, ...]


def suggestion_summary(tickets: Iterable[Ticket], period: Period, categories: Sequence[str],
                       latest: int = LATEST_SUMMARIES) -> list[CategoryFigures]:
    """T11: per category, in the manager's order (listed even when empty), then categories
    since removed, then the unclassified: count, adopted, points awarded, still open, and the
    `latest` summaries, newest first."""
    by_category: dict[str | None, list[Ticket]] = defaultdict(list)
    for ticket in _opened(tickets, Kind.SUGGESTION, period):
        by_category[ticket.category].append(ticket)
    removed = sorted(c for c in by_category if c is not None and c not in categories)
    order: list[str | None] = [*categories, *removed]
    if None in by_category:
        order.append(None)
    return [_category(name, by_category.get(name, []), latest) for name in order]


def complaint_summary(tickets: Iterable[Ticket], period: Period) -> ComplaintFigures:
    """T12: per grade and subject (every pair, unclassified last): count and rectified within
    the rectification target (T3); and per staff member the verified complaints, −3 each (H17)."""
    complaints = list(_opened(tickets, Kind.COMPLAINT, period))
    groups = tuple(
        _group(grade, subject, [t for t in complaints if (t.grade, t.subject) == (grade, subject)])
        for grade in ComplaintGrade for subject in (*ComplaintSubject, None))
    verified = Counter(staff for t in complaints for staff in t.verified_staff_ids)
    staff = tuple(StaffPoints(staff_id, n, n * VERIFIED_COMPLAINT_POINTS)
                  for staff_id, n in sorted(verified.items()))
    return ComplaintFigures(groups, staff)


def _opened(tickets: Iterable[Ticket], kind: Kind, period: Period) -> Iterable[Ticket]:
    return (t for t in tickets if t.kind is kind and t.state is not TicketState.MERGED
            and period.contains(t.created_at))


def _category(name: str | None, tickets: list[Ticket], latest: int) -> CategoryFigures:
    points = [t.adopted_points for t in tickets if t.adopted_points is not None]
    written = sorted((t for t in tickets if t.summary),
                     key=lambda t: (t.summary_at or t.created_at, t.number), reverse=True)
    return CategoryFigures(
        category=name, count=len(tickets), adopted=len(points), points_awarded=sum(points),
        open=sum(_unresolved(t) for t in tickets),
        latest=tuple(SummaryLine(t.number, t.summary or "", t.summary_by, t.summary_at,
                                 t.adopted_points) for t in written[:latest]))


def _unresolved(ticket: Ticket) -> bool:
    """Neither rectified (handled) nor closed."""
    return ticket.rectified_at is None and ticket.state is not TicketState.CLOSED


def _group(grade: ComplaintGrade, subject: ComplaintSubject | None,
           tickets: list[Ticket]) -> ComplaintGroup:
    in_time = sum(bool((target := t.target("rectification")) and target.met_in_time)
                  for t in tickets)
    return ComplaintGroup(grade, subject, len(tickets), in_time)
