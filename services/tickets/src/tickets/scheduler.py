"""The SLA scheduler: every `sla_scan_interval_s` each replica sweeps due tickets (T2-T6).

Safe with several replicas: see application/sla_scan.py for the exactly-once claim.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import structlog

from ops_shared.service import Runtime
from tickets.application.deps import Deps
from tickets.application.sla_scan import scan_due

log = structlog.get_logger(__name__)
KEY = "sla_scheduler"


@dataclass
class SlaScheduler:
    deps: Deps
    interval_s: float
    batch: int
    scans: int = 0
    task: asyncio.Task | None = field(default=None, repr=False)

    async def run(self) -> None:
        while True:
            try:
                await scan_due(self.deps, self.deps.clock.now(), self.batch)
            except Exception as exc:  # database away: try again next round
                log.warning("sla.scan_failed", error=str(exc)[:300])
            self.scans += 1
            await asyncio.sleep(self.interval_s)


async def start(runtime: Runtime) -> None:
    settings = runtime.deps.settings
    scheduler = SlaScheduler(runtime.deps, settings.sla_scan_interval_s, settings.sla_scan_batch)
    scheduler.task = asyncio.create_task(scheduler.run(), name="sla-scheduler")
    runtime.jobs[KEY] = scheduler


async def stop(runtime: Runtime) -> None:
    scheduler: SlaScheduler | None = runtime.jobs.pop(KEY, None)
    if scheduler is not None and scheduler.task is not None:
        scheduler.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await scheduler.task
