"""Staff accounts in the gateway's database: one personal account per staff id (T15)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

ACCOUNTS = "accounts"


class AccountExists(Exception):
    """Another account already has this staff id."""


@dataclass(frozen=True)
class Account:
    """One staff member's login; `session_version` changes when all old tokens must stop
    working, `revoked_sessions` names single sessions (sign-ins) that were signed out."""

    staff_id: str
    display_name: str
    role: str
    team: str | None
    password_hash: str
    active: bool = True
    session_version: int = 0
    created_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    revoked_sessions: frozenset[str] = frozenset()

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Account:
        fields = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        fields["revoked_sessions"] = frozenset(
            entry["sid"] for entry in doc.get("revoked_sessions") or ())
        return cls(staff_id=doc["_id"], **fields)

    def to_doc(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["_id"] = doc.pop("staff_id")
        doc["revoked_sessions"] = []  # a new account has no signed-out session
        return doc


class AccountStore:
    """Reads and writes accounts; filters are built from typed values only."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._accounts = db[ACCOUNTS]

    async def get(self, staff_id: str, *, session: AsyncClientSession | None = None
                  ) -> Account | None:
        doc = await self._accounts.find_one({"_id": staff_id}, session=session)
        return Account.from_doc(doc) if doc else None

    async def insert(self, account: Account, *, session: AsyncClientSession | None = None
                     ) -> None:
        """Store a new account; raises AccountExists if the staff id is taken."""
        try:
            await self._accounts.insert_one(account.to_doc(), session=session)
        except DuplicateKeyError:
            raise AccountExists(account.staff_id) from None

    async def update(self, staff_id: str, changes: dict[str, Any], *, end_sessions: bool,
                     session: AsyncClientSession | None = None) -> Account | None:
        """Apply `changes`; with `end_sessions`, tokens issued before stop working."""
        update: dict[str, Any] = {"$set": {**changes, "updated_at": datetime.now(UTC)}}
        if end_sessions:
            update["$inc"] = {"session_version": 1}
        if end_sessions:  # every earlier session ended with the version: none to remember
            update["$set"]["revoked_sessions"] = []
        doc = await self._accounts.find_one_and_update(
            {"_id": staff_id}, update, return_document=ReturnDocument.AFTER, session=session)
        return Account.from_doc(doc) if doc else None

    async def revoke_session(self, staff_id: str, session_id: str, until: datetime, *,
                             session: AsyncClientSession | None = None) -> Account | None:
        """End one session: its tokens are refused until `until` (the last of them expires
        then); entries whose time has passed are dropped. Call inside a transaction."""
        doc = await self._accounts.find_one({"_id": staff_id}, session=session)
        if doc is None:
            return None
        now = datetime.now(UTC)
        kept = [entry for entry in doc.get("revoked_sessions") or ()
                if _aware(entry["until"]) > now and entry["sid"] != session_id]
        kept.append({"sid": session_id, "until": until})
        doc = await self._accounts.find_one_and_update(
            {"_id": staff_id}, {"$set": {"revoked_sessions": kept}},
            return_document=ReturnDocument.AFTER, session=session)
        return Account.from_doc(doc) if doc else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
