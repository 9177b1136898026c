"""Customer profiles (T9) and who may change what on them (T9, T15).

Tiers raise a new ticket's priority, so only supervisors and managers set them: an agent opens
a profile in the default tier `new` and never changes a tier. Contact details are personal data
(T15): an agent changes them only on a customer whose open ticket it holds, the same agents who
see them in full; supervisors and managers change them on any profile. (Refusal was chosen over
an audit trail: an agent who sees a masked phone has nothing to correct it from.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from tickets.domain.errors import NotAllowed
from tickets.domain.model import SUPERVISORS
from tickets.domain.privacy import MASKERS

DEFAULT_TIER = "new"
CONTACT_FIELDS = ("name", "phone", "email", "address", "platform_ids")


@dataclass(frozen=True, kw_only=True)
class OrderReference:
    """T9: one of the customer's orders on the shop platform (a reference, not the order)."""

    order_id: str
    platform: str | None = None
    placed_on: date | None = None
    added_by: str | None = None
    added_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Customer:
    """A customer profile: contact details, platform ids, tier and order references."""

    id: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    platform_ids: tuple[str, ...] = ()
    tier: str | None = DEFAULT_TIER
    orders: tuple[OrderReference, ...] = ()
    created_at: datetime | None = None
    created_by: str | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)
    """Stored fields this type does not know, kept as they are."""

    @property
    def tier_or_regular(self) -> str:
        """The tier that sets a ticket's priority; a profile stored without one is regular."""
        return self.tier or "regular"

    def changed(self, changes: Mapping[str, Any], *, by: str, at: datetime) -> Customer:
        """The profile with new contact details and/or tier (checked by the caller's rules)."""
        values = {k: tuple(v) if k == "platform_ids" else v for k, v in changes.items()}
        return replace(self, **values, updated_at=at, updated_by=by)

    def with_order(self, order: OrderReference) -> Customer | None:
        """T9: the profile with the order remembered; None if it is already on the profile."""
        if any(o.order_id == order.order_id for o in self.orders):
            return None
        return replace(self, orders=(*self.orders, order))

    def masked(self) -> Customer:
        """T15: the profile with every personal field masked."""
        values: dict[str, Any] = {}
        for name in CONTACT_FIELDS:
            value, mask = getattr(self, name), MASKERS[name]
            if isinstance(value, str):
                values[name] = mask(value)
            elif isinstance(value, tuple):
                values[name] = tuple(mask(v) for v in value)
        return replace(self, **values)


def check_tier_setter(role: str, tier: str) -> None:
    """T9: an agent opens profiles in the default tier only; NotAllowed otherwise."""
    if tier != DEFAULT_TIER and role not in SUPERVISORS:
        raise NotAllowed(f"T9: only a supervisor or manager puts a customer in the {tier!r} "
                         f"tier; agents open profiles in {DEFAULT_TIER!r}")


def check_change(role: str, changes: Mapping[str, Any], holds_open_ticket: bool) -> None:
    """T9/T15: tiers are changed by supervisors and managers; contact details by them or by
    the agent holding one of the customer's open tickets. NotAllowed otherwise."""
    if role in SUPERVISORS:
        return
    if "tier" in changes:
        raise NotAllowed("only a supervisor or manager changes a customer's tier (T9)")
    if any(name in changes for name in CONTACT_FIELDS) and not holds_open_ticket:
        raise NotAllowed("T15: an agent changes the contact details only of a customer whose "
                         "open ticket it holds; ask a supervisor")
