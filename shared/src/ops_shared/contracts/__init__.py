"""Event contracts: the envelope, one module of typed payloads per publisher, and the registry.

The registry is filled here, explicitly, from each module's `CONTRACTS`: importing a contract
module registers nothing by itself.
"""

from ops_shared.contracts import bounds, gateway, hr, logistics, tickets, warehouse
from ops_shared.contracts.envelope import (
    Envelope,
    Event,
    EventRegistry,
    InvalidEvent,
    UnknownEvent,
    new_envelope,
)

registry = EventRegistry([
    *gateway.CONTRACTS, *hr.CONTRACTS, *logistics.CONTRACTS, *tickets.CONTRACTS,
    *warehouse.CONTRACTS,
])
"""Every event type and version this system knows (its own and the warehouse's)."""

__all__ = [
    "Envelope",
    "Event",
    "EventRegistry",
    "InvalidEvent",
    "UnknownEvent",
    "bounds",
    "gateway",
    "hr",
    "logistics",
    "new_envelope",
    "registry",
    "tickets",
    "warehouse",
]
