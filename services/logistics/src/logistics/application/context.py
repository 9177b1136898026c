"""The actor of a command, the role rules use cases check, and `publish`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from logistics.domain.errors import NotAllowed
from logistics.domain.events import Event, coalesce
from logistics.domain.follow_up import FollowUpPolicy
from logistics.domain.model import SUPERVISORS
from logistics.domain.ports import LogisticsUnitOfWork
from ops_shared.persistence import UnitOfWork

SYSTEM = "logistics"
"""The actor of what the service does by itself (a refund after a passed inspection)."""


@dataclass(frozen=True)
class Actor:
    """Who runs a command."""

    staff_id: str
    role: str

    @property
    def is_supervisor(self) -> bool:
        return self.role in SUPERVISORS

    def require_supervisor(self, what: str) -> None:
        if not self.is_supervisor:
            raise NotAllowed(f"only a supervisor or the manager may {what}")


class FollowsUp(Protocol):
    follow_up: FollowUpPolicy


F = TypeVar("F", bound=FollowsUp)


async def followed(uow: LogisticsUnitOfWork, case: F) -> F:
    """Hand a loaded case the manager's follow-up policy before it moves (its next-action
    times come from it)."""
    case.follow_up = await uow.policies.follow_up_policy()
    return case


def publish(uow: UnitOfWork, events: Iterable[Event]) -> None:
    """Write the outbox rows of `events` in the unit of work's transaction (one status change
    per RMA)."""
    for event in coalesce(list(events)):
        uow.publish(event)
