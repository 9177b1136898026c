"""OpenTelemetry traces: gateway → service → outbox → broker → consumer, one story one trace.

- HTTP: FastAPI's native telemetry continues the caller's W3C `traceparent` in a server span
  (see observability/http.py); the gateway injects its context into the upstream call
  (`inject_httpx`).
- Outbox: `MongoUnitOfWork.publish` stores the current context in the row's headers
  (`outbox_trace_headers`); the relay re-attaches it: its producer span is a child of the
  stored context and its `traceparent` goes in the AMQP headers. (The aio-pika instrumentation
  would overwrite `traceparent` with the relay's own context, so it is not used.)
- Consumer: a consumer span continues the message's `traceparent`; each handler runs in a span
  of its own event's trace, even when events are applied together in one batch, so what a
  handler publishes continues the same trace.
- Logs: `add_trace_ids` puts `trace_id` and `span_id` in every structlog line inside a span.

Export: over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set, to
nothing otherwise (spans still get ids, for the logs). The standard `OTEL_*` variables apply
(`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`, headers, timeouts).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from typing import Any

import httpx
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagators.textmap import Getter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACER = "ops_shared"
W3C = TraceContextTextMapPropagator()
TRACE_HEADERS = ("traceparent", "tracestate")
OTLP_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
Context = otel_context.Context


def setup_tracing(service: str) -> trace.TracerProvider:
    """Install the process's tracer provider once (the first service of a process names it);
    later calls return the one installed."""
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = TracerProvider(resource=Resource.create({
        "service.name": os.environ.get("OTEL_SERVICE_NAME") or service}))
    if any(os.environ.get(name) for name in OTLP_ENDPOINT_VARIABLES):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return trace.get_tracer_provider()


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER)


class _HeaderGetter(Getter[Mapping[str, Any]]):
    """Reads AMQP headers (values may arrive as bytes) and plain string mappings alike."""

    def get(self, carrier: Mapping[str, Any], key: str) -> list[str] | None:
        value = carrier.get(key)
        if value is None:
            return None
        if isinstance(value, bytes | bytearray):
            value = bytes(value).decode("latin-1")
        return [str(value)]

    def keys(self, carrier: Mapping[str, Any]) -> list[str]:
        return list(carrier)


_GETTER = _HeaderGetter()


def extract(headers: Mapping[str, Any] | None) -> Context:
    """The context carried by `traceparent` in `headers` (an empty one without)."""
    return W3C.extract(headers or {}, getter=_GETTER)


def inject(headers: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Write the current context into `headers` (`traceparent`, `tracestate`)."""
    W3C.inject(headers)
    return headers


def outbox_trace_headers() -> dict[str, str]:
    """The current context, to keep with an outbox row until the relay publishes it."""
    carrier: dict[str, str] = {}
    W3C.inject(carrier)
    return carrier


async def inject_httpx(request: httpx.Request) -> None:
    """An httpx request hook: upstream calls continue the current trace."""
    W3C.inject(request.headers)


def current_ids() -> tuple[str, str] | None:
    """(trace_id, span_id) of the current span, as hex, or None outside a span."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def add_trace_ids(_logger: Any, _name: str, event_dict: dict) -> dict:
    """structlog processor: `trace_id` and `span_id` of the current span."""
    ids = current_ids()
    if ids is not None:
        event_dict.setdefault("trace_id", ids[0])
        event_dict.setdefault("span_id", ids[1])
    return event_dict


def flush_traces(timeout_ms: int = 2000) -> None:
    """Export the spans still buffered (at stop); blocking, so run it in a thread."""
    provider = trace.get_tracer_provider()
    flush = getattr(provider, "force_flush", None)
    if flush is not None:
        flush(timeout_ms)
