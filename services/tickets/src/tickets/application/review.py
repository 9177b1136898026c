"""Placeholder: filled by the tickets work."""

from __future__ import annotations

from collections.abc import Mapping

from ops_shared.consumer import Handler
from ops_shared.service import Runtime


def handlers(runtime: Runtime) -> Mapping[str, Handler]:
    return {}
