"""What the domain and the use cases need from the outside world, as Protocols.

bootstrap.py wires the real ones (ops_shared's calendar, storage/'s repositories); the unit tests
use in-memory fakes of the same Protocols.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol
from zoneinfo import ZoneInfo

from ops_shared.persistence import UnitOfWork

if TYPE_CHECKING:  # the domain modules import Calendar from here
    from tickets.domain.customers import Customer
    from tickets.domain.duty import DutyAssignment, StaffRecord
    from tickets.domain.intake import IntakePolicy
    from tickets.domain.knowledge import ArticleRecord, ArticleUse, VersionRecord
    from tickets.domain.model import Kind, Period, StaffMember
    from tickets.domain.review import Reminder, ReviewRecord
    from tickets.domain.sla import SlaPolicy
    from tickets.domain.staffed_hours import StaffedHours
    from tickets.domain.surveys import DispatchRecord, RoundRecord, SurveyResponse
    from tickets.domain.ticket import Ticket

TimeRange = tuple[time, time]
OpenDays = Literal["all", "working"]


class Calendar(Protocol):
    """Working-day and staffed-hours arithmetic in the shop's time zone."""

    tz: ZoneInfo

    def add_working_days(self, moment: datetime, n: int) -> datetime:
        """Same wall-clock time on the n-th working day after moment (09:00 if moment is off)."""
        ...

    def add_within_periods(
        self,
        moment: datetime,
        delta: timedelta,
        periods: Sequence[TimeRange],
        *,
        open_days: str = "all",
    ) -> datetime:
        """Moment plus delta, counting only time inside the daily periods."""
        ...

    def elapsed_within_periods(
        self,
        start: datetime,
        end: datetime,
        periods: Sequence[TimeRange],
        *,
        open_days: str = "all",
    ) -> timedelta:
        """Time between start and end that falls inside the daily periods."""
        ...


class Clock(Protocol):
    """The service's time; tests install one they move by hand."""

    def now(self) -> datetime: ...


Doc = dict[str, Any]
"""A stored record not yet given a domain type (customers, tiers, categories, staff, duty)."""


@dataclass(frozen=True)
class TicketFilter:
    """Typed filters of the ticket list; None means 'any'."""

    state: str | None = None
    kind: str | None = None
    assignee_id: str | None = None
    customer_id: str | None = None
    unassigned: bool = False


# -- ticket core ----------------------------------------------------------------------------

class TicketRepository(Protocol):
    """Tickets to change: load, add, save with an append-only timeline (T8)."""

    async def get(self, number: str) -> Ticket:
        """The ticket without its stored timeline; NotFound if there is none."""
        ...

    async def add(self, ticket: Ticket, **extra: str) -> None:
        """Store a new ticket; `extra` fields (a source reference) are kept with it. Conflict
        if a ticket with the same source reference exists."""
        ...

    async def save(self, ticket: Ticket) -> None:
        """Write a loaded ticket's changes; Conflict if someone else changed it meanwhile."""
        ...

    async def find_by_source(self, source_ref: str) -> str | None:
        """The number of the ticket opened for an external task, if any."""
        ...

    async def claim_due(self, number: str, now: datetime) -> Ticket | None:
        """The ticket if its SLA check is (still) due at `now`, else None."""
        ...

    async def postpone_check(self, number: str, until: datetime) -> None:
        """Move a ticket whose SLA check failed behind the others."""
        ...


class TicketNumbers(Protocol):
    """T1: the day's ticket numbers, never given twice, without gaps left by failed openings."""

    async def next(self, day: date) -> str:
        """The day's lowest released number if any, else the day's next new number."""
        ...

    async def reserve(self, day: date, key: str) -> str:
        """The number reserved for `key` (an external task): the same for every retry."""
        ...

    async def release(self, day: date, number: str) -> None:
        """Give back a number whose opening failed, for the day's next opening."""
        ...


class TicketQueries(Protocol):
    """Ticket reads for lists, timelines, reports and the SLA sweep."""

    async def get(self, number: str) -> Ticket:
        """NotFound if there is none."""
        ...

    async def timeline(self, number: str) -> list[Doc]:
        """T8: every entry, oldest first; NotFound if there is no such ticket."""
        ...

    async def search(self, where: TicketFilter, page: int,
                     limit: int) -> tuple[list[Ticket], int]:
        """One page of matching tickets, newest first, and the number of matches."""
        ...

    async def opened_between(self, period: Period, kind: Kind | None = None) -> list[Ticket]:
        """Tickets (of `kind`) opened in the period; unreadable ones are skipped."""
        ...

    async def due_numbers(self, now: datetime, limit: int) -> list[str]:
        """Tickets whose SLA check is due at `now`, most overdue first."""
        ...

    async def has_open_ticket(self, customer_id: str, assignee_id: str) -> bool: ...


# -- customers, tiers, categories, policies, staff and duty ---------------------------------

class CustomerRepository(Protocol):
    """Customer profiles (T9)."""

    async def get(self, customer_id: str) -> Customer:
        """NotFound if there is none."""
        ...

    async def find(self, customer_id: str) -> Customer | None: ...

    async def many(self, ids: list[str]) -> dict[str, Customer]: ...

    async def by_platform_id(self, platform_id: str) -> Customer | None: ...

    async def add(self, customer: Customer) -> None:
        """Conflict if the id is taken."""
        ...

    async def save(self, customer: Customer) -> None:
        """Write a loaded profile's changes; NotFound if there is none."""
        ...


class NamedList(Protocol):
    """A short list a manager edits, one record per name, seeded with defaults."""

    async def all(self) -> list[Doc]: ...

    async def names(self) -> list[str]: ...

    async def get(self, name: str) -> Doc:
        """NotFound if there is none."""
        ...

    async def put(self, name: str, fields: Doc) -> Doc: ...

    async def delete(self, name: str) -> None:
        """NotFound if there is none."""
        ...

    async def seed(self) -> None:
        """Add the missing defaults."""
        ...


class TierRepository(NamedList, Protocol):
    """T9: customer tiers; boosted tiers raise a new ticket's priority."""

    async def boosted(self) -> frozenset[str]: ...


class CategoryRepository(NamedList, Protocol):
    """T11: suggestion categories."""


class PolicyRepository(Protocol):
    """SLA policies (T2-T6, T9), the assignment policy and the seed markers."""

    async def sla_policies(self) -> tuple[SlaPolicy, ...]: ...

    async def sla_policy(self, name: str) -> SlaPolicy:
        """NotFound if there is none."""
        ...

    async def put_sla_policy(self, policy: SlaPolicy, by: str) -> None: ...

    async def delete_sla_policy(self, name: str) -> None:
        """NotFound if there is none."""
        ...

    async def assignment(self) -> Doc: ...

    async def intake(self) -> IntakePolicy:
        """T2: how long ago a logged request may have been asked (the default if never set)."""
        ...

    async def put_intake(self, policy: IntakePolicy, by: str, at: datetime) -> None: ...

    async def put_assignment(self, fields: Doc) -> Doc: ...

    async def staffed_hours(self) -> StaffedHours:
        """T2: the staffed hours first-response clocks count (the rulebook's until changed)."""
        ...

    async def put_staffed_hours(self, hours: StaffedHours) -> None: ...

    async def seed_staffed_hours(self) -> None: ...

    async def claim_seed(self, what: str) -> bool:
        """True the first time `what` is seeded; Conflict if another replica claims it now."""
        ...

    async def seed_sla_policies(self) -> None: ...


class StaffRepository(Protocol):
    """Who exists and who is on duty, learnt from hr's events (H1, H2, H5), and ticket loads."""

    async def put_staff(self, member: StaffRecord) -> bool:
        """Store a staff record unless a newer one is stored; True if stored."""
        ...

    async def member(self, staff_id: str) -> StaffMember | None:
        """The staff member as the directory knows them, or None if it does not."""
        ...

    async def replace_roster(self, month: str, team: str | None,
                             duties: list[DutyAssignment], published_at: datetime) -> bool:
        """Replace the month's duty of a team unless a newer roster is stored; an entry (person,
        day, shift) another team's roster holds goes to the later published roster (H2)."""
        ...

    async def teams_of(self, ids: list[str]) -> dict[tuple[str, str], str | None]:
        """(day, shift) → roster team of the given duty entries."""
        ...

    async def remove_duty(self, ids: list[str]) -> None: ...

    async def put_duty(self, duties: list[DutyAssignment]) -> None: ...

    async def on_duty(self, role: str, day: date, at: time) -> list[str]:
        """Active staff of `role` on duty at wall-clock `at` on `day`, counting the day
        before's periods that cross midnight."""
        ...

    async def open_loads(self, staff_ids: list[str]) -> dict[str, int]: ...

    async def take_turn(self, role: str, turn: str,
                        choose: Callable[[str | None], str | None],
                        at: datetime) -> str | None:
        """T1 round robin: the role's next agent, `choose(last agent)`, remembered atomically
        and outside the caller's transaction (a hot shared cursor must not make openings
        conflict); the same `turn` (a ticket number) asked again gets the same agent, so a
        retried opening does not skip anyone. None when `choose` finds nobody."""
        ...


# -- surveys, daily review, knowledge base --------------------------------------------------

class SurveyRepository(Protocol):
    """T5/T14: survey rounds, their responses and the opinion dispatches."""

    async def add_round(self, record: RoundRecord) -> None: ...

    async def get_round(self, round_id: str) -> RoundRecord | None: ...

    async def rounds(self, limit: int) -> list[RoundRecord]: ...

    async def mark_summarised(self, round_id: str, at: datetime, by: str) -> bool:
        """Close an open round; False if it was not open."""
        ...

    async def count_response(self, round_id: str) -> bool:
        """Count a response on an open round; False if it is not open."""
        ...

    async def add_response(self, response_id: str, response: SurveyResponse, by: str) -> None:
        """Conflict if the customer already answered the round about that ticket."""
        ...

    async def responses(self, round_id: str) -> list[SurveyResponse]: ...

    async def responses_between(self, period: Period) -> list[SurveyResponse]: ...

    async def add_dispatches(self, records: Sequence[DispatchRecord]) -> None: ...

    async def save_dispatch(self, record: DispatchRecord) -> None: ...

    async def get_dispatch(self, dispatch_id: str) -> DispatchRecord | None: ...

    async def dispatches(self, *, round_id: str | None = None, department: str | None = None,
                         statuses: Sequence[str] | None = None,
                         limit: int = 500) -> list[DispatchRecord]: ...


class ReviewRepository(Protocol):
    """T13: orders under review and the reminders sent about them."""

    async def get(self, rma_number: str) -> ReviewRecord | None: ...

    async def save(self, record: ReviewRecord) -> None: ...

    async def open_items(self) -> list[ReviewRecord]:
        """Unresolved items with a refund in progress or a dispute."""
        ...

    async def reminders_on(self, day: str) -> list[Reminder]: ...

    async def claim_day(self, day: str, at: datetime) -> bool:
        """Claim the shop-local day's automatic reminder: True the first time; False if it was
        claimed already; Conflict if another replica claims it at the same moment."""
        ...

    async def add_reminder(self, reminder: Reminder) -> None:
        """Conflict if the owner was already reminded that day."""
        ...


class ArticleRepository(Protocol):
    """T10: knowledge-base articles, every published version, and their uses on tickets."""

    async def get(self, article_id: str) -> ArticleRecord | None: ...

    async def add(self, record: ArticleRecord) -> None: ...

    async def save_revision(self, record: ArticleRecord, previous_version: int) -> bool:
        """Replace the current version if it is still `previous_version`; False if not."""
        ...

    async def archive(self, record: ArticleRecord) -> None:
        """Store that a loaded article was archived (when and by whom)."""
        ...

    async def listing(self, tag: str | None, include_archived: bool,
                      limit: int) -> list[ArticleRecord]: ...

    async def candidates(self, terms: Sequence[str], tag: str | None,
                         limit: int) -> list[ArticleRecord]:
        """Live articles sharing at least one term with the query."""
        ...

    async def versions(self, article_id: str) -> list[VersionRecord]: ...

    async def version(self, article_id: str, version: int) -> VersionRecord | None: ...

    async def tickets_using(self, article_id: str, versions: int,
                            limit: int) -> list[ArticleUse]: ...


class TicketsRepositories(Protocol):
    """Every repository of the tickets service.

    Inside `deps.transaction` they all join one transaction (`uow.<repository>`); `deps.reads`
    offers the same repositories outside any transaction, for reads that need no snapshot.
    """

    # -- ticket core ------------------------------------------------------------------------
    tickets: TicketRepository
    numbers: TicketNumbers
    ticket_queries: TicketQueries

    # -- customers, tiers, categories, policies, staff and duty -----------------------------
    customers: CustomerRepository
    tiers: TierRepository
    categories: CategoryRepository
    policies: PolicyRepository
    staff: StaffRepository

    # -- surveys, daily review, knowledge base ----------------------------------------------
    surveys: SurveyRepository
    review: ReviewRepository
    articles: ArticleRepository


class TicketsUnitOfWork(TicketsRepositories, UnitOfWork, Protocol):
    """One transaction of the tickets service: its repositories, `publish` and the inbox.

    Every repository joins the same transaction; a use case or handler reaches the database
    only through these.
    """
