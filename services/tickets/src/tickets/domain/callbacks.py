"""T4: callbacks after rectification, with the customer's satisfaction and confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from tickets.domain.errors import ValidationFailed
from tickets.domain.model import require_aware, require_text

ConfirmationKind = Literal["code", "signature_ref", "verbal_consent"]


@dataclass(frozen=True)
class Confirmation:
    """The customer's 签字认可: a code, a signature image reference or recorded verbal consent."""

    kind: ConfirmationKind
    value: str

    def __post_init__(self) -> None:
        if self.kind not in get_args(ConfirmationKind):
            raise ValidationFailed(f"unknown confirmation kind {self.kind!r}")
        object.__setattr__(self, "value", require_text(self.value, "confirmation.value"))


@dataclass(frozen=True, kw_only=True)
class Callback:
    """One callback (回访): what was asked, satisfaction 1..5, optional customer confirmation."""

    question: str
    satisfaction: int
    at: datetime
    by: str
    confirmation: Confirmation | None = None

    def __post_init__(self) -> None:
        require_text(self.question, "question")
        require_text(self.by, "by")
        require_aware(self.at, "callback time")
        score = self.satisfaction
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise ValidationFailed("satisfaction must be an integer from 1 to 5")

    @property
    def confirmed(self) -> bool:
        """T4: only a callback the customer confirmed can close a ticket."""
        return self.confirmation is not None
