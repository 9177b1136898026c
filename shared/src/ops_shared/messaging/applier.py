"""Applying consumed events to the database: once each, in as few commits as possible.

Events that arrive together are applied in one transaction (one commit for the batch, each with
its inbox row). If anything in a batch fails, each of its events is applied again on its own, so
one failing event never holds back or takes down the others. Handlers must not call out: a
transaction may run more than once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import structlog

from ops_shared.contracts import Envelope, Event
from ops_shared.messaging.subscriptions import Apply
from ops_shared.persistence import INBOX, AlreadyHandled, Database, MongoUnitOfWork, inbox_row

log = structlog.get_logger(__name__)



@dataclass
class _Pending:
    handler: Apply
    event: Event
    envelope: Envelope
    outcome: asyncio.Future[bool]


class EventApplier:
    """`apply` returns True when the event took effect now, False when it had already."""

    def __init__(self, database: Database, max_batch: int) -> None:
        self.database = database
        self.max_batch = max_batch
        self._waiting: list[_Pending] = []
        self._flusher: asyncio.Task | None = None

    async def apply(self, handler: Apply, event: Event, envelope: Envelope) -> bool:
        if self.max_batch <= 1:
            return await self._apply_one(handler, event, envelope)
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
            await self._run(batch)

    async def _run(self, batch: list[_Pending]) -> None:
        if len(batch) > 1:
            try:
                results = await self.database.transaction(lambda uow: self._apply_many(batch, uow))
            except Exception as exc:
                log.info("consumer.batch_split", size=len(batch), error=str(exc)[:200])
            else:
                for item, applied in zip(batch, results, strict=True):
                    _settle(item.outcome, result=applied)
                return
        for item in batch:
            try:
                _settle(item.outcome, result=await self._apply_one(
                    item.handler, item.event, item.envelope))
            except Exception as exc:
                _settle(item.outcome, error=exc)

    async def _apply_one(self, handler: Apply, event: Event, envelope: Envelope) -> bool:
        async def work(uow: MongoUnitOfWork) -> None:
            await uow.record_inbox(envelope)
            await handler(event, envelope, uow)
        try:
            await self.database.transaction(
                work, correlation_id=envelope.correlation_id or envelope.id,
                causation_id=envelope.id)
        except AlreadyHandled:
            return False
        return True

    @staticmethod
    async def _apply_many(batch: list[_Pending], uow: MongoUnitOfWork) -> list[bool]:
        ids = [item.envelope.id for item in batch]
        seen = {d["_id"] for d in await uow.db[INBOX].find(
            {"_id": {"$in": ids}}, {"_id": 1}, session=uow.session).to_list()}
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
                await item.handler(item.event, envelope, uow)
            rows.append(inbox_row(envelope))
            results.append(True)
        if rows:
            await uow.db[INBOX].insert_many(rows, session=uow.session)
        return results


def _settle(outcome: asyncio.Future[bool], *, result: bool = False,
            error: Exception | None = None) -> None:
    if outcome.done():  # the waiting delivery was cancelled (shutdown)
        return
    if error is not None:
        outcome.set_exception(error)
    else:
        outcome.set_result(result)
