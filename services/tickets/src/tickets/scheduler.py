"""Placeholder: the SLA scheduler's start and stop hooks."""

from __future__ import annotations

from ops_shared.service import Runtime


async def start(runtime: Runtime) -> None:
    return None


async def stop(runtime: Runtime) -> None:
    return None
