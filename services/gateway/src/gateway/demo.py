"""Demo accounts for development: one per role, password `demo-<staff_id>`."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from pymongo.asynchronous.database import AsyncDatabase

from gateway.accounts import Account, AccountExists, AccountStore
from gateway.passwords import Passwords

log = structlog.get_logger(__name__)

# staff id, role, team
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("presales1", "presales", "customer_service"),
    ("aftersales1", "aftersales", "customer_service"),
    ("orderdesk1", "order_desk", "order_desk"),
    ("warehouse1", "warehouse", "warehouse"),
    ("supervisor1", "supervisor", "customer_service"),
    ("manager1", "manager", "customer_service"),
    ("hradmin1", "hr_admin", "hr"),
    ("opsadmin1", "ops_admin", "operations"),
)


def demo_password(staff_id: str) -> str:
    return f"demo-{staff_id}"


async def seed_demo_accounts(db: AsyncDatabase, passwords: Passwords | None = None
                             ) -> list[str]:
    """Create the demo accounts that do not exist yet; returns the staff ids created."""
    store = AccountStore(db)
    passwords = passwords or Passwords.default()
    created = []
    for staff_id, role, team in DEMO_ACCOUNTS:
        if await store.get(staff_id) is not None:
            continue
        now = datetime.now(UTC)
        account = Account(
            staff_id=staff_id, display_name=f"Demo {role.replace('_', ' ')}", role=role,
            team=team, password_hash=await passwords.hash(demo_password(staff_id)),
            created_by="demo-seed", created_at=now, updated_at=now)
        try:
            await store.insert(account)
        except AccountExists:
            continue
        created.append(staff_id)
    log.info("demo_accounts.seeded", created=created)
    return created
