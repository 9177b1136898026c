"""Who exists and who is on duty, from hr's events (H1, H2, H5, H11): feeds assignment (T1)."""

from __future__ import annotations

from collections.abc import Mapping

import structlog

from ops_shared.contracts import Envelope
from ops_shared.contracts.hr import DutyAssignment, RosterPublished, ShiftChanged, StaffChanged
from ops_shared.messaging import Handler
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime
from tickets.storage.staff import StaffStore, duty_id

log = structlog.get_logger(__name__)


def duty_doc(entry: DutyAssignment, source: str, team: str | None = None) -> dict:
    return {
        "_id": duty_id(entry.day.isoformat(), entry.staff_id, entry.shift),
        "day": entry.day.isoformat(), "month": f"{entry.day:%Y-%m}", "team": team,
        "staff_id": entry.staff_id, "role": entry.role, "shift": entry.shift,
        "periods": [{"start": p.start.isoformat(), "end": p.end.isoformat()}
                    for p in entry.periods],
        "holiday_duty": entry.holiday_duty, "source": source,
    }


async def staff_changed(event: StaffChanged, envelope: Envelope, uow: MongoUnitOfWork) -> None:
    """H1: remember the staff member's role and whether they still work here."""
    stored = await StaffStore(uow).put_staff({
        "_id": event.staff_id, "display_name": event.display_name, "role": event.role,
        "team": event.team, "supervisor_id": event.supervisor_id, "active": event.active,
        "updated_at": envelope.occurred_at})
    log.info("staff.changed" if stored else "staff.changed_outdated", staff_id=event.staff_id,
             role=event.role, active=event.active)


async def roster_published(event: RosterPublished, envelope: Envelope,
                           uow: MongoUnitOfWork) -> None:
    """H2: the month's roster replaces the earlier one of the same team."""
    docs = [duty_doc(a, event.roster_id, event.team) for a in event.assignments
            if f"{a.day:%Y-%m}" == event.month]
    stored = await StaffStore(uow).replace_roster(event.month, event.team, docs,
                                                  envelope.occurred_at)
    log.info("roster.published" if stored else "roster.outdated", roster_id=event.roster_id,
             month=event.month, assignments=len(docs))


async def shift_changed(event: ShiftChanged, envelope: Envelope, uow: MongoUnitOfWork) -> None:
    """H5/H11: an approved swap or leave moves duty from one person to another."""
    store = StaffStore(uow)
    removed = [duty_id(a.day.isoformat(), a.staff_id, a.shift) for a in event.removed]
    teams = await store.teams_of(removed)  # the replacement belongs to the same roster
    await store.remove_duty(removed)
    await store.put_duty([duty_doc(a, event.change_id, teams.get((a.day.isoformat(), a.shift)))
                          for a in event.added])
    log.info("shift.changed", change_id=event.change_id, reason=event.reason)


def handlers(runtime: Runtime) -> Mapping[str, Handler]:
    return {
        StaffChanged.event_type: staff_changed,  # type: ignore[dict-item]
        RosterPublished.event_type: roster_published,  # type: ignore[dict-item]
        ShiftChanged.event_type: shift_changed,  # type: ignore[dict-item]
    }
