"""The envelope of EVENTS.md, the base of every typed payload, and the type+version registry."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError


class Envelope(BaseModel):
    """The message body every event travels in (EVENTS.md, "Envelope")."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1, max_length=100)
    type: str = Field(min_length=1, max_length=200)
    version: int = Field(ge=1)
    occurred_at: AwareDatetime
    producer: str = Field(min_length=1, max_length=100)
    correlation_id: str | None = Field(None, max_length=200)
    causation_id: str | None = Field(None, max_length=200)
    data: dict[str, Any]


class Event(BaseModel):
    """Base of every event payload: frozen, past tense, owned by its publisher.

    Unknown fields are ignored so that a newer publisher does not break an older consumer.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1
    producer: ClassVar[str]


E = TypeVar("E", bound=type[Event])


class UnknownEvent(Exception):
    """No model is registered for this type and version: the message can never succeed."""


class InvalidEvent(Exception):
    """The message is not a valid envelope or its data does not match the model."""


class EventRegistry:
    """Maps (type, version) to the model that reads it."""

    def __init__(self, models: Iterable[type[Event]] = ()) -> None:
        self._models: dict[tuple[str, int], type[Event]] = {}
        for model in models:
            self.register(model)

    def register(self, model: E) -> E:
        key = (model.event_type, model.event_version)
        if key in self._models and self._models[key] is not model:
            raise ValueError(f"event {key} registered twice")
        self._models[key] = model
        return model

    def model_for(self, type_: str, version: int) -> type[Event]:
        try:
            return self._models[(type_, version)]
        except KeyError:
            known = sorted(v for t, v in self._models if t == type_)
            raise UnknownEvent(
                f"no model for {type_} v{version}; known versions: {known or 'none'}"
            ) from None

    def parse(self, body: bytes) -> tuple[Envelope, Event]:
        """Read a message body: envelope first, then the typed payload."""
        try:
            envelope = Envelope.model_validate_json(body)
        except ValidationError as exc:
            raise InvalidEvent(f"invalid envelope: {_errors(exc)}") from None
        model = self.model_for(envelope.type, envelope.version)
        try:
            return envelope, model.model_validate(envelope.data)
        except ValidationError as exc:
            raise InvalidEvent(f"invalid data for {envelope.type}: {_errors(exc)}") from None

    def models(self) -> list[type[Event]]:
        return [self._models[k] for k in sorted(self._models)]


def _errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '<body>'}: {e['msg']}" for e in exc.errors()
    )[:1000]


def new_envelope(
    event: Event,
    *,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    occurred_at: datetime | None = None,
) -> Envelope:
    """Wrap a payload in a fresh envelope with a new id."""
    return Envelope(
        id=str(uuid.uuid4()),
        type=event.event_type,
        version=event.event_version,
        occurred_at=occurred_at or datetime.now(UTC),
        producer=event.producer,
        correlation_id=correlation_id,
        causation_id=causation_id,
        data=event.model_dump(mode="json"),
    )
