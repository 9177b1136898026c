"""The AsyncAPI 3.0 document of every event, generated from the registered event models.

`build_asyncapi()` returns the document as a dict; `python -m ops_shared.tools.asyncapi` writes
it to `docs/asyncapi.yaml` and `python -m ops_shared.tools.asyncapi --check` exits 1 when that
file is out of date. One channel per event type (its address is the routing key on the
`ops.events` topic exchange), one message per (type, version), one `send` operation per channel
by its producer.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import yaml

from ops_shared.contracts import Envelope, Event, registry

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.1.0"
"""Version of the event contracts as a whole; bump it when a contract changes."""
TITLE = "Customer-service operations events"
EXCHANGE = "ops.events"
AMQP_BINDING_VERSION = "0.3.0"
REF_TEMPLATE = "#/components/schemas/{model}"
EXTERNAL_PRODUCERS = {"warehouse": "the external warehouse system"}
DEFAULT_OUTPUT = Path("docs/asyncapi.yaml")

_DESCRIPTION = """\
Every event the services exchange on RabbitMQ. Each message body is the JSON envelope \
(`id`, `type`, `version`, `occurred_at`, `producer`, `correlation_id`, `causation_id`) with the \
event's payload in `data`. Messages go to the durable topic exchange `ops.events` with the \
event type as routing key and as the AMQP `type` property; the envelope `id` is the AMQP \
`message_id`. Messages are persistent and `application/json`. Consumers apply each `id` once, \
ignore unknown fields in `data` and dead-letter unknown versions or invalid data.

Generated from the event models by `python -m ops_shared.tools.asyncapi`; do not edit by hand."""


def _add_schema(schemas: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    if name in schemas and schemas[name] != schema:
        raise ValueError(f"two different schemas are both named {name!r}")
    schemas[name] = schema


def _model_schema(model: type[Event], schemas: dict[str, Any]) -> None:
    """Put the model's schema and its nested definitions into components.schemas."""
    schema = model.model_json_schema(ref_template=REF_TEMPLATE)
    for name, definition in schema.pop("$defs", {}).items():
        _add_schema(schemas, name, definition)
    _add_schema(schemas, model.__name__, schema)


def _summary(model: type[Event]) -> str:
    doc = (model.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else model.event_type


def _sender(producer: str) -> str:
    return EXTERNAL_PRODUCERS.get(producer, f"the {producer} service")


def _payload(model: type[Event], envelope: dict[str, Any]) -> dict[str, Any]:
    """The envelope schema with `type`, `version` and `producer` fixed and `data` the model."""
    payload = copy.deepcopy(envelope)
    payload["title"] = f"{model.__name__} envelope"
    properties = payload["properties"]
    properties["type"] = {"type": "string", "const": model.event_type, "title": "Type"}
    properties["version"] = {"type": "integer", "const": model.event_version,
                             "title": "Version"}
    properties["producer"] = {"type": "string", "const": model.producer, "title": "Producer"}
    properties["data"] = {"$ref": REF_TEMPLATE.format(model=model.__name__)}
    return payload


def build_asyncapi() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of every model in the registry (deterministic order)."""
    envelope = Envelope.model_json_schema(ref_template=REF_TEMPLATE)
    if "$defs" in envelope:  # the envelope is flat today; keep it self-contained if it changes
        raise ValueError("the envelope schema has nested definitions; lift them first")
    schemas: dict[str, Any] = {"Envelope": envelope}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}

    for model in registry.models():  # sorted by (type, version)
        _model_schema(model, schemas)
        message_id = f"{model.event_type}.v{model.event_version}"
        messages[message_id] = {
            "name": model.event_type,
            "title": f"{model.event_type} v{model.event_version}",
            "summary": _summary(model),
            "contentType": "application/json",
            "correlationId": {"location": "$message.payload#/correlation_id"},
            "payload": _payload(model, envelope),
            "bindings": {"amqp": {"messageType": model.event_type,
                                  "bindingVersion": AMQP_BINDING_VERSION}},
            "x-producer": model.producer,
        }
        channel_id = model.event_type
        channel = channels.setdefault(channel_id, {
            "address": model.event_type,
            "title": model.event_type,
            "description": f"Routing key `{model.event_type}` on the `{EXCHANGE}` topic "
                           f"exchange; published by {_sender(model.producer)}.",
            "servers": [{"$ref": "#/servers/production"}],
            "messages": {},
            "bindings": {"amqp": {
                "is": "routingKey",
                "exchange": {"name": EXCHANGE, "type": "topic", "durable": True,
                             "autoDelete": False, "vhost": "/"},
                "bindingVersion": AMQP_BINDING_VERSION,
            }},
        })
        channel["messages"][message_id] = {"$ref": f"#/components/messages/{message_id}"}
        operation = operations.setdefault(f"{model.event_type}.send", {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "title": f"{model.producer} publishes {model.event_type}",
            "summary": f"Sent by {_sender(model.producer)}.",
            "tags": [{"name": model.producer}],
            "bindings": {"amqp": {"deliveryMode": 2, "bindingVersion": AMQP_BINDING_VERSION}},
            "messages": [],
            "x-producer": model.producer,
        })
        operation["messages"].append({"$ref": f"#/channels/{channel_id}/messages/{message_id}"})

    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": TITLE, "version": DOCUMENT_VERSION, "description": _DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {"production": {
            "host": "rabbitmq:5672",
            "protocol": "amqp",
            "protocolVersion": "0.9.1",
            "pathname": "/",
            "description": "RabbitMQ broker of the deployment (vhost `/`).",
        }},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops_shared.tools.asyncapi",
        description="Write the AsyncAPI document of the event contracts.",
    )
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the file differs from the generated document")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where the document lives (default: {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    text = render(build_asyncapi())
    path: Path = args.output
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            print(f"{path} is out of date; run `python -m ops_shared.tools.asyncapi`",
                  file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
