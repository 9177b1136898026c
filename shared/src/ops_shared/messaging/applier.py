"""Applying consumed events to the database: once each, in as few commits as possible.

Events that arrive together are applied in one transaction (one commit for the batch, each with
its inbox row). If anything in a batch fails (a handler raises or overruns its time budget, or a
document stays locked), each of its events is applied again on its own, concurrently and apart
from the batches that follow: one failing, slow or blocked event never holds back or takes down
the others. Handlers must not call out: a transaction may run more than once.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import structlog
from opentelemetry import context as otel_context
from opentelemetry.trace import SpanKind

from ops_shared.contracts import Envelope, Event
from ops_shared.messaging.subscriptions import Apply, prepare_of
from ops_shared.observability import Metrics, tracer
from ops_shared.persistence import INBOX, AlreadyHandled, Database, MongoUnitOfWork, inbox_row

log = structlog.get_logger(__name__)
BATCH_BUDGET_S = 1.0
"""How long a batch retries write conflicts before its events are applied one by one (a
blocked document then holds back only the event that touches it)."""


class HandlerTimedOut(Exception):
    """A handler took longer than its time budget; its transaction was abandoned."""


@dataclass
class _Pending:
    handler: Apply
    event: Event
    envelope: Envelope
    outcome: asyncio.Future[bool]
    trace: otel_context.Context = field(default_factory=otel_context.get_current)
    """The delivery's trace: its handler runs there even when applied in another's batch."""


class EventApplier:
    """`apply` returns True when the event took effect now, False when it had already."""

    def __init__(self, database: Database, max_batch: int,
                 handler_timeout_s: float = 30.0, metrics: Metrics | None = None) -> None:
        self.database = database
        self.max_batch = max_batch
        self.handler_timeout_s = handler_timeout_s
        self.metrics = metrics or Metrics()
        self._waiting: list[_Pending] = []
        self._flusher: asyncio.Task | None = None
        self._alone: set[asyncio.Task] = set()

    async def apply(self, handler: Apply, event: Event, envelope: Envelope) -> bool:
        if self.max_batch <= 1:
            return await self._apply_one(handler, event, envelope, otel_context.get_current())
        outcome: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Pending(handler, event, envelope, outcome))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="event-applier")
        return await outcome

    async def _flush(self) -> None:
        # Yield once so that deliveries of the same loop turn join the first batch; later ones
        # gather while the previous batch commits.
        await asyncio.sleep(0)
        while self._waiting:
            batch = self._waiting[: self.max_batch]
            del self._waiting[: self.max_batch]
            try:
                await self._run(batch)
            except asyncio.CancelledError:
                for item in batch:
                    item.outcome.cancel()
                raise

    async def _run(self, batch: list[_Pending]) -> None:
        if len(batch) > 1:
            try:
                results = await self.database.transaction(
                    lambda uow: self._apply_many(batch, uow), budget_s=BATCH_BUDGET_S)
            except Exception as exc:
                log.info("consumer.batch_split", size=len(batch), error=str(exc)[:200])
            else:
                for item, applied in zip(batch, results, strict=True):
                    _settle(item.outcome, result=applied)
                return
        # On their own, each with its whole budget, without holding up the next batches.
        for item in batch:
            task = asyncio.create_task(self._settle_alone(item), name="event-applier-alone")
            self._alone.add(task)
            task.add_done_callback(self._alone.discard)

    async def _settle_alone(self, item: _Pending) -> None:
        try:
            _settle(item.outcome, result=await self._apply_one(
                item.handler, item.event, item.envelope, item.trace))
        except Exception as exc:
            _settle(item.outcome, error=exc)
        except asyncio.CancelledError:  # stopping: the delivery stays unacked (redelivered)
            item.outcome.cancel()
            raise

    async def stop(self) -> None:
        """Abandon events still being applied (at shutdown): their transactions roll back and
        the broker redelivers them."""
        tasks = [*self._alone, *([self._flusher] if self._flusher else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for item in self._waiting:
            item.outcome.cancel()
        self._waiting.clear()

    async def _apply_one(self, handler: Apply, event: Event, envelope: Envelope,
                         trace: otel_context.Context) -> bool:
        async def work(uow: MongoUnitOfWork) -> None:
            await uow.record_inbox(envelope)
            await self._call(handler, event, envelope, uow, trace)
        try:
            await self.database.transaction(
                work, correlation_id=envelope.correlation_id or envelope.id,
                causation_id=envelope.id)
        except AlreadyHandled:
            return False
        return True

    async def _apply_many(self, batch: list[_Pending], uow: MongoUnitOfWork) -> list[bool]:
        ids = [item.envelope.id for item in batch]
        seen = {d["_id"] for d in await uow.db[INBOX].find(
            {"_id": {"$in": ids}}, {"_id": 1}, session=uow.session).to_list()}
        await _prepare([item for item in batch if item.envelope.id not in seen], uow)
        results, rows = [], []
        for item in batch:
            envelope = item.envelope
            if envelope.id in seen:  # applied before, or twice in this batch
                results.append(False)
                continue
            seen.add(envelope.id)
            uow.correlation_id = envelope.correlation_id or envelope.id
            uow.causation_id = envelope.id
            with structlog.contextvars.bound_contextvars(event_id=envelope.id,
                                                         event_type=envelope.type):
                await self._call(item.handler, item.event, envelope, uow, item.trace)
            rows.append(inbox_row(envelope))
            results.append(True)
        if rows:
            await uow.db[INBOX].insert_many(rows, session=uow.session)
        return results

    async def _call(self, handler: Apply, event: Event, envelope: Envelope,
                    uow: MongoUnitOfWork, trace: otel_context.Context) -> None:
        """Run one handler within its time budget: a stalled handler fails instead of stalling
        the consumer until the broker's delivery limit. It runs in a span of its event's
        trace, so that what it publishes continues that trace."""
        budget = asyncio.timeout(self.handler_timeout_s)
        started = time.perf_counter()
        try:
            with tracer().start_as_current_span(
                    f"{envelope.type} handle", context=trace, kind=SpanKind.INTERNAL,
                    attributes={"messaging.message.id": envelope.id}):
                async with budget:
                    await handler(event, envelope, uow)
        except TimeoutError:
            if not budget.expired():  # the handler's own error, not its budget
                raise
            raise HandlerTimedOut(
                f"handler for {envelope.type} took longer than {self.handler_timeout_s:g} s "
                f"(HANDLER_TIMEOUT_S)") from None
        finally:
            self.metrics.handler_duration.labels(envelope.type).observe(
                time.perf_counter() - started)


async def _prepare(batch: list[_Pending], uow: MongoUnitOfWork) -> None:
    """Let each handler that can read ahead for its events of the batch do so, once."""
    by_handler: dict[Apply, list[Event]] = {}
    for item in batch:
        if prepare_of(item.handler) is not None:
            by_handler.setdefault(item.handler, []).append(item.event)
    for handler, events in by_handler.items():
        prepare = prepare_of(handler)
        assert prepare is not None
        await prepare(events, uow)


def _settle(outcome: asyncio.Future[bool], *, result: bool = False,
            error: Exception | None = None) -> None:
    if outcome.done():  # the waiting delivery was cancelled (shutdown)
        return
    if error is not None:
        outcome.set_exception(error)
    else:
        outcome.set_result(result)
