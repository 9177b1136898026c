"""Revocation: a signed token is refused once its account is deactivated or its session ended.

Role changes, deactivation and password changes bump the account's session version; a token
carries the version it was issued under. Signing out ends one session only: the token's session
id (`sid`, one per sign-in) joins the account's revoked sessions. Account reads are reused for
a few seconds so a proxied call does not cost a database read each time.

The services check tokens too, sent to them directly: every change that ends someone's
sessions publishes `gateway.session.revoked` through the gateway's outbox, in the transaction
of the change (`announce_revoked`), and every service refuses older tokens from then on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from gateway.accounts import Account, AccountStore
from ops_shared.contracts.gateway import RevokeReason, SessionRevoked
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.web import Problem

MAX_CACHED = 10_000


class SessionCheck:
    """Checks a verified token against the current state of its account."""

    def __init__(self, store: AccountStore, ttl_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._ttl_s = ttl_s
        self._clock = clock
        self._cache: dict[str, tuple[float, Account | None]] = {}

    async def check(self, staff_id: str, session_version: int,
                    session_id: str | None = None) -> None:
        """Raise a 401 problem if there is no account, it is inactive, or the token's session
        ended: a signature alone is never enough."""
        account = await self._account(staff_id)
        if account is None:
            raise Problem(401, "no-account", "No account",
                          "No account exists for this token's staff id.")
        if not account.active:
            raise Problem(401, "account-inactive", "Account inactive",
                          "This account has been deactivated.")
        if account.session_version != session_version:
            raise Problem(401, "token-revoked", "Token revoked",
                          "The account changed since this token was issued; sign in again.")
        if session_id is not None and session_id in account.revoked_sessions:
            raise Problem(401, "token-revoked", "Token revoked",
                          "This session was signed out; sign in again.")

    def forget(self, staff_id: str) -> None:
        """Drop a cached account after this process changed it."""
        self._cache.pop(staff_id, None)

    async def _account(self, staff_id: str) -> Account | None:
        now = self._clock()
        cached = self._cache.get(staff_id)
        if cached and cached[0] > now:
            return cached[1]
        account = await self._store.get(staff_id)
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[staff_id] = (now + self._ttl_s, account)
        return account


def announce_revoked(uow: MongoUnitOfWork, account: Account, reason: RevokeReason, *,
                     session_id: str | None = None,
                     session_expires_at: datetime | None = None) -> None:
    """Tell every service, with the account change's transaction, that tokens issued before
    the account's new session version stop working; with `session_id`, that this one
    session's tokens stop working (the version is then unchanged)."""
    uow.publish(SessionRevoked(staff_id=account.staff_id,
                               session_version=account.session_version, reason=reason,
                               revoked_at=datetime.now(UTC), session_id=session_id,
                               session_expires_at=session_expires_at))
