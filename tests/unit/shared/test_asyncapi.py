"""The committed AsyncAPI document is current and describes every registered event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ops_shared.contracts import registry
from ops_shared.tools.asyncapi import build_asyncapi, main, render

ROOT = Path(__file__).resolve().parents[3]
DOCUMENT = ROOT / "docs" / "asyncapi.yaml"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_asyncapi()


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s (`#/a/b/c`) until a real object."""
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def message_of(document: dict[str, Any], event_type: str, version: int = 1) -> dict[str, Any]:
    channel = document["channels"][event_type]
    return resolve(document, channel["messages"][f"{event_type}.v{version}"])


def test_committed_document_is_up_to_date(document: dict[str, Any]) -> None:
    assert DOCUMENT.is_file(), \
        "docs/asyncapi.yaml is missing: run `python -m ops_shared.tools.asyncapi`"
    stale = (
        "docs/asyncapi.yaml is out of date with the event models: "
        "run `python -m ops_shared.tools.asyncapi` and commit the result"
    )
    text = DOCUMENT.read_text(encoding="utf-8")
    assert yaml.safe_load(text) == document, stale
    assert text == render(document), stale  # byte for byte, as `--check` compares


def test_check_mode_reports_a_stale_file(tmp_path: Path) -> None:
    target = tmp_path / "asyncapi.yaml"
    assert main(["--check", "--output", str(target)]) == 1  # missing
    assert main(["--output", str(target)]) == 0
    assert main(["--check", "--output", str(target)]) == 0
    target.write_text(target.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert main(["--check", "--output", str(target)]) == 1


def test_it_is_asyncapi_3(document: dict[str, Any]) -> None:
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "Customer-service operations events"
    assert document["info"]["version"]
    server = document["servers"]["production"]
    assert server["protocol"] == "amqp"


def test_a_channel_for_every_registered_model(document: dict[str, Any]) -> None:
    models = registry.models()
    assert models
    for model in models:
        channel = document["channels"][model.event_type]
        assert channel["address"] == model.event_type  # the routing key
        exchange = channel["bindings"]["amqp"]["exchange"]
        assert exchange == {**exchange, "name": "ops.events", "type": "topic", "durable": True}
        message = message_of(document, model.event_type, model.event_version)
        payload = message["payload"]
        assert payload["properties"]["type"]["const"] == model.event_type
        assert payload["properties"]["version"]["const"] == model.event_version
        data = resolve(document, payload["properties"]["data"])
        assert data["title"] == model.__name__
        assert {"id", "type", "version", "occurred_at", "producer", "data"} <= set(
            payload["required"]
        )


def test_every_channel_has_a_send_operation_by_its_producer(document: dict[str, Any]) -> None:
    by_channel = {
        resolve(document, op["channel"])["address"]: op
        for op in document["operations"].values()
    }
    for model in registry.models():
        operation = by_channel[model.event_type]
        assert operation["action"] == "send"
        assert operation["x-producer"] == model.producer
        for ref in operation["messages"]:
            assert ref["$ref"].startswith(f"#/channels/{model.event_type}/messages/")
            resolve(document, ref)
    receipt = by_channel["warehouse.receipt.recorded"]
    assert receipt["x-producer"] == "warehouse"
    assert "warehouse" in receipt["summary"]


def test_schema_references_resolve(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                assert ref.removeprefix("#/components/schemas/") in schemas, ref
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    assert not any("$defs" in schema for schema in schemas.values())


def test_the_warehouse_receipt_payload_requires_its_fields(document: dict[str, Any]) -> None:
    message = message_of(document, "warehouse.receipt.recorded")
    data = resolve(document, message["payload"]["properties"]["data"])
    assert {"receipt_id", "received_at", "items", "inspector"} <= set(data["required"])
    items = data["properties"]["items"]
    assert items["type"] == "array" and items["minItems"] == 1
    item = resolve(document, items["items"])
    assert {"sku", "quantity", "intact", "box_complete", "resellable"} <= set(item["required"])
