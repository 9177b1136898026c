"""H3, H4, H10, H11, H13: what a closed working day leaves unexplained becomes ledger entries.

Run once the day is over, per person and shift; each entry's source names the day, the shift
and the cause, so running it again adds nothing (the ledger's sources are unique).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from hr.domain.attendance import Attendance
from hr.domain.ledger import EntryKind, Flag, LedgerEntry
from hr.domain.policy import HrPolicy
from hr.domain.presence import Finding
from hr.domain.roster import month_of
from hr.domain.staff import Staff

AUTHOR = "hr.day-close"


@dataclass(frozen=True)
class Cause:
    rule: str
    key: str
    kind: EntryKind
    amount: int
    note: str
    flag: Flag | None = None


def attendance_causes(att: Attendance, person: Staff, policy: HrPolicy) -> list[Cause]:
    """H3/H11 absence costs a day's average wage; H10 leaving early costs a fine; lateness
    and both lose the full-attendance bonus (H20)."""
    causes: list[Cause] = []
    if att.status == "absent":
        causes.append(Cause("H11", "absence", "money",
                            -person.day_wage_fen(policy.average_wage_days_x100),
                            "absent without granted leave: one day's average wage"))
    if att.early_leave_minutes:
        causes.append(Cause("H10", "left-post", "money", -policy.leaving_post_fine_fen,
                            f"left the post {att.early_leave_minutes} min early without "
                            "an approved swap"))
    if att.status in ("absent", "late", "late_early", "early_leave"):
        causes.append(Cause("H20", "bonus", "flag", 0, f"{att.status}: full-attendance bonus "
                            "lost", "full_attendance_lost"))
    return causes


def missed_punch_causes(att: Attendance, policy: HrPolicy) -> list[Cause]:
    """H4: each punch still missing after the explanation window: a fine and the bonus."""
    if att.status != "missing_punch":
        return []
    causes = [Cause("H4", f"missed-{side}", "money", -policy.missed_punch_fine_fen,
                    f"clock-{side} missing and not explained in time") for side in att.missing]
    causes.append(Cause("H20", "missed-bonus", "flag", 0,
                        "missed punch not explained: full-attendance bonus lost",
                        "full_attendance_lost"))
    return causes


def presence_causes(found: list[Finding], policy: HrPolicy) -> list[Cause]:
    """H13: offline or invisible during a shift is a fine; online on a break costs points."""
    causes = []
    for finding in found:
        stamp = f"{finding.kind}-{finding.at.isoformat()}"
        if finding.kind == "offline":
            causes.append(Cause("H13", stamp, "money", -policy.presence_offline_fine_fen,
                                "offline or invisible during the shift without approval"))
        else:
            causes.append(Cause("H13", stamp, "points", policy.presence_away_points,
                                "online during a break instead of away"))
    return causes


def entries(att: Attendance, causes: list[Cause], at: datetime) -> list[LedgerEntry]:
    """Ledger entries for the causes, sourced by day, shift and cause."""
    return [LedgerEntry(entry_id=uuid.uuid4().hex, staff_id=att.staff_id,
                        month=month_of(att.day), kind=c.kind, amount=c.amount, rule=c.rule,
                        source=f"day:{att.day}:{att.shift}:{c.key}", author=AUTHOR, at=at,
                        note=c.note, flag=c.flag)
            for c in causes]
