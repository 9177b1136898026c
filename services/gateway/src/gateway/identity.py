"""Use cases on staff identity: sign in, change one's password, set a first password or reset
one. Who exists and their role, team and active flag come from hr's directory
(`gateway.directory`); the gateway keeps only credentials."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from gateway import grants
from gateway.account_audit import AccountAudit, audit_entries
from gateway.accounts import Account, AccountExists, AccountStore
from gateway.directory import DirectoryEntry, DirectoryStore
from gateway.passwords import Passwords
from gateway.schemas import AccountCreate, PasswordReset
from gateway.sessions import SessionCheck, announce_revoked
from gateway.signing import SESSION_ID_CLAIM, IssuedToken, TokenIssuer
from gateway.throttle import LoginThrottle
from ops_shared.contracts.gateway import RevokeReason
from ops_shared.persistence import Database, MongoUnitOfWork
from ops_shared.web import Principal, Problem, loggable

log = structlog.get_logger(__name__)


class LoginLocked(Problem):
    """Too many failed attempts on this staff id; answered with a Retry-After header."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(429, "login-locked", "Too many failed attempts",
                         "Sign-in is locked for this staff id; try again later.",
                         retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Identity:
    """What the identity use cases work with, wired once at start."""

    accounts: AccountStore
    audit: AccountAudit
    database: Database  # runs an account change and its audit entries in one transaction
    passwords: Passwords
    throttle: LoginThrottle
    tokens: TokenIssuer
    sessions: SessionCheck
    directory: DirectoryStore
    demo: Callable[[MongoUnitOfWork, DirectoryEntry], Awaitable[Account | None]] | None = None
    """Development only: gives a demo staff member hr announces their demo account."""

    def issue(self, account: Account) -> IssuedToken:
        return self.tokens.issue(account.staff_id, account.role, account.team,
                                 account.session_version)


async def sign_in(identity: Identity, staff_id: str, password: str) -> IssuedToken:
    """A token for the right password; the same 401 for an unknown id or a wrong password."""
    account = await _check_password(identity, staff_id, password)
    if account is None:
        log.info("auth.sign_in_failed")
        raise Problem(401, "invalid-credentials", "Invalid credentials",
                      "Unknown staff id or wrong password.")
    log.info("auth.signed_in", staff_id=account.staff_id, role=account.role)
    return identity.issue(account)


async def change_password(identity: Identity, staff: Principal, current: str, new: str
                          ) -> IssuedToken:
    """Set a new password; tokens issued before stop working and a fresh one is returned."""
    account = await _check_password(identity, staff.staff_id, current)
    if account is None:
        raise Problem(403, "wrong-password", "Wrong password",
                      "The current password is not correct.")
    password_hash = await identity.passwords.hash(new)
    updated = await _end_sessions(identity, staff.staff_id, {"password_hash": password_hash},
                                  "password_changed")
    identity.sessions.forget(staff.staff_id)
    if updated is None:
        raise Problem(404, "not-found", "No such account", staff.staff_id)
    log.info("auth.password_changed", staff_id=staff.staff_id)
    return identity.issue(updated)


async def sign_out(identity: Identity, staff: Principal, *, all_sessions: bool = False
                   ) -> None:
    """End the caller's session (the token's `sid`): its tokens stop working, at the gateway at
    once and at every service as soon as it hears `gateway.session.revoked`; the person's other
    sessions keep working. With `all_sessions` (or a token from before session ids), every
    token issued to them so far stops working."""
    session_id = staff.claims.get(SESSION_ID_CLAIM)
    if all_sessions or not isinstance(session_id, str):
        updated = await _end_sessions(identity, staff.staff_id, {}, "signed_out")
    else:
        until = datetime.fromtimestamp(int(staff.claims["exp"]), UTC)

        async def end_one(uow: MongoUnitOfWork) -> Account | None:
            account = await identity.accounts.revoke_session(staff.staff_id, session_id, until,
                                                             session=uow.session)
            if account is not None:
                announce_revoked(uow, account, "signed_out", session_id=session_id,
                                 session_expires_at=until)
            return account

        updated = await identity.database.transaction(end_one)
    identity.sessions.forget(staff.staff_id)
    if updated is None:
        raise Problem(404, "not-found", "No such account", staff.staff_id)
    log.info("auth.signed_out", staff_id=staff.staff_id,
             scope="all" if all_sessions or not isinstance(session_id, str) else "session")


async def create_account(identity: Identity, actor: Principal, command: AccountCreate
                         ) -> Account:
    """An initial password for a staff member hr's directory knows and keeps active; role,
    team and name come from the directory. One account per staff id, for a role the actor
    may grant (`gateway.grants`); audited."""
    entry = await identity.directory.get(command.staff_id)
    if entry is None or not entry.active:
        raise Problem(409, "staff-unknown", "Not in the staff directory",
                      f"hr's directory has no active staff member '{command.staff_id}': "
                      "hire them in hr first", staff_id=command.staff_id)
    grants.check_grant(actor.role, entry.role)
    now = datetime.now(UTC)
    account = Account(
        staff_id=entry.staff_id, display_name=entry.display_name, role=entry.role,
        team=entry.team, password_hash=await identity.passwords.hash(command.password),
        created_by=actor.staff_id, created_at=now, updated_at=now)

    async def create(uow: MongoUnitOfWork) -> None:
        await identity.accounts.insert(account, session=uow.session)
        await identity.audit.append(audit_entries(actor, None, account, now),
                                    session=uow.session)

    try:
        await identity.database.transaction(create)
    except AccountExists:
        raise Problem(409, "account-exists", "Account exists",
                      f"staff id '{command.staff_id}' already has an account") from None
    log.info("account.created", staff_id=account.staff_id, role=account.role,
             by=actor.staff_id)
    return account


async def reset_password(identity: Identity, actor: Principal, staff_id: str,
                         command: PasswordReset) -> Account:
    """A new password for someone else's account whose role the actor may grant; their
    sessions end."""
    if staff_id == actor.staff_id:
        raise Problem(403, "own-account", "Not allowed on your own account",
                      "Change your own password at /auth/password.")
    account = await identity.accounts.get(staff_id)
    if account is None:
        raise Problem(404, "not-found", "No such account", staff_id)
    grants.check_change(actor.role, account.role, None)
    password_hash = await identity.passwords.hash(command.password)
    updated = await _end_sessions(identity, staff_id, {"password_hash": password_hash},
                                  "password_reset")
    identity.sessions.forget(staff_id)
    if updated is None:
        raise Problem(404, "not-found", "No such account", staff_id)
    log.info("account.password_reset", staff_id=staff_id, by=actor.staff_id)
    return updated


async def _end_sessions(identity: Identity, staff_id: str, changes: dict[str, Any],
                        reason: RevokeReason) -> Account | None:
    """Change the account and end its sessions; the services hear of it from the outbox."""

    async def change(uow: MongoUnitOfWork) -> Account | None:
        updated = await identity.accounts.update(staff_id, changes, end_sessions=True,
                                                 session=uow.session)
        if updated is not None:
            announce_revoked(uow, updated, reason)
        return updated

    return await identity.database.transaction(change)


async def own_account(identity: Identity, staff: Principal) -> Account:
    """The caller's account."""
    account = await identity.accounts.get(staff.staff_id)
    if account is None:
        raise Problem(404, "not-found", "No such account", staff.staff_id)
    return account


async def _check_password(identity: Identity, staff_id: str, password: str) -> Account | None:
    """The active account if the password is right, else None; counts and locks attempts."""
    attempt = await identity.throttle.begin(staff_id, datetime.now(UTC))
    if attempt.locked_s:
        log.warning("auth.locked", staff_id=loggable(staff_id), retry_after_s=attempt.locked_s)
        raise LoginLocked(attempt.locked_s)
    account = await identity.accounts.get(staff_id)
    matched = await identity.passwords.verify(account.password_hash if account else None,
                                              password)
    if account is None or not matched or not account.active:
        await identity.throttle.failed(attempt)
        return None
    await identity.throttle.succeeded(attempt)
    if identity.passwords.needs_rehash(account.password_hash):
        new_hash = await identity.passwords.hash(password)
        await identity.accounts.update(staff_id, {"password_hash": new_hash}, end_sessions=False)
    return account
