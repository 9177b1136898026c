"""Transaction retry rules: what may be run again, and how a commit is retried."""

from __future__ import annotations

import asyncio

import structlog
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import ConnectionFailure, OperationFailure

log = structlog.get_logger(__name__)
MAX_TRANSACTION_ATTEMPTS = 12


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
