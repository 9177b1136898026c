"""H14-H16: point fines by marginal bands, the award, the dismissal flag and the team rule.

Points lost below the start score cost money band by band, like tax brackets: with the default
bands 85 points cost 10 × 10 + 5 × 20 = 200 yuan. Below 60 the person is flagged for dismissal;
at 110 or more they earn the award.
"""

from __future__ import annotations

from collections.abc import Sequence

from hr.domain.policy import Band, HrPolicy


def point_fine_fen(points: int, bands: Sequence[Band]) -> int:
    """H14: the fine for ending the month at `points`, summed band by band."""
    total = 0
    for band in bands:
        lost = min(band.upper, max(points, band.lower))
        total += max(0, band.upper - lost) * band.fen_per_point
    return total


def dismissal_flag(points: int, policy: HrPolicy) -> bool:
    """H14: below `dismissal_below` points the person is flagged for dismissal."""
    return points < policy.dismissal_below


def award_fen(points: int, policy: HrPolicy) -> int:
    """H15: the cash award at `award_at` points or more."""
    return policy.award_fen if points >= policy.award_at else 0


def team_rule_fen(team_points: Sequence[int], policy: HrPolicy) -> int:
    """H16: the supervisor gains when half or more of the team ends at the start score or
    above, and loses when anyone ends below the dismissal line (both can apply)."""
    if not team_points:
        return 0
    total = 0
    if 2 * sum(p >= policy.start_points for p in team_points) >= len(team_points):
        total += policy.team_bonus_fen
    if any(p < policy.dismissal_below for p in team_points):
        total -= policy.team_penalty_fen
    return total
