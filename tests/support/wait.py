"""Waiting for a condition with a deadline: tests poll, they never sleep for a result."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

Predicate = Callable[[], Any] | Callable[[], Awaitable[Any]]


async def eventually(predicate: Predicate, timeout: float = 60, interval: float = 0.1,  # noqa: ASYNC109
                     what: str = "") -> Any:
    """Poll `predicate` (sync or async) until it returns something truthy; return that value.

    Fails with the last value seen (or the last error raised) when `timeout` seconds pass.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last: Any = None
    while True:
        try:
            last = predicate()
            if inspect.isawaitable(last):
                last = await last
        except AssertionError as exc:  # an assert inside the predicate means "not yet"
            last = exc
        else:
            if last:
                return last
        if loop.time() >= deadline:
            raise AssertionError(f"not true within {timeout}s: {what or predicate!r}; "
                                 f"last value: {last!r}"[:2000])
        await asyncio.sleep(interval)
