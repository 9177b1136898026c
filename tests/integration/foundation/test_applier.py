"""Events applied together share one transaction, yet each is applied once and fails alone."""

from __future__ import annotations

import asyncio
import json

import pytest

from ops_shared.contracts import new_envelope
from ops_shared.messaging import EventApplier
from ops_shared.persistence import (
    FOUNDATION_INDEXES,
    INBOX,
    OUTBOX,
    Database,
    apply_indexes,
    make_client,
)
from support.effects import CountingHandler, HandlerFailed, effect_counts
from support.events import ThingHappened

pytestmark = pytest.mark.integration


@pytest.fixture
async def database(isolation):
    settings = isolation.settings("applier")
    client = make_client(settings.mongo_url, app_name="applier")
    database = Database(client, settings.database, settings.service_name)
    await apply_indexes(database.db, FOUNDATION_INDEXES)
    yield database
    await client.close()


async def test_a_failing_event_does_not_take_its_batch_down(database) -> None:
    handler = CountingHandler(fails=lambda event: event.thing_id == "bad")
    applier = EventApplier(database, max_batch=32)
    events = [ThingHappened(thing_id=name) for name in ("a", "b", "bad", "c", "d")]
    outcomes = await asyncio.gather(
        *(applier.apply(handler, event, new_envelope(event)) for event in events),
        return_exceptions=True)

    assert [type(o).__name__ for o in outcomes] == ["bool", "bool", "HandlerFailed", "bool",
                                                    "bool"]
    assert isinstance(outcomes[2], HandlerFailed)
    assert await effect_counts(database.db) == {"a": 1, "b": 1, "c": 1, "d": 1}
    assert await database.db[INBOX].count_documents({}) == 4


async def test_the_same_event_twice_in_one_batch_and_again_later_applies_once(database) -> None:
    handler = CountingHandler()
    applier = EventApplier(database, max_batch=32)
    event = ThingHappened(thing_id="once")
    envelope = new_envelope(event)
    first = await asyncio.gather(*(applier.apply(handler, event, envelope) for _ in range(3)))
    again = await applier.apply(handler, event, envelope)

    assert sorted(first) == [False, False, True] and again is False
    assert await effect_counts(database.db) == {"once": 1}


async def test_events_published_by_a_batch_carry_their_own_causation(database) -> None:
    async def republish(event, envelope, uow) -> None:
        uow.publish(ThingHappened(thing_id=f"{event.thing_id}-next"))

    applier = EventApplier(database, max_batch=32)
    envelopes = [new_envelope(ThingHappened(thing_id=n)) for n in ("x", "y")]
    await asyncio.gather(*(applier.apply(republish, ThingHappened(thing_id=n), e)
                           for n, e in zip(("x", "y"), envelopes, strict=True)))

    bodies = [json.loads(row["body"]) for row in await database.db[OUTBOX].find({}).to_list()]
    assert {(b["data"]["thing_id"], b["causation_id"]) for b in bodies} == {
        ("x-next", envelopes[0].id), ("y-next", envelopes[1].id)}


async def test_a_batch_is_prepared_once_and_its_held_writes_sent_before_the_commit(
        database) -> None:
    """A handler's `prepare` reads ahead once for the batch's new events (not for one applied
    before); writes held to `before_commit` are sent in the batch's transaction."""
    prepared: list[list[str]] = []

    async def handler(event, envelope, uow) -> None:
        if not uow.before_commit:
            uow.before_commit.append(lambda: database.db["held"].insert_one(
                {"things": "sent"}, session=uow.session))

    async def prepare(events, uow) -> None:
        prepared.append(sorted(e.thing_id for e in events))

    handler.prepare = prepare  # type: ignore[attr-defined]
    applier = EventApplier(database, max_batch=32)
    seen = ThingHappened(thing_id="seen")
    seen_envelope = new_envelope(seen)
    assert await applier.apply(handler, seen, seen_envelope) is True  # alone: not prepared
    events = [ThingHappened(thing_id=n) for n in ("p", "q", "r")]
    outcomes = await asyncio.gather(
        applier.apply(handler, seen, seen_envelope),
        *(applier.apply(handler, e, new_envelope(e)) for e in events))

    assert outcomes == [False, True, True, True]
    assert prepared == [["p", "q", "r"]]
    assert await database.db["held"].count_documents({}) == 2  # the lone event's, the batch's
