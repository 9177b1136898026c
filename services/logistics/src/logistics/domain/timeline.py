"""L14: the append-only timeline every RMA, recall and re-shipment keeps (who, what, when)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from logistics.domain.errors import TransitionRefused


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor_id: str
    action: str
    details: dict[str, Any] = field(default_factory=dict)


class StateMachine:
    """States and the moves each allows; refuses the others naming current and allowed."""

    def __init__(self, what: str, moves: Mapping[StrEnum, frozenset[StrEnum]]) -> None:
        self.what = what
        self.moves = moves

    def allowed(self, current: StrEnum) -> list[str]:
        targets = self.moves[current]
        return [state.value for state in type(current) if state in targets]

    def check(self, current: StrEnum, target: StrEnum) -> None:
        if target not in self.moves[current]:
            raise TransitionRefused(self.what, current.value, target.value, self.allowed(current))

    def terminal(self, state: StrEnum) -> bool:
        return not self.moves[state]
