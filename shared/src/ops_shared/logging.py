"""Structured logging: JSON in containers, console in development, personal data masked."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import structlog

# T15: these keys hold customer personal data wherever they appear in a log event.
PERSONAL_KEYS = frozenset(
    {"phone", "mobile", "address", "platform_id", "platform_ids", "customer_name",
     "contact", "email", "name_full", "id_card", "signed_by", "customer_ref"}
)
# Also as written by people and platforms: "+86 138…", "+86138…", "138-1234-5678", "138 1234 5678".
_PHONE = re.compile(r"(?<!\d)((?:\+?86[ -]?)?)(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+)")


def mask_text(text: str) -> str:
    """Mask mainland mobile numbers and e-mail addresses inside free text."""
    text = _PHONE.sub(lambda m: f"{m.group(1)}{m.group(2)}****{m.group(4)}", text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)


def _mask_value(key: str, value: Any) -> Any:
    if key.lower() in PERSONAL_KEYS and value not in (None, ""):
        return "***"
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: _mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_value(key, v) for v in value]
    return value


def mask_personal_data(_logger: Any, _name: str, event_dict: dict) -> dict:
    """structlog processor: mask personal data in every field, nested ones included."""
    return {k: _mask_value(k, v) for k, v in event_dict.items()}


def configure_logging(
    service: str, *, json: bool, level: str = "INFO", stream: TextIO | None = None
) -> None:
    """Configure structlog and stdlib logging once, at start-up."""
    shared = [
        structlog.contextvars.merge_contextvars,
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
