"""The staff directory (H1) and the policy record on MongoDB."""

from __future__ import annotations

from typing import Any

from hr.domain.errors import Conflict
from hr.domain.policy import HrPolicy
from hr.domain.staff import Staff
from hr.storage.base import Collection
from hr.storage.documents import from_doc, to_doc

STAFF = "staff"
POLICIES = "policies"
POLICY_ID = "hr"


class MongoStaffRepository(Collection[Staff]):
    name, record, id_field = STAFF, Staff, "staff_id"

    async def get(self, staff_id: str) -> Staff:
        return await self._get(staff_id, "staff member")

    async def find(self, staff_id: str) -> Staff | None:
        return await self._find(staff_id)

    async def add(self, staff: Staff) -> None:
        await self._insert(staff, "staff member")

    async def save(self, staff: Staff) -> None:
        await self._save(staff)

    async def search(self, *, team: str | None = None, supervisor_id: str | None = None,
                     active: bool | None = None) -> list[Staff]:
        query: dict[str, Any] = {}
        if team is not None:
            query["team"] = team
        if supervisor_id is not None:
            query["supervisor_id"] = supervisor_id
        if active is not None:
            query["active"] = active
        return await self._many(query, [("_id", 1)])


class MongoPolicyRepository(Collection[HrPolicy]):
    name, record, id_field = POLICIES, HrPolicy, "version"

    async def get(self) -> HrPolicy:
        doc = await self.collection.find_one({"_id": POLICY_ID}, session=self.session)
        return from_doc(HrPolicy, doc) if doc else HrPolicy()

    async def save(self, policy: HrPolicy) -> None:
        doc = {**to_doc(policy), "_id": POLICY_ID}
        if policy.version == 1:
            if not await self._insert_once(doc):
                raise Conflict("the policy changed meanwhile; read it again")
            return
        result = await self.collection.replace_one(
            {"_id": POLICY_ID, "version": policy.version - 1}, doc, session=self.session)
        if result.matched_count != 1:
            raise Conflict("the policy changed meanwhile; read it again")
