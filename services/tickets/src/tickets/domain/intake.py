"""T1/T2: when the customer asked. A request logged from a channel after the fact (the shop
platform's chat, a phone call written down afterwards) carries the moment the customer's message
arrived, and the ticket's clocks start then, not when an agent typed it in.

That moment is bounded: not in the future (beyond a small allowance for clocks that disagree),
and not older than the intake policy allows (a manager edits it like the other policies).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from tickets.domain.errors import ValidationFailed
from tickets.domain.model import require_aware

CLOCK_SKEW = timedelta(minutes=2)
"""How far ahead of the service's clock a caller's clock may run."""
DEFAULT_MAX_ASKED_AGE_HOURS = 72


class IntakePolicy(BaseModel):
    """How old a request may be when it is logged (policy)."""

    model_config = ConfigDict(frozen=True)

    max_asked_age_hours: int = Field(DEFAULT_MAX_ASKED_AGE_HOURS, ge=1, le=24 * 31)

    def asked_at(self, asked: datetime | None, logged: datetime) -> datetime:
        """When the customer asked: `asked`, or `logged` when not given; ValidationFailed
        naming `asked_at` if it lies in the future or further back than the policy allows."""
        logged = require_aware(logged, "logged at")
        if asked is None:
            return logged
        if asked.tzinfo is None:
            raise ValidationFailed("asked_at needs a time zone", field="asked_at")
        if asked > logged + CLOCK_SKEW:
            raise ValidationFailed("the customer cannot have asked in the future",
                                   field="asked_at")
        oldest = logged - timedelta(hours=self.max_asked_age_hours)
        if asked < oldest:
            raise ValidationFailed(
                f"a request older than {self.max_asked_age_hours} h cannot be logged as new "
                "(intake policy)", field="asked_at")
        return min(asked, logged)  # within the allowance: the clock starts no later than now
