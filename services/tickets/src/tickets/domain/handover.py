"""T7: escalating (supervisor, then manager) or transferring a ticket hands it over.

Every handover names a new owner, a reason and a later deadline, and tells the customer the
process and the expected time. The new owner is someone the staff directory knows, still
working here, in a role that may take the ticket (T15: whoever holds a ticket sees its
customer's personal data, so no agent may make itself the holder of another's ticket).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from tickets.domain.errors import NotAllowed, ValidationFailed
from tickets.domain.model import (
    SUPERVISORS,
    TICKET_ROLES,
    Role,
    StaffMember,
    require_aware,
    require_text,
)

EscalationLevel = Literal["supervisor", "manager"]
_NEXT_LEVEL: dict[str | None, EscalationLevel] = {None: "supervisor", "supervisor": "manager"}
ESCALATION_ROLES: dict[EscalationLevel, frozenset[Role]] = {
    "supervisor": SUPERVISORS, "manager": frozenset({Role.MANAGER})}
"""T7: who may own an escalation at each level."""


def next_level(current: EscalationLevel | None, wanted: EscalationLevel) -> EscalationLevel:
    """T7: `wanted`, if it is the next level: the supervisor first, then the manager, no further."""
    expected = _NEXT_LEVEL.get(current)
    if wanted != expected:
        raise NotAllowed(f"escalation goes supervisor → manager; next level: {expected or 'none'}")
    return wanted


def directory_owner(member: StaffMember | None, staff_id: str, field: str) -> StaffMember:
    """The new owner as the staff directory knows them; ValidationFailed naming `field` if the
    directory does not know them or they no longer work here."""
    if member is None:
        raise ValidationFailed(f"{staff_id} is not in the staff directory", field=field)
    if not member.active:
        raise ValidationFailed(f"{staff_id} no longer works here", field=field)
    return member


def escalation_owner(level: EscalationLevel, member: StaffMember | None, staff_id: str,
                     caller_id: str) -> str:
    """T7/T15: an escalation goes to a supervisor or manager (the manager at the second level)
    the directory knows, never to the caller: NotAllowed if the caller names itself."""
    if staff_id == caller_id:
        raise NotAllowed("an escalation goes to a supervisor or manager, never to the caller")
    owner = directory_owner(member, staff_id, "to_staff_id")
    if owner.role not in ESCALATION_ROLES[level]:
        roles = " or ".join(sorted(ESCALATION_ROLES[level]))
        raise ValidationFailed(f"a {level} escalation goes to a {roles}, not a {owner.role}",
                               field="to_staff_id")
    return owner.staff_id


def transfer_owner(member: StaffMember | None, staff_id: str, caller_id: str, caller_role: str,
                   holder_id: str | None) -> str:
    """T7/T15: a transfer goes to someone the directory knows; an agent who does not hold the
    ticket may not name itself (taking a ticket someone else holds is a supervisor's decision)."""
    taking = staff_id == caller_id and holder_id not in (None, caller_id)
    if taking and caller_role not in SUPERVISORS:
        raise NotAllowed("taking a ticket that someone else holds is a supervisor's decision")
    return directory_owner(member, staff_id, "owner_id").staff_id


def reassignment_owner(member: StaffMember | None, staff_id: str) -> str:
    """A ticket is reassigned to someone the directory knows whose role works tickets."""
    owner = directory_owner(member, staff_id, "to_staff_id")
    if owner.role not in TICKET_ROLES:
        raise ValidationFailed(f"a {owner.role} does not work tickets", field="to_staff_id")
    return owner.staff_id


@dataclass(frozen=True, kw_only=True)
class Handover:
    """T7: who owns the ticket next, why, by when, and what the customer was told."""

    to_staff_id: str
    reason: str
    deadline: datetime
    customer_notice: str

    @classmethod
    def checked(
        cls, at: datetime, to_staff_id: str, reason: str, deadline: datetime, customer_notice: str
    ) -> Handover:
        """A handover at `at`, or ValidationFailed: each part is required, the deadline later."""
        if require_aware(deadline, "deadline") <= require_aware(at, "at"):
            raise ValidationFailed("the deadline must be after the handover", field="deadline")
        return cls(
            to_staff_id=require_text(to_staff_id, "new owner"),
            reason=require_text(reason, "reason"),
            deadline=deadline,
            customer_notice=require_text(customer_notice, "customer_notice"),
        )


def customer_notice(process: str, deadline: datetime, tz: tzinfo) -> str:
    """T7: text telling the customer the process and the expected time, in the shop's zone."""
    return f"您的问题已{process}，预计于 {deadline.astimezone(tz):%Y-%m-%d %H:%M} 前给您答复。"
