"""Revoked tokens are refused by every service, not only by the gateway (issue 7, item 5).

Every service keeps `staff_sessions` in its own database, fed by `hr.staff.changed` and by the
gateway's `gateway.session.revoked` (the gateway alone knows when a password reset, a role or
team change or a deactivation ends someone's sessions): the runtime subscribes
`StaffSessions.on_staff_changed` and `on_session_revoked` for every service, in the same
transaction as the service's own handler of that event when it has one.
`current_principal` then refuses (401):
- the token of a staff member the latest event says is inactive (`account-inactive`);
- a token whose session version claim (`sv`, as the gateway issues it; absent counts as 0) is
  lower than the highest `session_version` either event carried (`token-revoked`);
- a token whose session id claim (`sid`, one per sign-in) names a session the gateway said was
  signed out (`gateway.session.revoked` with `session_id`; `token-revoked`). The person's other
  sessions keep working; the id is kept until the session's last token expires.
Events may arrive out of order: `active` follows the newest event (by `occurred_at`), the
session version only grows, revoked session ids only accumulate (until they expire).

A staff id this service has never heard of is accepted on its signature alone: a service learns
about staff only from hr's events, and refusing unknown ids would refuse everyone until the first
events arrive (and tokens minted by tests for made-up staff). Once any event names the staff
id, every token of theirs is checked. Reads are cached per staff id for
`STAFF_SESSION_CACHE_S`: a revocation takes effect within that time after the event is applied.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from pymongo.asynchronous.database import AsyncDatabase

from ops_shared.contracts import Envelope, Event
from ops_shared.contracts.gateway import SessionRevoked
from ops_shared.contracts.hr import StaffChanged
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.web.problems import Problem

log = structlog.get_logger(__name__)
STAFF_SESSIONS = "staff_sessions"
SESSION_CLAIM = "sv"
"""The token claim carrying the session version it was issued under (the gateway's)."""
SESSION_ID_CLAIM = "sid"
"""The token claim naming its session (one sign-in), which signing out ends alone."""
KEEP_WITHOUT_EXPIRY = timedelta(days=1)
"""How long a revoked session id is kept when the event did not say when the session expires
(longer than any token lives)."""
MAX_CACHED = 10_000


@dataclass(frozen=True)
class SessionState:
    active: bool
    session_version: int | None
    revoked_sessions: frozenset[str] = frozenset()


class StaffSessions:
    """The service's view of each staff member's sessions, and the check every token passes."""

    def __init__(self, db: AsyncDatabase, cache_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.collection = db[STAFF_SESSIONS]
        self.cache_s = cache_s
        self._clock = clock
        self._cache: dict[str, tuple[float, SessionState | None]] = {}

    async def check(self, staff_id: str, claims: dict[str, Any]) -> None:
        """Raise a 401 problem if this token must no longer work."""
        state = await self._state(staff_id)
        if state is None:
            return
        if not state.active:
            raise Problem(401, "account-inactive", "Account inactive",
                          "This account has been deactivated.")
        version = claims.get(SESSION_CLAIM, 0)
        if type(version) is not int:
            raise Problem(401, "invalid-token", "Invalid token",
                          "the token's session version is not a number")
        if state.session_version is not None and version < state.session_version:
            raise Problem(401, "token-revoked", "Token revoked",
                          "The account changed since this token was issued; sign in again.")
        session_id = claims.get(SESSION_ID_CLAIM)
        if session_id is not None and session_id in state.revoked_sessions:
            raise Problem(401, "token-revoked", "Token revoked",
                          "This session was signed out; sign in again.")

    async def on_staff_changed(self, event: Event, envelope: Envelope,
                               uow: MongoUnitOfWork) -> None:
        """Foundation handler of `hr.staff.changed`, in the consumer's transaction."""
        assert isinstance(event, StaffChanged)
        doc = await uow.db[STAFF_SESSIONS].find_one({"_id": event.staff_id},
                                                     session=uow.session)
        versions = [v for v in ((doc or {}).get("session_version"), event.session_version)
                    if v is not None]
        update: dict[str, Any] = {"session_version": max(versions) if versions else None}
        changed_at = (doc or {}).get("changed_at")  # absent: only the gateway spoke yet
        if changed_at is None or _aware(changed_at) <= envelope.occurred_at:  # the newest
            update |= {"active": event.active, "changed_at": envelope.occurred_at}
        await uow.db[STAFF_SESSIONS].update_one({"_id": event.staff_id}, {"$set": update},
                                                upsert=True, session=uow.session)
        self.forget(event.staff_id)
        log.info("staff_session.changed", staff_id=event.staff_id, active=update.get("active"),
                 session_version=update["session_version"])

    async def on_session_revoked(self, event: Event, envelope: Envelope,
                                 uow: MongoUnitOfWork) -> None:
        """Foundation handler of `gateway.session.revoked`: the version only ever grows; a
        signed-out session's id is kept until its tokens expire."""
        assert isinstance(event, SessionRevoked)
        doc = await uow.db[STAFF_SESSIONS].find_one({"_id": event.staff_id},
                                                     session=uow.session)
        stored = (doc or {}).get("session_version")
        version = event.session_version if stored is None else max(stored,
                                                                   event.session_version)
        update: dict[str, Any] = {"session_version": version}
        if event.session_id is not None:
            until = event.session_expires_at or event.revoked_at + KEEP_WITHOUT_EXPIRY
            now = datetime.now(UTC)
            kept = [entry for entry in (doc or {}).get("revoked_sessions") or ()
                    if _aware(entry["until"]) > now and entry["sid"] != event.session_id]
            update["revoked_sessions"] = [*kept, {"sid": event.session_id, "until": until}]
        await uow.db[STAFF_SESSIONS].update_one(
            {"_id": event.staff_id}, {"$set": update}, upsert=True, session=uow.session)
        self.forget(event.staff_id)
        log.info("staff_session.revoked", staff_id=event.staff_id, reason=event.reason,
                 session_version=event.session_version, session_id=event.session_id)

    def forget(self, staff_id: str) -> None:
        self._cache.pop(staff_id, None)

    async def _state(self, staff_id: str) -> SessionState | None:
        now = self._clock()
        cached = self._cache.get(staff_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        doc = await self.collection.find_one({"_id": staff_id})
        state = None if doc is None else SessionState(
            bool(doc.get("active", True)), doc.get("session_version"),
            frozenset(entry["sid"] for entry in doc.get("revoked_sessions") or ()))
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[staff_id] = (now + self.cache_s, state)
        return state


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
