"""Contract → handler: the whole list of what the hr service listens to."""

from __future__ import annotations

from typing import Any

from ops_shared.messaging import Subscriptions

SUBSCRIPTIONS: Subscriptions[Any, Any] = {}
"""Nothing yet: the hr domain arrives with its own issue."""
