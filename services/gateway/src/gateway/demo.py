"""Demo accounts for development: password `demo-<staff_id>`.

The demo staff are hired in hr (hr's `DEMO_STAFF`), and the gateway gives each one its demo
account when hr announces them (`demo_account`). Only `ops_admin`, a gateway role that hr does
not know, is seeded here. Tests that run the gateway without hr call `seed_demo_accounts`,
which records the directory entries hr would have sent and then the accounts.
"""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from pymongo.asynchronous.database import AsyncDatabase

from gateway.accounts import Account, AccountExists, AccountStore
from gateway.directory import DirectoryEntry, DirectoryStore
from gateway.passwords import Passwords
from ops_shared.contracts.hr import Role
from ops_shared.persistence import MongoUnitOfWork

log = structlog.get_logger(__name__)

# staff id, role, team
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("presales1", "presales", "customer_service"),
    ("presales2", "presales", "customer_service"),
    ("aftersales1", "aftersales", "customer_service"),
    ("aftersales2", "aftersales", "customer_service"),
    ("orderdesk1", "order_desk", "order_desk"),
    ("warehouse1", "warehouse", "warehouse"),
    ("supervisor1", "supervisor", "customer_service"),
    ("manager1", "manager", "management"),
    ("hradmin1", "hr_admin", "hr"),
    ("opsadmin1", "ops_admin", "operations"),
)
DEMO_IDS = frozenset(staff_id for staff_id, _, _ in DEMO_ACCOUNTS)
HR_ROLES = frozenset(Role.__args__)


def demo_password(staff_id: str) -> str:
    return f"demo-{staff_id}"


def _account(entry: DirectoryEntry, password_hash: str) -> Account:
    now = datetime.now(UTC)
    return Account(staff_id=entry.staff_id, display_name=entry.display_name, role=entry.role,
                   team=entry.team, password_hash=password_hash, active=entry.active,
                   created_by="demo-seed", created_at=now, updated_at=now)


def demo_account(store: AccountStore, passwords: Passwords):
    """The hook `directory.staff_changed` calls in development: a demo staff member hr
    announces gets the demo account."""

    async def give(uow: MongoUnitOfWork, entry: DirectoryEntry) -> Account | None:
        if entry.staff_id not in DEMO_IDS or not entry.active:
            return None
        account = _account(entry, await passwords.hash(demo_password(entry.staff_id)))
        try:
            await store.insert(account, session=uow.session)
        except AccountExists:
            return None
        return account

    return give


async def seed_local_accounts(db: AsyncDatabase, passwords: Passwords) -> list[str]:
    """The demo accounts of roles hr does not know (ops_admin), which hr never announces."""
    return await _seed(db, passwords, only_local=True)


async def seed_demo_accounts(db: AsyncDatabase, passwords: Passwords | None = None
                             ) -> list[str]:
    """Every demo account, with the directory entries hr would have sent (tests without hr);
    returns the staff ids created."""
    return await _seed(db, passwords or Passwords.default(), only_local=False)


async def _seed(db: AsyncDatabase, passwords: Passwords, only_local: bool) -> list[str]:
    store, directory = AccountStore(db), DirectoryStore(db)
    created = []
    for staff_id, role, team in DEMO_ACCOUNTS:
        if only_local and role in HR_ROLES:
            continue
        entry = DirectoryEntry(staff_id, f"Demo {role.replace('_', ' ')}", role, team, True,
                               datetime.now(UTC))
        if role in HR_ROLES and await directory.get(staff_id) is None:
            await directory.put(entry)
        if await store.get(staff_id) is not None:
            continue
        try:
            await store.insert(_account(entry, await passwords.hash(demo_password(staff_id))))
        except AccountExists:
            continue
        created.append(staff_id)
    log.info("demo_accounts.seeded", created=created)
    return created
