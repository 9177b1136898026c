"""Policies as data: SLA policies (T2-T6, T9), the assignment policy, seed markers."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from tickets.domain.errors import Conflict, NotFound
from tickets.domain.intake import IntakePolicy
from tickets.domain.sla import DEFAULT_POLICIES, SlaPolicy
from tickets.domain.staffed_hours import RULEBOOK_STAFFED_HOURS, StaffedHours

SLA_POLICIES = "sla_policies"
SERVICE_SETTINGS = "service_settings"
ASSIGNMENT = "assignment"
STAFFED_HOURS = "staffed_hours"
INTAKE = "intake"
DEFAULT_ASSIGNMENT: dict[str, Any] = {"strategy": "round_robin"}


class MongoPolicyRepository:
    """Implements `PolicyRepository`; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.policies = db[SLA_POLICIES]
        self.settings = db[SERVICE_SETTINGS]
        self.session = session

    async def sla_policies(self) -> tuple[SlaPolicy, ...]:
        docs = await self.policies.find({}, sort=[("_id", 1)], session=self.session).to_list()
        return tuple(_policy(doc) for doc in docs)

    async def sla_policy(self, name: str) -> SlaPolicy:
        doc = await self.policies.find_one({"_id": str(name)}, session=self.session)
        if doc is None:
            raise NotFound(f"SLA policy {name} does not exist")
        return _policy(doc)

    async def put_sla_policy(self, policy: SlaPolicy, by: str) -> None:
        fields = policy.model_dump(mode="python", exclude={"name"})
        await self.policies.replace_one(
            {"_id": policy.name}, {**fields, "updated_by": by, "updated_at": datetime.now(UTC)},
            upsert=True, session=self.session)

    async def delete_sla_policy(self, name: str) -> None:
        result = await self.policies.delete_one({"_id": str(name)}, session=self.session)
        if not result.deleted_count:
            raise NotFound(f"SLA policy {name} does not exist")

    async def assignment(self) -> dict[str, Any]:
        doc = await self.settings.find_one({"_id": ASSIGNMENT}, session=self.session)
        return {**DEFAULT_ASSIGNMENT, **(doc or {})}

    async def put_assignment(self, fields: dict[str, Any]) -> dict[str, Any]:
        await self.settings.update_one({"_id": ASSIGNMENT}, {"$set": fields}, upsert=True,
                                       session=self.session)
        return await self.assignment()

    async def staffed_hours(self) -> StaffedHours:
        """T2: the stored staffed hours; the rulebook's until a manager changed them."""
        doc = await self.settings.find_one({"_id": STAFFED_HOURS}, session=self.session)
        return _staffed_hours(doc) if doc else RULEBOOK_STAFFED_HOURS

    async def put_staffed_hours(self, hours: StaffedHours) -> None:
        await self.settings.replace_one({"_id": STAFFED_HOURS}, _staffed_hours_doc(hours),
                                        upsert=True, session=self.session)

    async def seed_staffed_hours(self) -> None:
        doc = _staffed_hours_doc(RULEBOOK_STAFFED_HOURS)
        await self.settings.update_one({"_id": STAFFED_HOURS}, {"$setOnInsert": doc},
                                       upsert=True, session=self.session)
    async def intake(self) -> IntakePolicy:
        doc = await self.settings.find_one({"_id": INTAKE}, session=self.session)
        fields = {k: v for k, v in (doc or {}).items() if k in IntakePolicy.model_fields}
        return IntakePolicy(**fields)

    async def put_intake(self, policy: IntakePolicy, by: str, at: datetime) -> None:
        await self.settings.update_one(
            {"_id": INTAKE}, {"$set": {**policy.model_dump(), "updated_by": by, "updated_at": at}},
            upsert=True, session=self.session)

    async def claim_seed(self, what: str) -> bool:
        """True the first time `what` is seeded in this database.

        Two replicas starting together both see no marker; the second insert fails with a
        duplicate key: Conflict, and its transaction is aborted (see `seed_defaults`).
        """
        marker = f"seeded:{what}"
        if await self.settings.find_one({"_id": marker}, session=self.session):
            return False
        try:
            await self.settings.insert_one({"_id": marker, "at": datetime.now(UTC)},
                                           session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"{what} are being seeded by another replica") from None
        return True

    async def seed_sla_policies(self) -> None:
        for policy in DEFAULT_POLICIES:
            fields = policy.model_dump(mode="python", exclude={"name"})
            await self.policies.update_one({"_id": policy.name}, {"$setOnInsert": fields},
                                           upsert=True, session=self.session)


def _policy(doc: dict[str, Any]) -> SlaPolicy:
    return SlaPolicy(name=doc["_id"], **{k: v for k, v in doc.items()
                                          if k in SlaPolicy.model_fields and k != "name"})


def _staffed_hours_doc(hours: StaffedHours) -> dict[str, Any]:
    return {"periods": [{"start": start.isoformat(), "end": end.isoformat()}
                        for start, end in hours.periods],
            "open_days": hours.open_days, "updated_by": hours.updated_by,
            "updated_at": hours.updated_at}


def _staffed_hours(doc: dict[str, Any]) -> StaffedHours:
    return StaffedHours(
        periods=tuple((time.fromisoformat(p["start"]), time.fromisoformat(p["end"]))
                      for p in doc["periods"]),
        open_days=doc.get("open_days") or "all", updated_by=doc.get("updated_by"),
        updated_at=doc.get("updated_at"))
