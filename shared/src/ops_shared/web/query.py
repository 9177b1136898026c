"""Unknown query parameters are refused on every route of a service app (issue 7, item 7).

`refuse_unknown_query` is an app-wide dependency (`create_service_app` installs it): a query
parameter the matched route does not declare, by itself or through its dependencies, is a 422
problem naming it, e.g. `status[$ne]`: the same answer on every route, where some routes used to
ignore them silently. A route whose query parameters are a pydantic model allowing extra fields
takes any name.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from ops_shared.web.problems import Problem

_DECLARED = "_ops_declared_query"  # computed once per route, kept on the route
_UNKNOWN = object()


async def refuse_unknown_query(request: Request) -> None:
    """FastAPI dependency: 422 for a query parameter the matched route does not read."""
    query = request.scope.get("query_string") or b""
    route = request.scope.get("route")
    if not query or not isinstance(route, APIRoute):
        return
    allowed = getattr(route, _DECLARED, _UNKNOWN)
    if allowed is _UNKNOWN:
        allowed = declared_query(route.dependant)
        setattr(route, _DECLARED, allowed)
    if allowed is None:
        return
    names = {name for name, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)}
    unknown = sorted(names - allowed)
    if unknown:
        raise _unknown_query(unknown, allowed)


def declared_query(dependant: Dependant) -> frozenset[str] | None:
    """The query parameter names a route reads; None when a model of them takes any name."""
    names: set[str] = set()
    stack, seen = [dependant], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for field in current.query_params:
            model = _model_of(field.field_info.annotation)
            if model is None:
                names.add(field.alias)
                continue
            if model.model_config.get("extra") == "allow":
                return None
            for name, info in model.model_fields.items():
                names.update(n for n in (name, info.alias) if n)
        stack.extend(current.dependencies)
    return frozenset(names)


def _model_of(annotation: typing.Any) -> type[BaseModel] | None:
    candidates: Iterable[typing.Any] = (annotation, *typing.get_args(annotation))
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _unknown_query(unknown: list[str], allowed: frozenset[str]) -> Problem:
    shown = [name[:200] for name in unknown[:20]]
    errors = [{"field": name, "in": "query", "reason": "unknown query parameter",
               "type": "extra_forbidden"} for name in shown]
    known = ", ".join(sorted(allowed)) or "none"
    return Problem(422, "validation-error", "Invalid request",
                   f"unknown query parameter {', '.join(map(repr, shown))}; this route reads: "
                   f"{known}"[:1000], errors=errors)
