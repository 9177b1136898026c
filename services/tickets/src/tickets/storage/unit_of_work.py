"""The tickets unit of work on MongoDB: one session, with every repository joining it."""

from __future__ import annotations

from ops_shared.contracts import Envelope, Event
from ops_shared.persistence import MongoUnitOfWork


class MongoTicketsUnitOfWork:
    """Implements `TicketsUnitOfWork`: the repositories of one transaction, `publish`, inbox."""

    def __init__(self, base: MongoUnitOfWork) -> None:
        self.base = base
        self.db = base.db
        self.session = base.session
        # -- ticket core --------------------------------------------------------------------
        # -- customers, tiers, categories, policies, staff and duty -------------------------
        # -- surveys, daily review, knowledge base ------------------------------------------

    def publish(self, event: Event, **headers: str) -> Envelope:
        return self.base.publish(event, **headers)

    async def record_inbox(self, envelope: Envelope) -> None:
        await self.base.record_inbox(envelope)
