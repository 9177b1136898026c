"""What hr tells the tickets service: who exists and who is on duty (H1, H2, H5, H11), which
feeds assignment (T1). Each handler runs in the consumer's transaction, after the inbox row."""

from __future__ import annotations

import structlog

from ops_shared.contracts import Envelope, hr
from ops_shared.contracts.hr import RosterPublished, ShiftChanged, StaffChanged
from tickets.application.deps import Deps
from tickets.domain.duty import DutyAssignment, StaffRecord, duty_id
from tickets.domain.ports import TicketsUnitOfWork

log = structlog.get_logger(__name__)


def duty(entry: hr.DutyAssignment, source: str, team: str | None = None) -> DutyAssignment:
    return DutyAssignment(day=entry.day, staff_id=entry.staff_id, role=entry.role,
                          shift=entry.shift, periods=tuple((p.start, p.end) for p in entry.periods),
                          holiday_duty=entry.holiday_duty, source=source, team=team)


async def staff_changed(deps: Deps, uow: TicketsUnitOfWork, event: StaffChanged,
                        envelope: Envelope) -> None:
    """H1: remember the staff member's role and whether they still work here."""
    stored = await uow.staff.put_staff(StaffRecord(
        id=event.staff_id, display_name=event.display_name, role=event.role, team=event.team,
        supervisor_id=event.supervisor_id, active=event.active, updated_at=envelope.occurred_at))
    log.info("staff.changed" if stored else "staff.changed_outdated", staff_id=event.staff_id,
             role=event.role, active=event.active)


async def roster_published(deps: Deps, uow: TicketsUnitOfWork, event: RosterPublished,
                           envelope: Envelope) -> None:
    """H2: the month's roster replaces the earlier one of the same team."""
    duties = [duty(a, event.roster_id, event.team) for a in event.assignments
              if f"{a.day:%Y-%m}" == event.month]
    stored = await uow.staff.replace_roster(event.month, event.team, duties,
                                            envelope.occurred_at)
    log.info("roster.published" if stored else "roster.outdated", roster_id=event.roster_id,
             month=event.month, assignments=len(duties))


async def shift_changed(deps: Deps, uow: TicketsUnitOfWork, event: ShiftChanged,
                        envelope: Envelope) -> None:
    """H5/H11: an approved swap or leave moves duty from one person to another."""
    removed = [duty_id(a.day, a.staff_id, a.shift) for a in event.removed]
    teams = await uow.staff.teams_of(removed)  # the replacement belongs to the same roster
    await uow.staff.remove_duty(removed)
    await uow.staff.put_duty([duty(a, event.change_id, teams.get((a.day.isoformat(), a.shift)))
                              for a in event.added])
    log.info("shift.changed", change_id=event.change_id, reason=event.reason)
