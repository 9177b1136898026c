"""Fakes of the lists a manager edits: tiers (T9), suggestion categories (T11), SLA and
assignment policies (T2-T6), and the seed markers."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, datetime

from tickets.domain.errors import NotFound
from tickets.domain.intake import IntakePolicy
from tickets.domain.model import BOOST_TIERS, DEFAULT_SUGGESTION_CATEGORIES, DEFAULT_TIERS
from tickets.domain.sla import DEFAULT_POLICIES, SlaPolicy
from tickets.domain.staffed_hours import RULEBOOK_STAFFED_HOURS, StaffedHours

from .store import Doc, Store

DEFAULT_TIER_DOCS: tuple[Doc, ...] = tuple(
    {"_id": name, "description": name, "boost_priority": name in BOOST_TIERS}
    for name in DEFAULT_TIERS)
DEFAULT_CATEGORY_DOCS: tuple[Doc, ...] = tuple(
    {"_id": name, "description": name} for name in DEFAULT_SUGGESTION_CATEGORIES)
DEFAULT_ASSIGNMENT: Doc = {"strategy": "round_robin"}
ASSIGNMENT = "assignment"
INTAKE = "intake"


class FakeNamedList:
    """Implements `NamedList` on one dict of the store, named by `collection`."""

    collection: str
    label: str
    defaults: Sequence[Doc] = ()

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def docs(self) -> dict[str, Doc]:
        return getattr(self.store, self.collection)

    async def all(self) -> list[Doc]:
        return [copy.deepcopy(self.docs[name]) for name in sorted(self.docs)]

    async def names(self) -> list[str]:
        return sorted(self.docs)

    async def get(self, name: str) -> Doc:
        if (doc := self.docs.get(str(name))) is None:
            raise NotFound(f"{self.label} {name} does not exist")
        return copy.deepcopy(doc)

    async def put(self, name: str, fields: Doc) -> Doc:
        self.docs.setdefault(str(name), {"_id": str(name)}).update(copy.deepcopy(fields))
        return await self.get(name)

    async def delete(self, name: str) -> None:
        if self.docs.pop(str(name), None) is None:
            raise NotFound(f"{self.label} {name} does not exist")

    async def seed(self) -> None:
        seed_list(self.docs, self.defaults)


def seed_list(docs: dict[str, Doc], defaults: Sequence[Doc]) -> None:
    for doc in defaults:
        docs.setdefault(doc["_id"], copy.deepcopy(doc))


class FakeTierRepository(FakeNamedList):
    """Implements `TierRepository` (T9)."""

    collection, label, defaults = "tiers", "tier", DEFAULT_TIER_DOCS

    async def boosted(self) -> frozenset[str]:
        return frozenset(name for name, doc in self.docs.items() if doc.get("boost_priority"))


class FakeCategoryRepository(FakeNamedList):
    """Implements `CategoryRepository` (T11)."""

    collection, label, defaults = "categories", "suggestion category", DEFAULT_CATEGORY_DOCS


class FakePolicyRepository:
    """Implements `PolicyRepository` on a `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def sla_policies(self) -> tuple[SlaPolicy, ...]:
        policies = self.store.sla_policies
        return tuple(_policy(name, policies[name]) for name in sorted(policies))

    async def sla_policy(self, name: str) -> SlaPolicy:
        if (doc := self.store.sla_policies.get(str(name))) is None:
            raise NotFound(f"SLA policy {name} does not exist")
        return _policy(str(name), doc)

    async def put_sla_policy(self, policy: SlaPolicy, by: str) -> None:
        self.store.sla_policies[policy.name] = {
            **policy.model_dump(mode="python", exclude={"name"}),
            "updated_by": by, "updated_at": datetime.now(UTC)}

    async def delete_sla_policy(self, name: str) -> None:
        if self.store.sla_policies.pop(str(name), None) is None:
            raise NotFound(f"SLA policy {name} does not exist")

    async def assignment(self) -> Doc:
        return {**DEFAULT_ASSIGNMENT,
                **copy.deepcopy(self.store.service_settings.get(ASSIGNMENT, {}))}

    async def put_assignment(self, fields: Doc) -> Doc:
        self.store.service_settings.setdefault(ASSIGNMENT, {"_id": ASSIGNMENT}).update(fields)
        return await self.assignment()

    async def intake(self) -> IntakePolicy:
        doc = self.store.service_settings.get(INTAKE, {})
        return IntakePolicy(**{k: v for k, v in doc.items() if k in IntakePolicy.model_fields})

    async def put_intake(self, policy: IntakePolicy, by: str, at: datetime) -> None:
        self.store.service_settings.setdefault(INTAKE, {"_id": INTAKE}).update(
            {**policy.model_dump(), "updated_by": by, "updated_at": at})

    async def staffed_hours(self) -> StaffedHours:
        return self.store.staffed_hours or RULEBOOK_STAFFED_HOURS

    async def put_staffed_hours(self, hours: StaffedHours) -> None:
        self.store.staffed_hours = hours

    async def seed_staffed_hours(self) -> None:
        if self.store.staffed_hours is None:
            self.store.staffed_hours = RULEBOOK_STAFFED_HOURS

    async def claim_seed(self, what: str) -> bool:
        marker = f"seeded:{what}"
        if marker in self.store.service_settings:
            return False
        self.store.service_settings[marker] = {"_id": marker, "at": datetime.now(UTC)}
        return True

    async def seed_sla_policies(self) -> None:
        seed_policies(self.store)


def seed_policies(store: Store) -> None:
    for policy in DEFAULT_POLICIES:
        store.sla_policies.setdefault(policy.name,
                                      policy.model_dump(mode="python", exclude={"name"}))


def _policy(name: str, doc: Doc) -> SlaPolicy:
    return SlaPolicy(name=name, **{k: v for k, v in doc.items()
                                   if k in SlaPolicy.model_fields and k != "name"})
