"""Writes held back to the end of a transaction and sent together.

Within one unit of work the saves of cases and the new refunds and receipts of the receipt path
need not go out one by one: they are held and sent as one ordered bulk write per collection
just before the commit (`MongoUnitOfWork.before_commit`). A consumer batch of 100 receipts then
makes a handful of bulk writes instead of 300 round trips. Every read through the unit of work's
repositories first sends what is held, so a read still sees the transaction's own writes; a
duplicate key or a stale version surfaces at that send, still inside the transaction, as the
same Conflict as before, and the whole transaction rolls back (nothing is lost or doubled: the
unique keys and version checks are the database's, as before).

Only a session registered by `hold_writes` (the logistics unit of work does it and registers
the send) holds writes; any other writes at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

from pymongo import InsertOne, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from logistics.domain.errors import Conflict

DUPLICATE_KEY = 11000


@dataclass(frozen=True)
class _Held:
    request: InsertOne | UpdateOne
    on_duplicate: Callable[[DuplicateKeyError], Conflict]
    on_unmatched: Callable[[], Conflict] | None = None  # an update that must match one


class HeldWrites:
    def __init__(self, db: AsyncDatabase, session: AsyncClientSession) -> None:
        self.db = db
        self.session = session
        self._held: dict[str, list[_Held]] = {}

    def hold(self, collection: str, request: InsertOne | UpdateOne,
             on_duplicate: Callable[[DuplicateKeyError], Conflict],
             on_unmatched: Callable[[], Conflict] | None = None) -> None:
        self._held.setdefault(collection, []).append(_Held(request, on_duplicate, on_unmatched))

    async def send(self) -> None:
        """Write everything held, in the order it was held per collection."""
        held, self._held = self._held, {}
        for collection, writes in held.items():
            try:
                result = await self.db[collection].bulk_write(
                    [w.request for w in writes], ordered=True, session=self.session)
            except BulkWriteError as exc:
                first = (exc.details.get("writeErrors") or [{}])[0]
                if first.get("code") != DUPLICATE_KEY:
                    raise
                failed = writes[first["index"]]
                raise failed.on_duplicate(DuplicateKeyError(first.get("errmsg", ""))) from None
            must_match = [w for w in writes if w.on_unmatched is not None]
            if result.matched_count < len(must_match):
                assert must_match[0].on_unmatched is not None
                raise must_match[0].on_unmatched()


_SESSIONS: weakref.WeakKeyDictionary[AsyncClientSession, HeldWrites] = (
    weakref.WeakKeyDictionary())


def hold_writes(db: AsyncDatabase, session: AsyncClientSession) -> HeldWrites:
    """Make the repositories of `session` hold their writes; the caller sends them."""
    held = _SESSIONS.get(session)
    if held is None:
        held = _SESSIONS[session] = HeldWrites(db, session)
    return held


def held_writes(session: AsyncClientSession | None) -> HeldWrites | None:
    """The held writes of `session`, when it holds them."""
    return _SESSIONS.get(session) if session is not None else None


async def send_held(session: AsyncClientSession | None) -> None:
    """Before a read: write what is held, so that the read sees it."""
    held = held_writes(session)
    if held is not None:
        await held.send()
