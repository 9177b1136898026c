"""Domain dataclasses ↔ BSON documents, in one place.

Every aggregate and value of the domain is a dataclass of plain fields, enums, dates and nested
dataclasses; `to_doc` and `from_doc` map them by their type hints, so a field added to the domain
is stored without a second list to keep in step. Dates are stored as ISO strings, times as
"HH:MM:SS", enums as their values. A field whose metadata says `stored: False` (a policy an
aggregate is handed for its moves) is left out.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import fields, is_dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def to_doc(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_doc(getattr(value, f.name)) for f in fields(value)
                if f.metadata.get("stored", True)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_doc(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_doc(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def from_doc(cls: type[T], doc: dict[str, Any]) -> T:
    """Rebuild a dataclass from its document; unknown keys (`_id`, `version`) are ignored."""
    hints = _hints(cls)
    values = {f.name: _convert(hints[f.name], doc[f.name])
              for f in fields(cls) if f.name in doc}  # type: ignore[arg-type]
    return cls(**values)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if origin in (list, tuple):
        inner = typing.get_args(tp)[0] if typing.get_args(tp) else Any
        items = [_convert(inner, v) for v in value]
        return items if origin is list else tuple(items)
    if origin is dict or tp is Any:
        return value
    if isinstance(tp, type):
        if is_dataclass(tp):
            return from_doc(tp, value)
        if issubclass(tp, Enum):
            return tp(value)
        if tp is datetime:
            return value
        if tp is date and isinstance(value, str):
            return date.fromisoformat(value)
        if tp is time and isinstance(value, str):
            return time.fromisoformat(value)
    return value
