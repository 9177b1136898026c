"""The hr policies an administrator changes at run time, seeded from the rulebook.

Everything marked *(policy)* in RULES.md H2-H22 lives here: the shifts (H2), the rotation, the
minimum staffing per shift (H12), request limits (H4, H6, H11), fines and points (H4, H10, H13,
H17, H19), the point bands (H14), awards and bonuses (H15, H16, H20) and pay day (H21). Money is
integer fen, never floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from typing import Any

from hr.domain.errors import ValidationFailed

YUAN = 100


@dataclass(frozen=True)
class Period:
    """One working stretch of a shift; `end` may be 23:30 but never past midnight."""

    start: time
    end: time


@dataclass(frozen=True)
class ShiftDef:
    """H2: a shift, its working periods (a split shift has two, with a break between) and the
    roles that work it. `late` shifts may not take leave (H8)."""

    code: str
    name: str
    roles: tuple[str, ...]
    periods: tuple[Period, ...]
    late: bool = False

    @property
    def start(self) -> time:
        return self.periods[0].start

    @property
    def end(self) -> time:
        return self.periods[-1].end

    def breaks(self) -> list[Period]:
        """The gaps between periods (H13: a break must be set to 'away')."""
        return [Period(a.end, b.start) for a, b in zip(self.periods, self.periods[1:],
                                                       strict=False)]


@dataclass(frozen=True)
class Band:
    """H14: each point lost between `upper` and `lower` costs `fen_per_point`."""

    upper: int
    lower: int
    fen_per_point: int


DEFAULT_SHIFTS: tuple[ShiftDef, ...] = (
    ShiftDef("cs_early", "客服早班", ("presales", "aftersales"),
             (Period(time(9), time(11, 30)), Period(time(12, 30), time(18, 30)))),
    ShiftDef("cs_late", "客服晚班", ("presales", "aftersales"),
             (Period(time(13), time(17, 30)), Period(time(18, 30), time(23, 30))), late=True),
    ShiftDef("desk_early", "打单早班", ("order_desk",),
             (Period(time(9), time(11, 30)), Period(time(12, 30), time(18, 30)))),
)
DEFAULT_BANDS: tuple[Band, ...] = (
    Band(100, 90, 10 * YUAN), Band(90, 80, 20 * YUAN), Band(80, 70, 30 * YUAN),
    Band(70, 60, 40 * YUAN),
)


@dataclass(frozen=True)
class HrPolicy:
    """Every hr policy in one record; `version` increases with each change."""

    shifts: tuple[ShiftDef, ...] = DEFAULT_SHIFTS
    rotation_days: int = 5
    rotation: dict[str, tuple[str, ...]] = field(default_factory=lambda: {
        "presales": ("cs_early", "cs_late"), "aftersales": ("cs_early", "cs_late"),
        "order_desk": ("desk_early",)})
    min_staff: dict[str, int] = field(default_factory=lambda: {
        "cs_early": 1, "cs_late": 1, "desk_early": 1})
    punch_window_minutes: int = 120
    missed_punch_days: int = 2
    missed_punches_per_month: int = 3
    swaps_per_month: int = 3
    leave_notice_days: int = 1
    emergency_notice_minutes: int = 120
    missed_punch_fine_fen: int = 30 * YUAN
    leaving_post_fine_fen: int = 50 * YUAN
    presence_offline_fine_fen: int = 50 * YUAN
    presence_away_points: int = -2
    complaint_points: int = -3
    non_work_points: int = -3
    start_points: int = 100
    bands: tuple[Band, ...] = DEFAULT_BANDS
    dismissal_below: int = 60
    award_at: int = 110
    award_fen: int = 100 * YUAN
    full_attendance_fen: int = 100 * YUAN
    performance_fen: int = 200 * YUAN
    performance_min_points: int = 100
    team_bonus_fen: int = 100 * YUAN
    team_penalty_fen: int = 100 * YUAN
    average_wage_days_x100: int = 2175
    pay_day: int = 10
    version: int = 0

    def shift(self, code: str) -> ShiftDef | None:
        return next((s for s in self.shifts if s.code == code), None)

    def changed(self, **fields: Any) -> HrPolicy:
        """The policy with `fields` changed. Rotation and minimum staffing name shifts that
        exist (H2); when the shifts change alone, the minimum staffing of a removed shift goes
        with it. Refused with the first field that names no shift."""
        if "shifts" in fields and "min_staff" not in fields:
            codes = {s.code for s in fields["shifts"]}
            fields["min_staff"] = {c: n for c, n in self.min_staff.items() if c in codes}
        policy = replace(self, **fields, version=self.version + 1)
        policy.check_shift_references()
        return policy

    def check_shift_references(self) -> None:
        codes = [s.code for s in self.shifts]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                raise ValidationFailed(f"shift code {code!r} is used twice", f"shifts.{i}.code")
        known = set(codes)
        for role, order in self.rotation.items():
            for i, code in enumerate(order):
                if code not in known:
                    raise ValidationFailed(f"the rotation of {role} names {code!r}, which is no "
                                           "shift", f"rotation.{role}.{i}")
        for code in self.min_staff:
            if code not in known:
                raise ValidationFailed(f"minimum staffing names {code!r}, which is no shift",
                                       f"min_staff.{code}")
