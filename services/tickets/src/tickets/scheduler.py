"""The SLA scheduler: every `sla_scan_interval_s` each replica sweeps due tickets (T2-T6).

Safe with several replicas: see application/sla_scan.py for the exactly-once claim. It counts
the warnings and breaches it raised and when a sweep last worked (`sla_scan_last_success_
timestamp_seconds`: the scheduler-silence alert watches it).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import structlog

from ops_shared.observability import SlaMetrics, sla_metrics
from ops_shared.service import Runtime
from tickets.application.deps import Deps
from tickets.application.sla_scan import scan_due
from tickets.domain import events as ev

log = structlog.get_logger(__name__)
KEY = "sla_scheduler"


@dataclass
class SlaScheduler:
    deps: Deps
    interval_s: float
    batch: int
    metrics: SlaMetrics | None = None
    scans: int = 0
    task: asyncio.Task | None = field(default=None, repr=False)

    async def run(self) -> None:
        while True:
            try:
                raised = await scan_due(self.deps, self.deps.clock.now(), self.batch)
            except Exception as exc:  # database away: try again next round
                log.warning("sla.scan_failed", error=str(exc)[:300])
            else:
                self._count(raised)
            self.scans += 1
            await asyncio.sleep(self.interval_s)

    def _count(self, raised: list[ev.Event]) -> None:
        if self.metrics is None:
            return
        for event in raised:
            if isinstance(event, ev.SlaWarned):
                self.metrics.warnings.labels(event.metric).inc()
            elif isinstance(event, ev.SlaBreached):
                self.metrics.breaches.labels(event.metric).inc()
        self.metrics.last_success.set_to_current_time()


async def start(runtime: Runtime) -> None:
    settings = runtime.deps.settings
    scheduler = SlaScheduler(runtime.deps, settings.sla_scan_interval_s, settings.sla_scan_batch,
                             sla_metrics(runtime.metrics))
    scheduler.task = asyncio.create_task(scheduler.run(), name="sla-scheduler")
    runtime.jobs[KEY] = scheduler


async def stop(runtime: Runtime) -> None:
    scheduler: SlaScheduler | None = runtime.jobs.pop(KEY, None)
    if scheduler is not None and scheduler.task is not None:
        scheduler.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await scheduler.task
