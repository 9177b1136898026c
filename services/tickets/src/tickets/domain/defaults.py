"""Defaults that opening a ticket depends on: they can be changed, never deleted.

A new customer takes the tier `new` (T9), and every new ticket's clocks come from the default
SLA policies (T2-T6). Deleting one of them would make every later opening fail, so a manager may
edit them but not remove them; policies and tiers a manager added can be deleted.
"""

from __future__ import annotations

from tickets.domain.errors import Conflict
from tickets.domain.sla import DEFAULT_POLICIES

DEFAULT_TIER = "new"
DEFAULT_POLICY_NAMES = frozenset(policy.name for policy in DEFAULT_POLICIES)


def check_tier_deletable(name: str) -> None:
    """T9: the tier every new customer takes stays; Conflict if `name` is that tier."""
    if name == DEFAULT_TIER:
        raise Conflict(f"T9: the default customer tier {name!r} is given to every new "
                       "customer; it can be changed but not deleted")


def check_sla_policy_deletable(name: str) -> None:
    """T2-T6: a default SLA policy stays; Conflict if `name` is one of them."""
    if name in DEFAULT_POLICY_NAMES:
        raise Conflict(f"T2-T6: {name!r} is a default SLA policy that opening tickets depends "
                       "on; it can be changed but not deleted")
