"""Three replicas of one service on one queue and one outbox (issue 11, item 4), small: every
effect once, every deadline fired once, events published in order per aggregate.
`bench/replicas.py` runs the same over 10,000 events."""

from __future__ import annotations

import pytest

from support.replicas import run_replicas

pytestmark = [pytest.mark.integration, pytest.mark.slow]
EVENTS = 600


async def test_three_replicas_apply_each_event_once_in_order(isolation) -> None:
    settings = isolation.settings("replicas", relay_batch=50)
    figures = await run_replicas(settings, events=EVENTS, replicas=3, aggregates=30)
    report = "\n".join(figures.lines())
    assert figures.effect_counts == {1: EVENTS, 0: 0}, report
    assert figures.deadline_fires == {1: EVENTS}, report
    assert figures.published == EVENTS and figures.out_of_order == 0, report
    assert figures.dead_letters == 0, report
    assert sum(figures.applied_by_replica) == EVENTS, report
    assert sum(1 for n in figures.applied_by_replica if n) >= 2, report  # the queue is shared
