"""Fakes of customer profiles (T9) and of the staff and duty learnt from hr (H1, H2, H5)."""

from __future__ import annotations

import copy
from datetime import date, datetime, time

from tickets.domain.errors import Conflict, NotFound
from tickets.domain.model import StaffMember
from tickets.domain.states import TERMINAL

from .store import Doc, Store


class FakeCustomerRepository:
    """Implements `CustomerRepository` on a `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, customer_id: str) -> Doc:
        if (doc := await self.find(customer_id)) is None:
            raise NotFound(f"customer {customer_id} does not exist")
        return doc

    async def find(self, customer_id: str) -> Doc | None:
        return copy.deepcopy(self.store.customers.get(str(customer_id)))

    async def many(self, ids: list[str]) -> dict[str, Doc]:
        return {str(i): copy.deepcopy(self.store.customers[str(i)])
                for i in ids if str(i) in self.store.customers}

    async def by_platform_id(self, platform_id: str) -> Doc | None:
        return next((copy.deepcopy(doc) for doc in self.store.customers.values()
                     if str(platform_id) in (doc.get("platform_ids") or [])), None)

    async def add(self, doc: Doc) -> None:
        if doc["_id"] in self.store.customers:
            raise Conflict(f"customer {doc['_id']} already exists")
        self.store.customers[doc["_id"]] = copy.deepcopy(doc)

    async def update(self, customer_id: str, changes: Doc) -> Doc:
        if (doc := self.store.customers.get(str(customer_id))) is None:
            raise NotFound(f"customer {customer_id} does not exist")
        doc.update(copy.deepcopy(changes))
        return copy.deepcopy(doc)

    async def add_order(self, customer_id: str, order: Doc) -> Doc:
        doc = self.store.customers.get(str(customer_id))
        if doc is not None and all(o.get("order_id") != order["order_id"]
                                   for o in doc.get("orders") or []):
            doc.setdefault("orders", []).append(copy.deepcopy(order))
        return await self.get(customer_id)


class FakeStaffRepository:
    """Implements `StaffRepository` on a `Store` (open loads read the store's tickets)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def put_staff(self, doc: Doc) -> bool:
        current = self.store.staff.get(doc["_id"])
        if current and current.get("updated_at") and current["updated_at"] > doc["updated_at"]:
            return False
        self.store.staff[doc["_id"]] = copy.deepcopy(doc)
        return True

    async def member(self, staff_id: str) -> StaffMember | None:
        doc = self.store.staff.get(str(staff_id))
        if doc is None:
            return None
        return StaffMember(doc["_id"], doc["role"], doc.get("active", True))

    async def replace_roster(self, month: str, team: str | None, docs: list[Doc],
                             published_at: datetime) -> bool:
        key = f"{month}|{team or ''}"
        current = self.store.rosters.get(key)
        if current and current["published_at"] > published_at:
            return False
        self.store.rosters[key] = {"_id": key, "published_at": published_at}
        self.store.duty = {i: d for i, d in self.store.duty.items()
                           if not (d["month"] == month and d.get("team") == team)}
        for doc in docs:
            if doc["_id"] in self.store.duty:
                raise Conflict(f"duty {doc['_id']} given twice")
            self.store.duty[doc["_id"]] = copy.deepcopy(doc)
        return True

    async def teams_of(self, ids: list[str]) -> dict[tuple[str, str], str | None]:
        return {(d["day"], d["shift"]): d.get("team")
                for i in ids if (d := self.store.duty.get(i)) is not None}

    async def remove_duty(self, ids: list[str]) -> None:
        for i in ids:
            self.store.duty.pop(i, None)

    async def put_duty(self, docs: list[Doc]) -> None:
        for doc in docs:
            self.store.duty[doc["_id"]] = copy.deepcopy(doc)

    async def on_duty(self, role: str, day: date, at: time) -> list[str]:
        moment = at.replace(tzinfo=None).isoformat()
        present = {d["staff_id"] for d in self.store.duty.values()
                   if d["day"] == day.isoformat() and d["role"] == role
                   and any(p["start"] <= moment < p["end"] for p in d["periods"])}
        gone = {sid for sid in present
                if (self.store.staff.get(sid) or {}).get("active") is False}
        return sorted(present - gone)

    async def open_loads(self, staff_ids: list[str]) -> dict[str, int]:
        return {sid: sum(1 for s in self.store.tickets.values()
                         if s.ticket.assignee_id == sid and s.ticket.state not in TERMINAL)
                for sid in staff_ids}

    async def last_assigned(self, role: str) -> str | None:
        doc = self.store.cursors.get(role)
        return doc["last"] if doc else None

    async def remember_assigned(self, role: str, staff_id: str, at: datetime) -> None:
        self.store.cursors[role] = {"_id": role, "last": staff_id, "at": at}
