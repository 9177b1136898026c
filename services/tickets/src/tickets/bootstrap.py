"""Start-up wiring of the tickets service: the clock and the default policies."""

from __future__ import annotations

from ops_shared.service import Runtime
from tickets.application.context import CLOCK, SystemClock
from tickets.application.policies import seed_defaults


async def start(runtime: Runtime) -> None:
    """Choose the adapters and seed the policies (idempotent; any replica may run it)."""
    runtime.extras.setdefault(CLOCK, SystemClock())
    await seed_defaults(runtime)
