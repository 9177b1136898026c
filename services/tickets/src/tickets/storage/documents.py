"""Ticket aggregate ↔ MongoDB document.

The timeline (T8) is stored inside the ticket document and only ever grows: a save `$push`es
the entries a use case appended and never rewrites earlier ones. `next_sla_check_at` is the
earliest moment the SLA scheduler has something to do for the ticket (denormalised, indexed).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from tickets.domain import model
from tickets.domain.callbacks import Callback, Confirmation
from tickets.domain.sla import SlaTarget
from tickets.domain.states import TERMINAL, TicketState
from tickets.domain.ticket import Ticket, TimelineEntry

_SKIPPED = {"timeline", "sla", "callbacks"}
_SCALARS = [f.name for f in fields(Ticket) if f.name not in _SKIPPED]


def next_sla_check(ticket: Ticket) -> datetime | None:
    """When the scheduler must next look at the ticket: a warning or a breach falls due."""
    if ticket.state in TERMINAL:
        return None
    moments: list[datetime] = []
    for target in ticket.sla:
        if not target.is_open or target.breached_at is not None:
            continue  # met, or breached already: nothing more to raise
        if target.warned_at is None and target.warn_at < target.due_at:
            moments.append(target.warn_at)
        moments.append(target.due_at)
    return min(moments, default=None)


def entry_doc(entry: TimelineEntry) -> dict[str, Any]:
    return {"at": entry.at, "actor_id": entry.actor_id, "action": entry.action,
            "details": dict(entry.details)}


def ticket_doc(ticket: Ticket) -> dict[str, Any]:
    """Every field except the timeline, which is appended separately."""
    doc: dict[str, Any] = {name: _plain(getattr(ticket, name)) for name in _SCALARS}
    doc["sla"] = [asdict(target) for target in ticket.sla]
    doc["callbacks"] = [_callback_doc(cb) for cb in ticket.callbacks]
    doc["next_sla_check_at"] = next_sla_check(ticket)
    return doc


def ticket_from_doc(doc: dict[str, Any]) -> Ticket:
    """Rebuild the aggregate; its timeline starts empty (entries are read with the timeline)."""
    values = {name: doc.get(name) for name in _SCALARS if name in doc}
    for name in ("links", "articles", "verified_staff_ids"):
        values[name] = list(doc.get(name) or [])
    ticket = Ticket(**values)  # type: ignore[arg-type]
    _restore_enums(ticket)
    ticket.sla = [SlaTarget(**target) for target in doc.get("sla", [])]
    ticket.callbacks = [_callback_from(cb) for cb in doc.get("callbacks", [])]
    return ticket


def _restore_enums(ticket: Ticket) -> None:
    """Turn stored strings back into the domain's enums."""
    ticket.channel = model.Channel(ticket.channel)
    ticket.kind = model.Kind(ticket.kind)
    ticket.importance = model.Importance(ticket.importance)
    ticket.urgency = model.Urgency(ticket.urgency)
    ticket.priority = model.Priority(ticket.priority)
    ticket.role = model.Role(ticket.role)
    ticket.state = TicketState(ticket.state)
    ticket.origin = model.Origin(ticket.origin)
    ticket.grade = model.ComplaintGrade(ticket.grade) if ticket.grade else None
    ticket.subject = model.ComplaintSubject(ticket.subject) if ticket.subject else None


def _callback_doc(callback: Callback) -> dict[str, Any]:
    return asdict(callback)


def _callback_from(doc: dict[str, Any]) -> Callback:
    confirmation = doc.get("confirmation")
    return Callback(
        question=doc["question"], satisfaction=doc["satisfaction"], at=doc["at"], by=doc["by"],
        confirmation=Confirmation(**confirmation) if confirmation else None,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    return value
