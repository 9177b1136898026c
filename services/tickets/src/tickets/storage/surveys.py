"""T5/T14: survey rounds, their responses and the opinion dispatches, in MongoDB."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from tickets.domain.errors import Conflict
from tickets.domain.model import Period
from tickets.domain.surveys import (
    DispatchRecord,
    OpinionDispatch,
    RoundRecord,
    SurveyResponse,
    SurveyRound,
)

ROUNDS = "survey_rounds"
RESPONSES = "survey_responses"
DISPATCHES = "survey_dispatches"


class MongoSurveyRepository:
    """Implements `SurveyRepository`; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.db, self.session = db, session

    async def add_round(self, record: RoundRecord) -> None:
        r = record.round
        await self.db[ROUNDS].insert_one({
            "_id": r.id, "title": r.title, "period_start": r.period.start,
            "period_end": r.period.end, "status": record.status, "created_at": record.created_at,
            "created_by": record.created_by}, session=self.session)

    async def get_round(self, round_id: str) -> RoundRecord | None:
        doc = await self.db[ROUNDS].find_one({"_id": round_id}, session=self.session)
        return _round(doc) if doc else None

    async def rounds(self, limit: int) -> list[RoundRecord]:
        cursor = self.db[ROUNDS].find({}, sort=[("period_start", -1)], limit=limit,
                                      session=self.session)
        return [_round(doc) async for doc in cursor]

    async def mark_summarised(self, round_id: str, at: datetime, by: str) -> bool:
        result = await self.db[ROUNDS].update_one(
            {"_id": round_id, "status": "open"},
            {"$set": {"status": "summarised", "summarised_at": at, "summarised_by": by}},
            session=self.session)
        return bool(result.modified_count)

    async def count_response(self, round_id: str) -> bool:
        """Count a response on the round while it is open. Writing the round document makes a
        response and a concurrent summary conflict, so no answer slips past the summary."""
        result = await self.db[ROUNDS].update_one(
            {"_id": round_id, "status": "open"}, {"$inc": {"responses": 1}},
            session=self.session)
        return bool(result.modified_count)

    async def add_response(self, response_id: str, response: SurveyResponse, by: str) -> None:
        try:
            await self.db[RESPONSES].insert_one(
                {"_id": response_id, **_response_doc(response), "recorded_by": by},
                session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"customer {response.customer_id} already answered round "
                           f"{response.round_id} about ticket "
                           f"{response.ticket_number or '(none)'}") from None

    async def responses(self, round_id: str) -> list[SurveyResponse]:
        cursor = self.db[RESPONSES].find({"round_id": round_id}, sort=[("at", 1)],
                                         session=self.session)
        return [_response(doc) async for doc in cursor]

    async def responses_between(self, period: Period) -> list[SurveyResponse]:
        cursor = self.db[RESPONSES].find(
            {"at": {"$gte": period.start, "$lt": period.end}}, session=self.session)
        return [_response(doc) async for doc in cursor]

    async def add_dispatches(self, records: Sequence[DispatchRecord]) -> None:
        if records:
            await self.db[DISPATCHES].insert_many([_dispatch_doc(r) for r in records],
                                                  session=self.session)

    async def save_dispatch(self, record: DispatchRecord) -> None:
        await self.db[DISPATCHES].replace_one({"_id": record.id}, _dispatch_doc(record),
                                              session=self.session)

    async def get_dispatch(self, dispatch_id: str) -> DispatchRecord | None:
        doc = await self.db[DISPATCHES].find_one({"_id": dispatch_id}, session=self.session)
        return _dispatch(doc) if doc else None

    async def dispatches(self, *, round_id: str | None = None, department: str | None = None,
                         statuses: Sequence[str] | None = None,
                         limit: int = 500) -> list[DispatchRecord]:
        query: dict[str, Any] = {}
        if round_id is not None:
            query["round_id"] = round_id
        if department is not None:
            query["department"] = department
        if statuses is not None:
            query["status"] = {"$in": list(statuses)}
        cursor = self.db[DISPATCHES].find(query, sort=[("dispatch_due", 1), ("_id", 1)],
                                          limit=limit, session=self.session)
        return [_dispatch(doc) async for doc in cursor]


def _round(doc: dict[str, Any]) -> RoundRecord:
    period = Period(doc["period_start"], doc["period_end"])
    return RoundRecord(
        round=SurveyRound(id=doc["_id"], period=period, title=doc.get("title", "")),
        status=doc["status"], created_at=doc["created_at"], created_by=doc["created_by"],
        summarised_at=doc.get("summarised_at"), summarised_by=doc.get("summarised_by"))


def _response_doc(r: SurveyResponse) -> dict[str, Any]:
    return {"round_id": r.round_id, "customer_id": r.customer_id, "agent_id": r.agent_id,
            "score": r.score, "at": r.at, "opinion": r.opinion, "ticket_number": r.ticket_number}


def _response(doc: dict[str, Any]) -> SurveyResponse:
    return SurveyResponse(
        round_id=doc["round_id"], customer_id=doc["customer_id"], agent_id=doc.get("agent_id"),
        score=int(doc["score"]), at=doc["at"], opinion=doc.get("opinion", ""),
        ticket_number=doc.get("ticket_number"))


_DISPATCH_FIELDS = ("department", "summarised_at", "dispatch_due", "dispatched_at",
                    "measures_due", "measures", "measures_at", "fixed_at", "callback_due")


def _dispatch_doc(record: DispatchRecord) -> dict[str, Any]:
    d = record.dispatch
    return {
        "_id": record.id, "round_id": record.round_id, "status": record.status,
        "opinions": list(d.opinions), **{name: getattr(d, name) for name in _DISPATCH_FIELDS},
        "steps_by": record.steps_by, "fix_note": record.fix_note,
        "callback_scheduled_for": record.callback_scheduled_for,
        "callback_note": record.callback_note,
    }


def _dispatch(doc: dict[str, Any]) -> DispatchRecord:
    dispatch = OpinionDispatch(opinions=tuple(doc.get("opinions", ())),
                               **{name: doc.get(name) for name in _DISPATCH_FIELDS})
    return DispatchRecord(
        id=doc["_id"], round_id=doc["round_id"], dispatch=dispatch,
        steps_by=dict(doc.get("steps_by") or {}), fix_note=doc.get("fix_note"),
        callback_scheduled_for=doc.get("callback_scheduled_for"),
        callback_note=doc.get("callback_note"))
