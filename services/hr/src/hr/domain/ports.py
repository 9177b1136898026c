"""What the hr use cases need from the outside world, as Protocols.

bootstrap.py wires the Mongo repositories of storage/; the unit tests use the in-memory fakes
of tests/unit/hr/fakes.py, and one set of repository tests runs on both.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from hr.domain.attendance import Punch
from hr.domain.fund import FundEntry
from hr.domain.ledger import LedgerEntry
from hr.domain.policy import HrPolicy
from hr.domain.presence import PresenceChange
from hr.domain.requests import Request
from hr.domain.roster import Roster
from hr.domain.settlement import Settlement
from hr.domain.staff import Staff
from ops_shared.persistence import UnitOfWork


class Clock(Protocol):
    def now(self) -> datetime: ...


class StaffRepository(Protocol):
    """H1: the directory."""

    async def get(self, staff_id: str) -> Staff:
        """NotFound if there is none."""
        ...

    async def find(self, staff_id: str) -> Staff | None: ...

    async def add(self, staff: Staff) -> None:
        """Conflict if the staff id is taken."""
        ...

    async def save(self, staff: Staff) -> None:
        """Store a changed record (version + 1); Conflict if someone changed it meanwhile."""
        ...

    async def search(self, *, team: str | None = None, supervisor_id: str | None = None,
                     active: bool | None = None) -> list[Staff]:
        """Matching people, by staff id."""
        ...


class PolicyRepository(Protocol):
    async def get(self) -> HrPolicy:
        """The stored policy, or the rulebook's defaults when none is stored."""
        ...

    async def save(self, policy: HrPolicy) -> None:
        """Store a changed policy (version + 1); Conflict if it changed meanwhile."""
        ...


class RosterRepository(Protocol):
    async def get(self, roster_id: str) -> Roster:
        """NotFound if there is none."""
        ...

    async def add(self, roster: Roster) -> None:
        """Conflict if the team already has a roster for the month."""
        ...

    async def save(self, roster: Roster) -> None:
        """Store a changed roster (version + 1); Conflict if it changed meanwhile."""
        ...

    async def of_month(self, month: str, *, published: bool | None = None) -> list[Roster]: ...


class PunchRepository(Protocol):
    async def add(self, punches: list[Punch]) -> int:
        """Store punches; a punch id already stored is skipped. Returns how many were new."""
        ...

    async def between(self, staff_id: str, start: datetime, end: datetime) -> list[Punch]: ...


class RequestRepository(Protocol):
    async def get(self, request_id: str) -> Request:
        """NotFound if there is none."""
        ...

    async def add(self, request: Request) -> None: ...

    async def save(self, request: Request) -> None:
        """Store a changed request (version + 1); Conflict if it changed meanwhile."""
        ...

    async def search(self, *, staff_ids: Collection[str] | None = None,
                     kinds: Collection[str] | None = None,
                     states: Collection[str] | None = None,
                     months: Collection[str] | None = None,
                     approver_id: str | None = None) -> list[Request]:
        """Requests made by (or, for swaps, with) the given people, oldest first."""
        ...


class PresenceRepository(Protocol):
    async def add(self, change: PresenceChange) -> None: ...

    async def around(self, staff_id: str, start: datetime, end: datetime
                     ) -> list[PresenceChange]:
        """Changes inside [start, end] and the last one before `start`."""
        ...


class LedgerRepository(Protocol):
    """H23: entries, each source recorded once (a unique index in the database)."""

    async def add(self, entry: LedgerEntry) -> bool:
        """Store the entry; False (and nothing stored) if its source was recorded before."""
        ...

    async def of_month(self, month: str, staff_ids: Collection[str] | None = None
                       ) -> list[LedgerEntry]: ...

    async def count(self, staff_id: str, rule: str) -> int:
        """How many entries under `rule` the person has, all months."""
        ...


class SettlementRepository(Protocol):
    async def get(self, month: str) -> Settlement:
        """NotFound if there is none."""
        ...

    async def add(self, settlement: Settlement) -> None:
        """Conflict if the month already has one (two started at once give one)."""
        ...

    async def save(self, settlement: Settlement) -> None:
        """Store a changed settlement (version + 1); Conflict if it changed meanwhile."""
        ...

    async def closed_months(self) -> set[str]: ...


class FundRepository(Protocol):
    async def add(self, entry: FundEntry) -> bool:
        """False if the source was recorded before."""
        ...

    async def all(self) -> list[FundEntry]: ...


class FactRepository(Protocol):
    """Per-person figures learnt from tickets (SLA breaches, tickets, callback ratings)."""

    async def add(self, fact_id: str, staff_id: str, month: str, kind: str,
                  value: int) -> bool:
        """False if the fact was recorded before."""
        ...

    async def of_month(self, month: str) -> list[dict[str, Any]]: ...


class JobRepository(Protocol):
    async def claim(self, key: str, holder: str, now: datetime, lease_s: float) -> bool:
        """True if `holder` may run job `key` now (unclaimed, expired, or its own)."""
        ...

    async def finish(self, key: str, holder: str, now: datetime) -> None: ...

    async def finished(self, key: str) -> bool: ...


class HrRepositories(Protocol):
    """Every repository of the hr service: inside `deps.transaction` they join one transaction;
    `deps.reads` offers the same outside any transaction."""

    staff: StaffRepository
    policies: PolicyRepository
    rosters: RosterRepository
    punches: PunchRepository
    requests: RequestRepository
    presence: PresenceRepository
    ledger: LedgerRepository
    settlements: SettlementRepository
    fund: FundRepository
    facts: FactRepository
    jobs: JobRepository


class HrUnitOfWork(HrRepositories, UnitOfWork, Protocol):
    """One transaction of the hr service: its repositories, `publish` and the inbox."""
