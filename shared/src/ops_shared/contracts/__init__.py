"""Event models, one module per publisher. Importing this package registers them all."""

from ops_shared.contracts import hr, logistics, tickets, warehouse  # noqa: F401
from ops_shared.events import registry

__all__ = ["registry"]
