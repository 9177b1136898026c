"""Admin routes for dead letters: list, inspect, replay, discard."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from ops_shared.messaging import (
    DeadLetterNotFound,
    DeadLetterStateError,
    DeadLetterStore,
    envelope_preview,
)
from ops_shared.web.auth import Principal, require_roles
from ops_shared.web.problems import Problem

router = APIRouter(prefix="/admin/dead-letters", tags=["dead letters"], responses={
    403: {"description": "Managers and ops admins only (problem details)"}})
Operator = Annotated[Principal, Depends(require_roles("manager", "ops_admin"))]


class DeadLetterSummary(BaseModel):
    id: str
    message_id: str | None
    type: str | None
    routing_key: str
    error: str
    error_type: str | None = None
    permanent: bool
    attempts: int
    failed_at: datetime
    status: Literal["dead", "replayed", "discarded"]


class DeadLetterDetail(DeadLetterSummary):
    trace: str | None = None
    body: Any


def _store(request: Request) -> DeadLetterStore:
    return request.app.state.runtime.dead_letters


def _summary(doc: dict) -> dict:
    return {**doc, "id": doc["_id"]}


@router.get("", summary="Dead-lettered messages, newest first")
async def list_dead_letters(
    request: Request, _: Operator,
    status: Literal["dead", "replayed", "discarded"] = "dead",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeadLetterSummary]:
    """Manager or ops_admin. Messages that could never be handled (invalid, unknown type or
    version) or failed after every retry, with their error, attempts and original routing key."""
    return [DeadLetterSummary(**_summary(d)) for d in await _store(request).list(status, limit)]


NOT_FOUND = {404: {"description": "No such dead letter (problem details)"}}
ACTED_ON = {**NOT_FOUND, 409: {"description": "Not allowed in its state (problem details)"}}


@router.get("/{dead_id}", summary="One dead letter with its error, attempts and body",
            responses=NOT_FOUND)
async def get_dead_letter(dead_id: str, request: Request, _: Operator) -> DeadLetterDetail:
    """The stored message: error, stack trace, attempts, and the body (as an envelope if it is
    one). Bodies may hold customer data: this route is for operators only."""
    try:
        doc = await _store(request).get(dead_id)
    except DeadLetterNotFound:
        raise Problem(404, "not-found", "No such dead letter", dead_id) from None
    return DeadLetterDetail(**{**_summary(doc), "body": envelope_preview(doc["body"])})


@router.post("/{dead_id}/replay", summary="Send the message back to this service's queue",
             responses=ACTED_ON)
async def replay_dead_letter(dead_id: str, request: Request, staff: Operator) -> DeadLetterSummary:
    """Writes the message to this service's outbox; the relay sends it back to
    `<service>.events`. Fix the cause first: a message that fails again comes back here. Only a
    `dead` letter can be replayed (409 otherwise); an event applied meanwhile is ignored."""
    return await _act(request, dead_id, staff, "replay")


@router.post("/{dead_id}/discard", summary="Mark the message as discarded (kept for audit)",
             responses=ACTED_ON)
async def discard_dead_letter(dead_id: str, request: Request, staff: Operator) -> DeadLetterSummary:
    """Marks the message discarded, with who and when; it stays stored for audit."""
    return await _act(request, dead_id, staff, "discard")


async def _act(request: Request, dead_id: str, staff: Principal, action: str) -> DeadLetterSummary:
    store = _store(request)
    try:
        await getattr(store, action)(dead_id, staff.staff_id)
        return DeadLetterSummary(**_summary(await store.get(dead_id)))
    except DeadLetterNotFound:
        raise Problem(404, "not-found", "No such dead letter", dead_id) from None
    except DeadLetterStateError as exc:
        raise Problem(409, "invalid-state", "Not allowed in this state", str(exc),
                      current_state=exc.status, allowed_states=["dead"]) from None
