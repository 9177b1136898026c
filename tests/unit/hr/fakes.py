"""In-memory fakes of the hr Protocols (domain/ports.py): the unit tests run the use cases on
these, and tests/integration/hr/test_hr_repositories.py proves them against the real ones."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hr.application.deps import Deps
from hr.domain.attendance import Punch
from hr.domain.errors import Conflict, NotFound
from hr.domain.fund import FundEntry
from hr.domain.ledger import LedgerEntry
from hr.domain.policy import HrPolicy
from hr.domain.presence import PresenceChange
from hr.domain.requests import Request
from hr.domain.roster import Roster
from hr.domain.settlement import Settlement
from hr.domain.staff import Staff
from ops_shared.contracts import Envelope, Event, new_envelope
from ops_shared.persistence import AlreadyHandled

T = TypeVar("T")
SHANGHAI = ZoneInfo("Asia/Shanghai")


class _Versioned:
    what = "record"

    def __init__(self, key: str) -> None:
        self.rows: dict[str, Any] = {}
        self.key = key

    def _get(self, key: str) -> Any:
        if key not in self.rows:
            raise NotFound(f"no {self.what} {key}")
        return copy.deepcopy(self.rows[key])

    def _add(self, record: Any) -> None:
        key = getattr(record, self.key)
        if key in self.rows:
            raise Conflict(f"{self.what} {key} exists")
        self.rows[key] = copy.deepcopy(record)

    def _save(self, record: Any) -> None:
        key = getattr(record, self.key)
        if key not in self.rows or self.rows[key].version != record.version:
            raise Conflict(f"{key} changed meanwhile; read it again")
        record.__dict__["version"] = record.version + 1
        self.rows[key] = copy.deepcopy(record)


class FakeStaff(_Versioned):
    what = "staff member"

    def __init__(self) -> None:
        super().__init__("staff_id")

    async def get(self, staff_id: str) -> Staff:
        return self._get(staff_id)

    async def find(self, staff_id: str) -> Staff | None:
        return copy.deepcopy(self.rows.get(staff_id))

    async def add(self, staff: Staff) -> None:
        self._add(staff)

    async def save(self, staff: Staff) -> None:
        self._save(staff)

    async def search(self, *, team: str | None = None, supervisor_id: str | None = None,
                     active: bool | None = None) -> list[Staff]:
        return [copy.deepcopy(s) for _, s in sorted(self.rows.items())
                if (team is None or s.team == team)
                and (supervisor_id is None or s.supervisor_id == supervisor_id)
                and (active is None or s.active == active)]


class FakePolicies:
    def __init__(self) -> None:
        self.policy: HrPolicy | None = None

    async def get(self) -> HrPolicy:
        return self.policy or HrPolicy()

    async def save(self, policy: HrPolicy) -> None:
        if (self.policy.version if self.policy else 0) != policy.version - 1:
            raise Conflict("the policy changed meanwhile; read it again")
        self.policy = policy


class FakeRosters(_Versioned):
    what = "roster"

    def __init__(self) -> None:
        super().__init__("roster_id")

    async def get(self, roster_id: str) -> Roster:
        return self._get(roster_id)

    async def add(self, roster: Roster) -> None:
        self._add(roster)

    async def save(self, roster: Roster) -> None:
        self._save(roster)

    async def of_month(self, month: str, *, published: bool | None = None) -> list[Roster]:
        return [copy.deepcopy(r) for _, r in sorted(self.rows.items()) if r.month == month
                and (published is None or (r.status == "published") == published)]


class FakePunches:
    def __init__(self) -> None:
        self.rows: dict[str, Punch] = {}

    async def add(self, punches: list[Punch]) -> int:
        fresh = {p.punch_id: p for p in punches if p.punch_id not in self.rows}
        self.rows.update(fresh)
        return len(fresh)

    async def between(self, staff_id: str, start: datetime, end: datetime) -> list[Punch]:
        return sorted((p for p in self.rows.values()
                       if p.staff_id == staff_id and start <= p.at <= end), key=lambda p: p.at)


class FakeRequests(_Versioned):
    what = "request"

    def __init__(self) -> None:
        super().__init__("request_id")

    async def get(self, request_id: str) -> Request:
        return self._get(request_id)

    async def add(self, request: Request) -> None:
        self._add(request)

    async def save(self, request: Request) -> None:
        self._save(request)

    async def search(self, *, staff_ids: Collection[str] | None = None,
                     kinds: Collection[str] | None = None,
                     states: Collection[str] | None = None,
                     months: Collection[str] | None = None,
                     approver_id: str | None = None) -> list[Request]:
        found = [r for r in self.rows.values()
                 if (staff_ids is None or r.staff_id in staff_ids or r.colleague_id in staff_ids)
                 and (kinds is None or r.kind in kinds)
                 and (states is None or r.state in states)
                 and (months is None or r.month in months)
                 and (approver_id is None or r.approver_id == approver_id)]
        return [copy.deepcopy(r) for r in sorted(found, key=lambda r: (r.created_at,
                                                                        r.request_id))]


class FakePresence:
    def __init__(self) -> None:
        self.rows: list[PresenceChange] = []

    async def add(self, change: PresenceChange) -> None:
        if any(c.change_id == change.change_id for c in self.rows):
            raise Conflict(f"presence change {change.change_id} exists")
        self.rows.append(change)

    async def around(self, staff_id: str, start: datetime, end: datetime
                     ) -> list[PresenceChange]:
        mine = sorted((c for c in self.rows if c.staff_id == staff_id), key=lambda c: c.at)
        before = [c for c in mine if c.at <= start][-1:]
        return before + [c for c in mine if start < c.at <= end]


class FakeLedger:
    def __init__(self) -> None:
        self.rows: dict[str, LedgerEntry] = {}

    async def add(self, entry: LedgerEntry) -> bool:
        if entry.source_key in self.rows:
            return False
        self.rows[entry.source_key] = entry
        return True

    async def of_month(self, month: str, staff_ids: Collection[str] | None = None
                       ) -> list[LedgerEntry]:
        return sorted((e for e in self.rows.values() if e.month == month
                       and (staff_ids is None or e.staff_id in staff_ids)),
                      key=lambda e: (e.at, e.entry_id))

    async def count(self, staff_id: str, rule: str) -> int:
        return sum(e.staff_id == staff_id and e.rule == rule for e in self.rows.values())


class FakeSettlements(_Versioned):
    what = "settlement for"

    def __init__(self) -> None:
        super().__init__("month")

    async def get(self, month: str) -> Settlement:
        return self._get(month)

    async def add(self, settlement: Settlement) -> None:
        self._add(settlement)

    async def save(self, settlement: Settlement) -> None:
        self._save(settlement)

    async def closed_months(self) -> set[str]:
        return {m for m, s in self.rows.items() if s.state == "approved"}


class FakeFund:
    def __init__(self) -> None:
        self.rows: dict[str, FundEntry] = {}

    async def add(self, entry: FundEntry) -> bool:
        if entry.source in self.rows:
            return False
        self.rows[entry.source] = entry
        return True

    async def all(self) -> list[FundEntry]:
        return sorted(self.rows.values(), key=lambda e: (e.at, e.entry_id))


class FakeFacts:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    async def add(self, fact_id: str, staff_id: str, month: str, kind: str, value: int) -> bool:
        if fact_id in self.rows:
            return False
        self.rows[fact_id] = {"_id": fact_id, "staff_id": staff_id, "month": month,
                              "kind": kind, "value": value}
        return True

    async def of_month(self, month: str) -> list[dict[str, Any]]:
        return [dict(f) for f in self.rows.values() if f["month"] == month]


class FakeJobs:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    async def claim(self, key: str, holder: str, now: datetime, lease_s: float) -> bool:
        row = self.rows.get(key)
        if row and (row.get("done_at") or (row["holder"] != holder and row["until"] >= now)):
            return False
        self.rows[key] = {"holder": holder, "until": now + timedelta(seconds=lease_s)}
        return True

    async def finish(self, key: str, holder: str, now: datetime) -> None:
        if self.rows.get(key, {}).get("holder") == holder:
            self.rows[key]["done_at"] = now

    async def finished(self, key: str) -> bool:
        return bool(self.rows.get(key, {}).get("done_at"))


class FakeRepositories:
    def __init__(self) -> None:
        self.staff = FakeStaff()
        self.policies = FakePolicies()
        self.rosters = FakeRosters()
        self.punches = FakePunches()
        self.requests = FakeRequests()
        self.presence = FakePresence()
        self.ledger = FakeLedger()
        self.settlements = FakeSettlements()
        self.fund = FakeFund()
        self.facts = FakeFacts()
        self.jobs = FakeJobs()


class FakeUnitOfWork:
    """The repositories plus `publish` and the inbox; a failed transaction is rolled back by
    restoring a snapshot."""

    def __init__(self, repos: FakeRepositories, published: list[Envelope],
                 inbox: set[str]) -> None:
        self.repos = repos
        self.published = published
        self.inbox = inbox
        self.pending: list[Envelope] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.repos, name)

    def publish(self, event: Event, **headers: str) -> Envelope:
        envelope = new_envelope(event)
        self.pending.append(envelope)
        return envelope

    async def record_inbox(self, envelope: Envelope) -> None:
        if envelope.id in self.inbox:
            raise AlreadyHandled(envelope.id)
        self.inbox.add(envelope.id)


class FakeClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment


class FakeHr:
    """Deps on fakes, with what was published."""

    def __init__(self, now: datetime | None = None) -> None:
        self.repos = FakeRepositories()
        self.published: list[Envelope] = []
        self.inbox: set[str] = set()
        self.clock = FakeClock(now or datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI))
        self.deps = Deps(clock=self.clock, tz=SHANGHAI, transaction=self.transaction,
                         reads=self.repos, replica="test")  # type: ignore[arg-type]

    async def transaction(self, work: Callable[[Any], Awaitable[T]]) -> T:
        snapshot = copy.deepcopy(self.repos.__dict__)
        uow = FakeUnitOfWork(self.repos, self.published, self.inbox)
        try:
            result = await work(uow)
        except BaseException:
            self.repos.__dict__.update(snapshot)
            raise
        self.published.extend(uow.pending)
        return result

    def events(self, type_: str) -> list[dict[str, Any]]:
        return [e.data for e in self.published if e.type == type_]


def at(day: int, hour: int = 0, minute: int = 0, month: int = 12, year: int = 2026
       ) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def staff(staff_id: str, role: str = "aftersales", **fields: Any) -> Staff:
    values: dict[str, Any] = {"display_name": staff_id, "team": "cs",
                              "supervisor_id": "sup1", "wage_fen": 652_500}
    values.update(fields)
    return Staff(staff_id, role=role, **values)


def with_version(record: Any, version: int) -> Any:
    return replace(record, version=version)
