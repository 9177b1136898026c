"""Event type → handler: the whole list of what the tickets service listens to."""

from __future__ import annotations

from collections.abc import Mapping

from ops_shared.consumer import Handler
from ops_shared.service import Runtime


def subscriptions(runtime: Runtime) -> Mapping[str, Handler]:
    """Nothing yet: the tickets domain arrives with its own issue."""
    return {}
