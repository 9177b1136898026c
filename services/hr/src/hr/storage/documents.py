"""Domain records <-> BSON documents, in one place.

The hr records are dataclasses of plain values; BSON has no `date`, `time` or tuple, so days
are stored as ISO strings, times as "HH:MM", tuples as lists, nested records as subdocuments.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

T = TypeVar("T")


def to_doc(record: Any, id_field: str | None = None) -> dict[str, Any]:
    doc = {f.name: _out(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if id_field:
        doc["_id"] = doc[id_field]
    return doc


def _out(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_doc(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        return [_out(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _out(v) for k, v in value.items()}
    return value


def from_doc(cls: type[T], doc: dict[str, Any]) -> T:
    hints = _hints(cls)
    fields = {f.name: _in(hints[f.name], doc[f.name]) for f in dataclasses.fields(cls)  # type: ignore[arg-type]
              if f.name in doc}
    return cls(**fields)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _in(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin, args = get_origin(hint), get_args(hint)
    if origin in (typing.Union, types.UnionType):
        kinds = [a for a in args if a is not type(None)]
        return _in(kinds[0], value) if len(kinds) == 1 else value
    if origin is typing.Literal:
        return value
    if origin is tuple:
        return tuple(_in(args[0], v) for v in value)
    if origin is list:
        return [_in(args[0], v) for v in value]
    if origin is dict:
        return {k: _in(args[1], v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return from_doc(hint, value)  # type: ignore[arg-type]
    if hint is datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if hint is date:
        return date.fromisoformat(value)
    if hint is time:
        return time.fromisoformat(value)
    return value
