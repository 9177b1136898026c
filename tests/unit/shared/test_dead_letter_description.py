"""Dead messages are described for operators, whatever their headers hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ops_shared.messaging import describe_dead_message


@dataclass
class Message:
    body: bytes = b'{"not": "an envelope"}'
    headers: dict = field(default_factory=dict)
    message_id: str | None = "m1"
    type: str | None = "test.thing.happened"
    routing_key: str | None = "svc.dead"


def test_same_dead_message_without_failure_time_gets_the_same_id() -> None:
    assert describe_dead_message(Message())["_id"] == describe_dead_message(Message())["_id"]
    assert describe_dead_message(Message())["_id"] != describe_dead_message(
        Message(body=b"other"))["_id"]


def test_unreadable_headers_are_described_not_raised() -> None:
    doc = describe_dead_message(Message(headers={"x-failed-at": "yesterday", "x-attempts": "x"}))
    assert doc["attempts"] == 1 and doc["failed_at"].tzinfo is not None


def test_broker_dead_letter_uses_x_death() -> None:
    when = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    doc = describe_dead_message(Message(headers={"x-death": [
        {"reason": "delivery_limit", "count": 4, "time": when,
         "routing-keys": ["tickets.sla.breached"]}]}))
    assert doc["failed_at"] == when and doc["attempts"] == 4
    assert doc["routing_key"] == "tickets.sla.breached"
    assert "delivery_limit" in doc["error"]
