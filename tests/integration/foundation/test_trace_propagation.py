"""One story, one trace (issue 11, item 6): a request whose use case publishes an event, and
another service consuming it, share the request's trace id: the context travels in the outbox
row, the relay's message (`traceparent`) and the consumer's span."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from fastapi import APIRouter, Request
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from ops_shared.observability import current_ids, setup_tracing
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import create_service_app
from support.effects import CountingHandler, counting_service, definition, running_runtime
from support.events import ThingHappened
from support.harness import running
from support.wait import eventually

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    provider = setup_tracing("test")
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()


class TracedHandler(CountingHandler):
    """Counts, and remembers the trace each event was handled in."""

    def __init__(self) -> None:
        super().__init__()
        self.traces: dict[str, str] = {}

    async def __call__(self, event, envelope, uow) -> None:
        ids = current_ids()
        self.traces[event.thing_id] = ids[0] if ids else ""
        await super().__call__(event, envelope, uow)


things = APIRouter()


@things.post("/things/{thing_id}", status_code=202)
async def record_thing(thing_id: str, request: Request) -> dict[str, str]:
    """A use case that changes state and publishes an event in one transaction."""
    async def work(uow: MongoUnitOfWork) -> str:
        await uow.db["things"].insert_one({"_id": thing_id}, session=uow.session)
        return uow.publish(ThingHappened(thing_id=thing_id)).id

    event_id = await request.app.state.runtime.database.transaction(work)
    return {"event_id": event_id}


async def test_the_consumer_of_an_event_continues_the_requests_trace(
        isolation, spans: InMemorySpanExporter) -> None:
    producer = isolation.settings("traced-a")
    consumer = isolation.settings("traced-b", exchange=producer.exchange)
    handler = TracedHandler()
    trace_id = secrets.token_hex(16)
    caller_span = secrets.token_hex(8)
    async with running_runtime(consumer, counting_service(consumer, handler)):
        app = create_service_app(producer, definition(producer, {}, routers=(things,)))
        async with running(app) as http:
            answer = await http.post("/things/t1", headers={
                "traceparent": f"00-{trace_id}-{caller_span}-01"})
            assert answer.status_code == 202, answer.text
            event_id = answer.json()["event_id"]
            await eventually(lambda: "t1" in handler.traces, timeout=30, what="consumed")

    assert handler.traces["t1"] == trace_id
    story = [s for s in spans.get_finished_spans() if f"{s.context.trace_id:032x}" == trace_id]
    kinds = [s.kind for s in story]
    assert kinds.count(SpanKind.SERVER) == 1, [s.name for s in story]  # FastAPI's, not twice
    by_kind = {s.kind: s for s in story}
    by_id = {s.context.span_id: s for s in story}
    server = by_kind[SpanKind.SERVER]
    publish = by_kind[SpanKind.PRODUCER]
    consume = by_kind[SpanKind.CONSUMER]
    assert server.name == "POST /things/{thing_id}"
    assert server.parent is not None and f"{server.parent.span_id:016x}" == caller_span
    # request -> endpoint -> outbox row -> relay's publish -> broker -> consumer -> handler
    assert publish.parent is not None
    endpoint = by_id[publish.parent.span_id]
    assert endpoint.parent is not None and endpoint.parent.span_id == server.context.span_id
    assert publish.attributes["messaging.message.id"] == event_id
    assert consume.parent is not None and consume.parent.span_id == publish.context.span_id
    handle = next(s for s in story if s.name == "test.thing.happened handle")
    assert handle.parent is not None and handle.parent.span_id == consume.context.span_id
    assert trace.get_current_span().get_span_context().is_valid is False
