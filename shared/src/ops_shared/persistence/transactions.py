"""Transaction retry rules: what may be run again, for how long, and how a commit is retried.

A transient write conflict (`TransientTransactionError`, e.g. WriteConflict) means nothing was
committed: the whole transaction runs again, with capped, jittered pauses, for a *time budget*
rather than a number of attempts. The default budget outlasts the server's transaction lifetime
(60 s), so a transaction orphaned by a killed writer, which holds its documents until the server
aborts it, delays work but cannot fail it. Inside an HTTP request the budget is shorter
(`transaction_budget`, set per request): the caller gets `TransactionBusy`, a 503 with
`Retry-After`, well before the gateway gives up.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Iterator
from contextvars import ContextVar

import structlog
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import ConnectionFailure, OperationFailure

log = structlog.get_logger(__name__)
MAX_TRANSACTION_ATTEMPTS = 12
"""Attempts at a commit whose result is unknown."""
DEFAULT_RETRY_BUDGET_S = 90.0
MAX_PAUSE_S = 1.0
RETRY_AFTER_S = 5
"""What a refused caller is told to wait (an orphaned transaction lasts up to 60 s)."""
_budget: ContextVar[float | None] = ContextVar("transaction_budget", default=None)


class TransactionBusy(Exception):
    """Transient conflicts outlasted the transaction's budget: nothing was committed; the same
    work can be tried again later."""

    def __init__(self, budget_s: float, attempts: int, last_error: Exception) -> None:
        super().__init__(f"write conflicts for {budget_s:g} s ({attempts} attempts); last: "
                         f"{type(last_error).__name__}: {str(last_error)[:200]}")
        self.budget_s = budget_s
        self.attempts = attempts
        self.retry_after_s = RETRY_AFTER_S


@contextlib.contextmanager
def transaction_budget(seconds: float | None) -> Iterator[None]:
    """Transactions started in this context (a request) retry conflicts for `seconds` at most."""
    token = _budget.set(seconds)
    try:
        yield
    finally:
        _budget.reset(token)


def current_budget(default: float) -> float:
    """The budget of the surrounding context (a request), else `default`."""
    return _budget.get() or default


def pause(attempt: int) -> float:
    """Full jitter, doubling from 4 ms, capped at 1 s: colliding transactions spread out, and a
    long wait costs about two attempts a second."""
    return random.uniform(0, min(0.002 * 2**attempt, MAX_PAUSE_S))


async def commit(session: AsyncClientSession) -> None:
    """Commit; an unknown commit result is retried as a commit, never by re-running the work
    (the first commit may have succeeded: re-running would apply the change twice)."""
    for attempt in range(1, MAX_TRANSACTION_ATTEMPTS + 1):
        try:
            await session.commit_transaction()
            return
        except (ConnectionFailure, OperationFailure) as exc:
            if not labelled(exc, "UnknownTransactionCommitResult") or \
                    attempt == MAX_TRANSACTION_ATTEMPTS:
                raise
            log.warning("transaction.commit_retry", attempt=attempt, error=str(exc)[:200])
            await asyncio.sleep(min(0.05 * attempt, 0.5))


def transient(exc: Exception) -> bool:
    """The whole transaction may be run again: nothing of it was committed."""
    return labelled(exc, "TransientTransactionError")


def labelled(exc: Exception, label: str) -> bool:
    has_label = getattr(exc, "has_error_label", None)
    return bool(has_label and has_label(label))
