"""Background jobs of every replica.

- The SLA scheduler: every `sla_scan_interval_s` each replica sweeps due tickets (T2-T6); safe
  with several replicas, see application/sla_scan.py for the exactly-once claim. It counts the
  warnings and breaches it raised and when a sweep last worked
  (`sla_scan_last_success_timestamp_seconds`: the scheduler-silence alert watches it).
- The daily review reminder (T13): every `review_reminder_check_s` each replica looks whether
  today's reminder is due (`review_reminder_at`, shop-local) and not yet sent; the day's claim
  document makes it run once per day across replicas (application/review.py `remind_daily`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date

import structlog

from ops_shared.observability import SlaMetrics, sla_metrics
from ops_shared.service import Runtime, stop_task
from tickets.application.deps import Deps
from tickets.application.review import remind_daily
from tickets.application.sla_scan import scan_due
from tickets.domain import events as ev

log = structlog.get_logger(__name__)
KEY = "sla_scheduler"
REMINDER_KEY = "review_reminder"


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


@dataclass
class DailyReminder:
    """T13: send the daily review reminder once a day, at or after the configured time."""

    deps: Deps
    interval_s: float
    checks: int = 0
    done_on: date | None = None
    task: asyncio.Task | None = field(default=None, repr=False)

    async def run(self) -> None:
        while True:
            try:
                await self.check()
            except Exception as exc:  # database away: try again next round
                log.warning("review.daily_reminder_failed", error=str(exc)[:300])
            self.checks += 1
            await asyncio.sleep(self.interval_s)

    async def check(self) -> None:
        at = self.deps.settings.review_reminder_at
        local = self.deps.clock.now().astimezone(self.deps.calendar.tz)
        if at is None or self.done_on == local.date() or local.time() < at:
            return
        await remind_daily(self.deps)  # sent here, or by another replica: done for the day
        self.done_on = local.date()


async def start(runtime: Runtime) -> None:
    settings = runtime.deps.settings
    scheduler = SlaScheduler(runtime.deps, settings.sla_scan_interval_s, settings.sla_scan_batch,
                             sla_metrics(runtime.metrics))
    scheduler.task = asyncio.create_task(scheduler.run(), name="sla-scheduler")
    runtime.jobs[KEY] = scheduler
    reminder = DailyReminder(runtime.deps, settings.review_reminder_check_s)
    reminder.task = asyncio.create_task(reminder.run(), name="review-reminder")
    runtime.jobs[REMINDER_KEY] = reminder


async def stop(runtime: Runtime) -> None:
    for key in (KEY, REMINDER_KEY):
        job: SlaScheduler | DailyReminder | None = runtime.jobs.pop(key, None)
        if job is not None and job.task is not None:
            await stop_task(job.task)
