"""Shared vocabulary of the logistics domain: roles, numbers, items, refunds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    PRESALES = "presales"
    AFTERSALES = "aftersales"
    ORDER_DESK = "order_desk"
    WAREHOUSE = "warehouse"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"


SUPERVISORS = frozenset({Role.SUPERVISOR, Role.MANAGER})


def case_number(prefix: str, day: date, seq: int) -> str:
    """`RMA-20261126-0007`: prefix, the shop-local day, the day's sequence (4 digits or more)."""
    return f"{prefix}-{day:%Y%m%d}-{seq:04d}"


@dataclass(frozen=True)
class Item:
    """An item of an order: SKU, quantity and what was paid per unit (fen; None: not known)."""

    sku: str
    quantity: int
    unit_paid_fen: int | None = None

    @property
    def paid_fen(self) -> int | None:
        return None if self.unit_paid_fen is None else self.unit_paid_fen * self.quantity


@dataclass(frozen=True)
class Refund:
    """L7: one refund per RMA or recall (`subject`); the database keeps it unique."""

    refund_id: str
    subject: str  # the RMA or recall number
    order_id: str
    items_fen: int
    postage_fen: int
    issued_at: datetime
    issued_by: str
    ticket_number: str | None = None
    override_reason: str | None = None
    quality_confirmed: bool = False

    @property
    def amount_fen(self) -> int:
        return self.items_fen + self.postage_fen


def refund_id_for(subject: str) -> str:
    """One id per RMA or recall, so even the id cannot be issued twice."""
    return f"RF-{subject}"
