"""The in-memory database behind the fakes: one `Store` of plain dicts, copied per transaction.

Every fake repository reads and writes the `Store` it is given. `FakeTransaction` hands each
work call a deep copy (a draft) and puts the draft in place only when the work returns, so a
work that raises leaves no trace, as an aborted Mongo transaction leaves none.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any

from ops_shared.contracts import Envelope

Doc = dict[str, Any]


@dataclass
class StoredTicket:
    """A ticket as the Mongo repository stores it: the aggregate without its timeline, the
    timeline as plain entries, the version a save checks, extra fields and the SLA check time."""

    ticket: Any  # tickets.domain.ticket.Ticket, with an empty timeline
    timeline: list[Doc]
    version: int = 1
    extra: dict[str, str] = field(default_factory=dict)
    next_check: Any = None  # datetime | None


@dataclass
class Store:
    """Every collection of the tickets service, as dicts keyed like the Mongo `_id`."""

    # -- ticket core ------------------------------------------------------------------------
    tickets: dict[str, StoredTicket] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    released_numbers: dict[str, str] = field(default_factory=dict)  # number -> day (YYYYMMDD)
    reserved_numbers: dict[str, str] = field(default_factory=dict)  # key -> number
    # -- customers, tiers, categories, policies, staff and duty -----------------------------
    customers: dict[str, Any] = field(default_factory=dict)  # id -> Customer
    tiers: dict[str, Doc] = field(default_factory=dict)
    categories: dict[str, Doc] = field(default_factory=dict)
    sla_policies: dict[str, Doc] = field(default_factory=dict)
    service_settings: dict[str, Doc] = field(default_factory=dict)
    staffed_hours: Any = None  # StaffedHours | None (None: the rulebook's)
    staff: dict[str, Any] = field(default_factory=dict)  # id -> StaffRecord
    duty: dict[str, Any] = field(default_factory=dict)  # id -> DutyAssignment
    rosters: dict[str, Doc] = field(default_factory=dict)
    cursors: dict[str, Doc] = field(default_factory=dict)
    """T1 round-robin cursors: written outside any transaction, so shared by every draft."""
    # -- surveys, daily review, knowledge base ----------------------------------------------
    rounds: dict[str, Any] = field(default_factory=dict)
    round_responses: dict[str, int] = field(default_factory=dict)
    responses: dict[str, Any] = field(default_factory=dict)
    dispatches: dict[str, Any] = field(default_factory=dict)
    review_items: dict[str, Any] = field(default_factory=dict)
    reminders: dict[str, Any] = field(default_factory=dict)
    review_days: dict[str, Any] = field(default_factory=dict)  # day -> when it was claimed
    articles: dict[str, Any] = field(default_factory=dict)
    article_versions: dict[str, Any] = field(default_factory=dict)
    # -- what the unit of work writes besides the state -------------------------------------
    outbox: list[Envelope] = field(default_factory=list)
    inbox: set[str] = field(default_factory=set)
    commits: int = 0

    def draft(self) -> Store:
        """A private copy for one transaction (sharing what is written outside transactions)."""
        return copy.deepcopy(self, memo={id(self.cursors): self.cursors})

    def commit(self, draft: Store) -> None:
        """Put a draft's state in place (in this same object: read-side fakes keep seeing it)."""
        for f in fields(self):
            setattr(self, f.name, getattr(draft, f.name))
        self.commits += 1

    def published(self, type_: str | None = None) -> list[Envelope]:
        """Committed envelopes, of one event type if given."""
        return [e for e in self.outbox if type_ is None or e.type == type_]
