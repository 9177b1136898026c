"""The nightly jobs, each run by one replica under a lease: close yesterday (H3, H4, H10,
H13), and draft the settlement the day before pay day (H21)."""

from __future__ import annotations

from datetime import timedelta

import structlog

from hr.application.attendance import close_day
from hr.application.deps import Deps
from hr.application.settlement import draft_day, start
from hr.domain.roster import month_of
from hr.domain.staff import Actor

log = structlog.get_logger(__name__)
SCHEDULER = Actor("hr.scheduler", "manager")
LEASE_S = 600.0


async def run_once(deps: Deps, key: str, job) -> bool:
    """Run `job` unless another replica holds or finished `key`; True if it ran."""
    now = deps.clock.now()
    if await deps.reads.jobs.finished(key):
        return False
    if not await deps.reads.jobs.claim(key, deps.replica, now, LEASE_S):
        return False
    await job()
    await deps.reads.jobs.finish(key, deps.replica, deps.clock.now())
    return True


async def nightly(deps: Deps) -> None:
    """Close yesterday; on the day before pay day, draft last month's settlement."""
    today = deps.clock.now().astimezone(deps.tz).date()
    yesterday = today - timedelta(days=1)
    await run_once(deps, f"close:{yesterday}", lambda: close_day(deps, yesterday))
    last_month = month_of(today.replace(day=1) - timedelta(days=1))
    policy = await deps.reads.policies.get()
    if today >= draft_day(last_month, policy.pay_day):
        await run_once(deps, f"settle:{last_month}",
                       lambda: start(deps, SCHEDULER, last_month))

