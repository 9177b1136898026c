"""Stopping background tasks: a cancellation a library swallowed is repeated; a task that will
not end is left behind after the bound, never awaited forever."""

from __future__ import annotations

import asyncio

from ops_shared.service import stop_task


async def test_a_task_that_swallows_its_first_cancellation_still_stops() -> None:
    rounds: list[str] = []

    async def scheduler_loop() -> None:
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if not rounds:  # lost once, as inside Python 3.11's wait_for
                    rounds.append("swallowed")
                    continue
                raise

    task = asyncio.create_task(scheduler_loop())
    await asyncio.sleep(0)
    assert await stop_task(task, within_s=30) is True
    assert task.cancelled() and rounds == ["swallowed"]


async def test_a_task_that_never_ends_is_left_after_the_bound() -> None:
    release = asyncio.Event()

    async def deaf() -> None:
        while not release.is_set():
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue

    task = asyncio.create_task(deaf())
    await asyncio.sleep(0)
    assert await stop_task(task, within_s=0.2) is False
    assert not task.done()
    release.set()
    task.cancel()  # the loop checks `release` and ends
    await asyncio.wait({task})
    assert task.done()
