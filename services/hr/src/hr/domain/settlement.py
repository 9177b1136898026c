"""H14-H16, H20-H22: the monthly settlement.

The day before pay day a draft is made per person: the score and every entry behind it, the
point fine by bands, cash fines and awards, the full-attendance and performance bonuses, the
award, the dismissal flag, and the supervisor's team rule (H16). The supervisor reviews it, the
manager approves it; then the month is closed: its fines go to the activity fund (H22) and later
entries for it become dated corrections in the next month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from hr.domain.bands import award_fen, dismissal_flag, point_fine_fen, team_rule_fen
from hr.domain.errors import NotAllowed, RuleRefused, TransitionRefused
from hr.domain.fund import FundEntry
from hr.domain.ledger import LedgerEntry, score
from hr.domain.policy import HrPolicy
from hr.domain.staff import Staff

State = Literal["draft", "reviewed", "approved"]
PAYROLL_HEADERS = ("工号", "姓名", "岗位", "月份", "积分", "积分罚款(元)", "现金罚款(元)",
                   "全勤奖(元)", "绩效奖(元)", "积分奖励(元)", "现金奖励(元)",
                   "主管团队奖惩(元)", "实发奖惩合计(元)", "劝退标记")


@dataclass(frozen=True)
class PersonSettlement:
    staff_id: str
    display_name: str
    role: str
    supervisor_id: str | None
    points: int
    point_fine_fen: int
    cash_fines_fen: int
    cash_awards_fen: int
    award_fen: int
    full_attendance_fen: int
    performance_fen: int
    team_fen: int
    dismissal: bool
    entry_ids: tuple[str, ...]

    @property
    def fines_fen(self) -> int:
        """H22: what goes to the activity fund."""
        return self.point_fine_fen + self.cash_fines_fen + max(0, -self.team_fen)

    @property
    def net_fen(self) -> int:
        return (self.cash_awards_fen + self.award_fen + self.full_attendance_fen
                + self.performance_fen + self.team_fen - self.point_fine_fen
                - self.cash_fines_fen)


@dataclass
class Settlement:
    month: str
    created_at: datetime
    created_by: str
    people: list[PersonSettlement] = field(default_factory=list)
    state: State = "draft"
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    version: int = 0

    def review(self, by: str, at: datetime, people: list[PersonSettlement]) -> None:
        """H21: the supervisor reviews the month as its ledger stands now: `people` is the
        month settled again, so an entry recorded since the draft (the month is open until
        approval) is in it. A reviewed settlement may be reviewed again."""
        if self.state == "reviewed":
            self.state = "draft"
        self._move("draft", "reviewed", "review")
        self.people = list(people)
        self.reviewed_by, self.reviewed_at = by, at

    def approve(self, by: str, role: str, at: datetime,
                people: list[PersonSettlement]) -> list[FundEntry]:
        """H21/H22: the manager approves what was reviewed; the month closes and its fines
        enter the fund. `people` is the month settled from its ledger now: if an entry was
        recorded since the review, the approval is refused (409, H21) until it is reviewed
        again, so what is approved is what the ledger holds."""
        if role != "manager":
            raise NotAllowed("only the manager approves a settlement")
        if self.state == "reviewed" and list(people) != self.people:
            raise RuleRefused("H21", "ledger_changed",
                              f"entries were recorded for {self.month} since its review: "
                              "the supervisor reviews it again before approval")
        self._move("reviewed", "approved", "approve")
        self.approved_by, self.approved_at = by, at
        return [FundEntry(f"fines:{self.month}:{p.staff_id}", "in", p.fines_fen,
                          f"settlement:{self.month}:{p.staff_id}",
                          f"fines of {p.staff_id} in {self.month}", by, at)
                for p in self.people if p.fines_fen > 0]

    def _move(self, source: str, target: State, action: str) -> None:
        if self.state != source:
            allowed = {"draft": ["review"], "reviewed": ["review", "approve"]
                       }.get(self.state, [])
            raise TransitionRefused(self.state, action, allowed)
        self.state = target


def settle(staff: Sequence[Staff], entries: Sequence[LedgerEntry], policy: HrPolicy
           ) -> list[PersonSettlement]:
    """H14-H16, H20: every active person's month from their ledger entries."""
    by_person: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_person[entry.staff_id].append(entry)
    people = [p for p in staff if p.active]
    points = {p.staff_id: score(by_person[p.staff_id], policy) for p in people}
    teams: dict[str, list[int]] = defaultdict(list)
    for person in people:
        if person.supervisor_id:
            teams[person.supervisor_id].append(points[person.staff_id])
    return [_person(p, by_person[p.staff_id], points[p.staff_id], teams.get(p.staff_id, []),
                    policy) for p in sorted(people, key=lambda p: p.staff_id)]


def _person(person: Staff, entries: list[LedgerEntry], points: int, team: list[int],
            policy: HrPolicy) -> PersonSettlement:
    money = [e.amount for e in entries if e.kind == "money"]
    flags = {e.flag for e in entries if e.kind == "flag"}
    full = 0 if "full_attendance_lost" in flags else policy.full_attendance_fen
    performance = policy.performance_fen if points >= policy.performance_min_points else 0
    return PersonSettlement(
        staff_id=person.staff_id, display_name=person.display_name, role=person.role,
        supervisor_id=person.supervisor_id, points=points,
        point_fine_fen=point_fine_fen(points, policy.bands),
        cash_fines_fen=-sum(m for m in money if m < 0),
        cash_awards_fen=sum(m for m in money if m > 0),
        award_fen=award_fen(points, policy), full_attendance_fen=full,
        performance_fen=performance,
        team_fen=team_rule_fen(team, policy) if person.role == "supervisor" else 0,
        dismissal=dismissal_flag(points, policy) or "dismissal" in flags,
        entry_ids=tuple(e.entry_id for e in sorted(entries, key=lambda e: e.at)))


def payroll_rows(settlement: Settlement) -> list[tuple[object, ...]]:
    """The payroll clerks' table: one row per person, amounts in yuan with two decimals."""

    def yuan(fen: int) -> str:
        sign, whole = ("-" if fen < 0 else ""), abs(fen)
        return f"{sign}{whole // 100}.{whole % 100:02d}"

    return [(p.staff_id, p.display_name, p.role, settlement.month, p.points,
             yuan(p.point_fine_fen), yuan(p.cash_fines_fen), yuan(p.full_attendance_fen),
             yuan(p.performance_fen), yuan(p.award_fen), yuan(p.cash_awards_fen),
             yuan(p.team_fen), yuan(p.net_fen), "是" if p.dismissal else "否")
            for p in settlement.people]
