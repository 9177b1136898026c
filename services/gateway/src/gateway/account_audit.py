"""The audit trail of grants: who gave whom which role (or took access away), and when.

Append-only: entries are written in the same transaction as the account change they record,
and this module has no way to change or delete one. Managers and HR admins read it at
`GET /admin/account-audit`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from bson import ObjectId
from pymongo import DESCENDING, IndexModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from gateway.accounts import Account
from ops_shared.persistence import Indexes
from ops_shared.web import Principal

ACCOUNT_AUDIT = "account_audit"
AUDIT_INDEXES = Indexes(ACCOUNT_AUDIT, (
    IndexModel([("at", DESCENDING), ("_id", DESCENDING)], name="newest_first"),
    IndexModel([("staff_id", 1), ("at", DESCENDING)], name="by_account"),
    IndexModel([("by", 1), ("at", DESCENDING)], name="by_actor"),
))
AuditAction = Literal["created", "role_changed", "deactivated", "reactivated"]


@dataclass(frozen=True)
class AuditEntry:
    """One grant or revocation: `by` (holding `by_role`) did `action` to `staff_id`."""

    id: str
    at: datetime
    by: str
    by_role: str
    staff_id: str
    action: AuditAction
    old_role: str | None
    new_role: str

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> AuditEntry:
        fields = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        return cls(id=str(doc["_id"]), **fields)

    def to_doc(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["_id"] = ObjectId(doc.pop("id"))
        return doc


def audit_entries(actor: Principal, before: Account | None, after: Account, at: datetime
                  ) -> list[AuditEntry]:
    """The entries an account change earns: its creation, a new role, (de)activation."""

    def entry(action: AuditAction, old_role: str | None) -> AuditEntry:
        # ObjectIds increase within a process: entries written together keep their order.
        return AuditEntry(id=str(ObjectId()), at=at, by=actor.staff_id, by_role=actor.role,
                          staff_id=after.staff_id, action=action, old_role=old_role,
                          new_role=after.role)

    if before is None:
        return [entry("created", None)]
    entries = []
    if before.role != after.role:
        entries.append(entry("role_changed", before.role))
    if before.active != after.active:
        entries.append(entry("reactivated" if after.active else "deactivated", before.role))
    return entries


class AccountAudit:
    """Appends entries and reads them back, newest first."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._entries = db[ACCOUNT_AUDIT]

    async def append(self, entries: list[AuditEntry], *, session: AsyncClientSession) -> None:
        if entries:
            await self._entries.insert_many([e.to_doc() for e in entries], session=session)

    async def newest(self, *, staff_id: str | None = None, by: str | None = None,
                     limit: int = 100) -> list[AuditEntry]:
        query: dict[str, str] = {}
        if staff_id is not None:
            query["staff_id"] = staff_id
        if by is not None:
            query["by"] = by
        cursor = self._entries.find(query).sort([("at", DESCENDING), ("_id", DESCENDING)])
        return [AuditEntry.from_doc(doc) async for doc in cursor.limit(limit)]
