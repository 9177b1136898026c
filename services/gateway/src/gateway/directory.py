"""Accounts follow hr's staff directory (H1, issue 9 item 1).

The gateway keeps only credentials; who exists, their role, team and whether they still work
here come from `hr.staff.changed`. This module keeps the gateway's copy of the directory (a
staff id hr does not know gets no account) and brings an existing account in step with each
change: a new role or team or a deactivation ends the person's sessions at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import structlog
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from gateway.account_audit import audit_entries
from gateway.accounts import Account
from gateway.sessions import announce_revoked
from ops_shared.contracts import Envelope
from ops_shared.contracts.hr import StaffChanged
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.web import Principal

log = structlog.get_logger(__name__)
DIRECTORY = "directory"
HR = Principal(staff_id="hr.directory", role="hr")
"""Who changes an account when the directory changes it (on the audit trail)."""


@dataclass(frozen=True)
class DirectoryEntry:
    """What hr last said about a staff member."""

    staff_id: str
    display_name: str
    role: str
    team: str | None
    active: bool
    changed_at: datetime

    @classmethod
    def of(cls, event: StaffChanged, at: datetime) -> DirectoryEntry:
        # Milliseconds, as MongoDB keeps them, so that a stored entry compares as sent.
        at = at.replace(microsecond=at.microsecond // 1000 * 1000)
        return cls(event.staff_id, event.display_name, event.role, event.team, event.active,
                   at)

    def claims(self) -> dict[str, Any]:
        return {"display_name": self.display_name, "role": self.role, "team": self.team,
                "active": self.active}


class DirectoryStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self._entries = db[DIRECTORY]

    async def get(self, staff_id: str, *, session: AsyncClientSession | None = None
                  ) -> DirectoryEntry | None:
        doc = await self._entries.find_one({"_id": staff_id}, session=session)
        if doc is None:
            return None
        return DirectoryEntry(staff_id=doc["_id"], **{k: doc[k] for k in (
            "display_name", "role", "team", "active", "changed_at")})

    async def put(self, entry: DirectoryEntry, *, session: AsyncClientSession | None = None
                  ) -> bool:
        """Store the entry unless a newer one is stored (events may arrive out of order)."""
        doc = asdict(entry)
        doc["_id"] = doc.pop("staff_id")
        stored = await self.get(entry.staff_id, session=session)
        if stored is not None and stored.changed_at > entry.changed_at:
            return False
        await self._entries.replace_one({"_id": doc["_id"]}, doc, upsert=True, session=session)
        return True


async def follow(identity: Any, uow: MongoUnitOfWork, entry: DirectoryEntry) -> Account | None:
    """Bring the account (if any) in step with the directory entry, in the caller's
    transaction; returns the account after the change."""
    before = await identity.accounts.get(entry.staff_id, session=uow.session)
    if before is None:
        return None
    changes = {k: v for k, v in entry.claims().items() if getattr(before, k) != v}
    if not changes:
        return before
    end_sessions = bool({"role", "team"} & changes.keys()) or changes.get("active") is False
    after = await identity.accounts.update(entry.staff_id, changes, end_sessions=end_sessions,
                                           session=uow.session)
    if after is not None and end_sessions:
        announce_revoked(uow, after, "deactivated" if changes.get("active") is False
                         else "role_changed" if "role" in changes else "team_changed")
    if after is not None:
        await identity.audit.append(audit_entries(HR, before, after, entry.changed_at),
                                    session=uow.session)
    return after


async def staff_changed(identity: Any, uow: MongoUnitOfWork, event: StaffChanged,
                        envelope: Envelope) -> None:
    """H1: remember what hr says and bring the person's account in step."""
    entry = DirectoryEntry.of(event, envelope.occurred_at)
    if not await identity.directory.put(entry, session=uow.session):
        log.info("directory.outdated", staff_id=event.staff_id)
        return
    account = await follow(identity, uow, entry)
    if account is None and identity.demo is not None:
        account = await identity.demo(uow, entry)
    identity.sessions.forget(event.staff_id)
    log.info("directory.changed", staff_id=event.staff_id, role=event.role,
             active=event.active, account=account is not None)
