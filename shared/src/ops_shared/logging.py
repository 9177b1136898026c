"""Structured logging: JSON in containers, console in development, personal data masked.

Every field of every log event goes through `mask_personal_data`, at a cost linear in the field
and bounded per field:
- a string longer than `MAX_FIELD_CHARS` is cut first (a traceback keeps its last
  `MAX_TRACE_CHARS`), and the cut is marked;
- the masking patterns cannot backtrack: every unbounded repetition is possessive and starts only
  where a run of its characters starts, every other repetition is bounded;
- phone numbers are masked only as whole words and e-mail addresses by their local part, so hex
  and uuid ids (correlation ids, event ids) are never touched;
- control characters (a URL path can carry any) are escaped, never written raw.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import structlog

from ops_shared.observability.tracing import add_trace_ids

# T15: these keys hold customer personal data wherever they appear in a log event.
PERSONAL_KEYS = frozenset(
    {"phone", "mobile", "address", "platform_id", "platform_ids", "customer_name",
     "contact", "email", "name_full", "id_card", "signed_by", "customer_ref"}
)
MAX_FIELD_CHARS = 4096
"""A logged string is cut to this many characters before it is masked."""
MAX_TRACE_CHARS = 16384
"""A traceback (`exception`) keeps its last characters: the error is at the end."""
MAX_ITEMS = 100
"""Items of one list or mapping that are logged; the rest are counted."""
MAX_DEPTH = 8

_WORD = "0-9A-Za-z"  # a phone number is a whole word: never a piece of an id like ffc4087c156…
# Also as written by people and platforms: "+86 138…", "+86138…", "138-1234-5678", "138 1234 5678".
# Bounded repetitions only: each attempt looks at no more than 20 characters.
PHONE_PATTERN = (rf"(?<![{_WORD}])((?:\+?86[ -]?)?)(1[3-9]\d)[ -]?(\d{{4}})[ -]?(\d{{4}})"
                 rf"(?![{_WORD}])")
_LOCAL = "A-Za-z0-9._%+-"
# A match starts only where a run of local-part characters starts (the lookbehind), and the run
# is taken whole (possessive `*+`): each character is looked at a bounded number of times.
EMAIL_PATTERN = rf"(?<![{_LOCAL}])([{_LOCAL}])[{_LOCAL}]*+(@[A-Za-z0-9.-]++)"
_PHONE = re.compile(PHONE_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)
_UNSAFE = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"  # C1, line separators, bidi
_CONTROL = re.compile(f"[\x00-\x1f{_UNSAFE}]")
_CONTROL_IN_TRACE = re.compile(f"[\x00-\x08\x0b-\x1f{_UNSAFE}]")  # keeps \n and \t
_PHONE_PIECE = "0123456789+ -"  # what a phone number is written with
TRACE_KEY = "exception"


def mask_text(text: str) -> str:
    """Mask mainland mobile numbers and e-mail addresses inside free text (linear time)."""
    text = _PHONE.sub(lambda m: f"{m.group(1)}{m.group(2)}****{m.group(4)}", text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)


def escape_controls(text: str, *, keep_lines: bool = False) -> str:
    """Control characters as `\\xNN` / `\\uNNNN`; `keep_lines` keeps newlines and tabs."""
    pattern = _CONTROL_IN_TRACE if keep_lines else _CONTROL
    return pattern.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def truncate(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    """The first `limit` characters and a mark; a phone number cut in two is dropped."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    stripped = head.rstrip(_PHONE_PIECE)
    if len(head) - len(stripped) <= 20:  # the start of a phone number, not a long number
        head = stripped
    return f"{head}…[{len(text) - len(head)} more chars]"


def _clean_text(key: str, text: str) -> str:
    if key == TRACE_KEY:
        if len(text) > MAX_TRACE_CHARS:
            text = f"[{len(text) - MAX_TRACE_CHARS} chars before]…{text[-MAX_TRACE_CHARS:]}"
        return escape_controls(mask_text(text), keep_lines=True)
    return escape_controls(mask_text(truncate(text)))


def _mask_value(key: str, value: Any, depth: int = 0) -> Any:
    if key.lower() in PERSONAL_KEYS and value not in (None, ""):
        return "***"
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _clean_text(key, value)
    if depth >= MAX_DEPTH:
        return "…"
    if isinstance(value, Mapping):
        items = list(value.items())
        masked = {escape_controls(truncate(str(k), 200)): _mask_value(str(k), v, depth + 1)
                  for k, v in items[:MAX_ITEMS]}
        if len(items) > MAX_ITEMS:
            masked["…"] = f"{len(items) - MAX_ITEMS} more items"
        return masked
    if isinstance(value, list | tuple):
        masked_items = [_mask_value(key, v, depth + 1) for v in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            masked_items.append(f"…[{len(value) - MAX_ITEMS} more items]")
        return masked_items
    if isinstance(value, bytes | bytearray):
        return value[:MAX_FIELD_CHARS]
    # Anything else is written as its repr by both renderers: mask that text.
    return _clean_text(key, repr(value))


def mask_personal_data(_logger: Any, _name: str, event_dict: dict) -> dict:
    """structlog processor: mask personal data in every field, nested ones included."""
    return {k: _mask_value(k, v) for k, v in event_dict.items()}


def configure_logging(
    service: str, *, json: bool, level: str = "INFO", stream: TextIO | None = None
) -> None:
    """Configure structlog and stdlib logging once, at start-up."""
    shared = [
        structlog.contextvars.merge_contextvars,
        add_trace_ids,  # trace_id, span_id of the current span (OpenTelemetry)
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        # Tracebacks become text before masking: exception messages carry personal data too.
        structlog.processors.format_exc_info,
        mask_personal_data,
    ]
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stdout),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)


def get_logger(name: str | None = None) -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger(name)
