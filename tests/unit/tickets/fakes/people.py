"""Fakes of customer profiles (T9) and of the staff and duty learnt from hr (H1, H2, H5)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime, time

from tickets.domain.customers import Customer
from tickets.domain.duty import DutyAssignment, StaffRecord, days_to_look_at
from tickets.domain.errors import Conflict, NotFound
from tickets.domain.model import StaffMember
from tickets.domain.states import TERMINAL

from .store import Store

RECENT_TURNS = 200
"""How many turns the round-robin cursor remembers (as storage/staff.py)."""


class FakeCustomerRepository:
    """Implements `CustomerRepository` on a `Store` (profiles kept as `Customer` values)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, customer_id: str) -> Customer:
        if (customer := await self.find(customer_id)) is None:
            raise NotFound(f"customer {customer_id} does not exist")
        return customer

    async def find(self, customer_id: str) -> Customer | None:
        return copy.deepcopy(self.store.customers.get(str(customer_id)))

    async def many(self, ids: list[str]) -> dict[str, Customer]:
        return {str(i): copy.deepcopy(self.store.customers[str(i)])
                for i in ids if str(i) in self.store.customers}

    async def by_platform_id(self, platform_id: str) -> Customer | None:
        return next((copy.deepcopy(c) for c in self.store.customers.values()
                     if str(platform_id) in c.platform_ids), None)

    async def add(self, customer: Customer) -> None:
        if customer.id in self.store.customers:
            raise Conflict(f"customer {customer.id} already exists")
        self.store.customers[customer.id] = copy.deepcopy(customer)

    async def save(self, customer: Customer) -> None:
        if customer.id not in self.store.customers:
            raise NotFound(f"customer {customer.id} does not exist")
        self.store.customers[customer.id] = copy.deepcopy(customer)


class FakeStaffRepository:
    """Implements `StaffRepository` on a `Store` (open loads read the store's tickets; the
    round-robin cursor lives outside any transaction, as `Store.cursors` is shared by drafts)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def put_staff(self, member: StaffRecord) -> bool:
        if not member.newer_than(self.store.staff.get(member.id)):
            return False
        self.store.staff[member.id] = member
        return True

    async def member(self, staff_id: str) -> StaffMember | None:
        record = self.store.staff.get(str(staff_id))
        if record is None:
            return None
        return StaffMember(record.id, record.role, record.active)

    async def replace_roster(self, month: str, team: str | None,
                             duties: list[DutyAssignment], published_at: datetime) -> bool:
        key = f"{month}|{team or ''}"
        current = self.store.rosters.get(key)
        if current and current["published_at"] > published_at:
            return False
        self.store.rosters[key] = {"_id": key, "published_at": published_at}
        self.store.duty = {i: d for i, d in self.store.duty.items()
                           if not (d.month == month and d.team == team)}
        fresh: set[str] = set()
        for duty in duties:
            held = self.store.duty.get(duty.id)
            if duty.id in fresh:
                raise Conflict(f"duty {duty.id} given twice")
            if held is not None:  # H2: another team's roster holds it; the later one wins
                newer = self.store.rosters.get(f"{month}|{held.team or ''}")
                if newer is not None and newer["published_at"] > published_at:
                    continue
            else:
                fresh.add(duty.id)
            self.store.duty[duty.id] = duty
        return True

    async def teams_of(self, ids: list[str]) -> dict[tuple[str, str], str | None]:
        return {(d.day.isoformat(), d.shift): d.team
                for i in ids if (d := self.store.duty.get(i)) is not None}

    async def remove_duty(self, ids: list[str]) -> None:
        for i in ids:
            self.store.duty.pop(i, None)

    async def put_duty(self, duties: list[DutyAssignment]) -> None:
        for duty in duties:
            self.store.duty[duty.id] = duty

    async def on_duty(self, role: str, day: date, at: time) -> list[str]:
        days = set(days_to_look_at(day))
        present = {d.staff_id for d in self.store.duty.values()
                   if d.day in days and d.role == role and d.covers(day, at)}
        gone = {sid for sid in present
                if (record := self.store.staff.get(sid)) is not None and not record.active}
        return sorted(present - gone)

    async def open_loads(self, staff_ids: list[str]) -> dict[str, int]:
        return {sid: sum(1 for s in self.store.tickets.values()
                         if s.ticket.assignee_id == sid and s.ticket.state not in TERMINAL)
                for sid in staff_ids}

    async def take_turn(self, role: str, turn: str,
                        choose: Callable[[str | None], str | None],
                        at: datetime) -> str | None:
        cursor = self.store.cursors.get(role)
        given = {t["turn"]: t["staff_id"] for t in (cursor or {}).get("recent", [])}
        if turn in given:
            return given[turn]
        chosen = choose(cursor["last"] if cursor else None)
        if chosen is None:
            return None
        recent = [*(cursor or {}).get("recent", []), {"turn": turn, "staff_id": chosen}]
        self.store.cursors[role] = {"_id": role, "last": chosen, "at": at,
                                    "recent": recent[-RECENT_TURNS:]}
        return chosen
