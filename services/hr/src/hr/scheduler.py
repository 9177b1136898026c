"""The hr scheduler: every `job_interval_s` each replica offers to run the nightly jobs; a
lease lets exactly one run each (application/jobs.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import structlog

from hr.application.deps import Deps
from hr.application.jobs import nightly
from ops_shared.service import Runtime, stop_task

log = structlog.get_logger(__name__)
KEY = "hr_scheduler"


@dataclass
class HrScheduler:
    deps: Deps
    interval_s: float
    task: asyncio.Task | None = field(default=None, repr=False)

    async def run(self) -> None:
        while True:
            try:
                await nightly(self.deps)
            except Exception as exc:  # database away: try again next round
                log.warning("hr.jobs_failed", error=str(exc)[:300])
            await asyncio.sleep(self.interval_s)


async def start(runtime: Runtime) -> None:
    scheduler = HrScheduler(runtime.deps, runtime.settings.job_interval_s)  # type: ignore[attr-defined]
    scheduler.task = asyncio.create_task(scheduler.run(), name="hr-scheduler")
    runtime.jobs[KEY] = scheduler


async def stop(runtime: Runtime) -> None:
    scheduler: HrScheduler | None = runtime.jobs.pop(KEY, None)
    if scheduler is not None and scheduler.task is not None:
        await stop_task(scheduler.task)
