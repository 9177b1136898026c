"""The OpenAPI document says what the API really answers (checked by `scripts/fuzz`).

FastAPI's generated document is corrected once, when it is first built:
- every error answer is an RFC 9457 problem (`application/problem+json`, schema `Problem`),
  422 included, which FastAPI documents as its own `application/json` validation error;
- every operation lists 422 in a service, where unknown query parameters are refused on every
  route (`refuse_unknown_query`); elsewhere the operations that take input list it;
- every operation that takes a staff token lists 401 (no token, an invalid or expired one, an
  ended session);
- a time of day is documented as what the API reads and writes, `HH:MM[:SS[.ffffff]]` without a
  zone (JSON Schema's `format: time` requires a zone offset, which a shift's start never has).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from ops_shared.web.problems import MEDIA_TYPE

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; members beyond these depend on the problem.",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"},
        "instance": {"type": "string"}, "request_id": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["type", "title", "status"],
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_CONTENT = {MEDIA_TYPE: {"schema": PROBLEM_REF}}
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})
DESCRIPTIONS = {401: "No staff token, or an invalid, expired or ended one (problem details)",
                422: "Invalid input: a field, an unknown query parameter, or a body that is not "
                     "JSON (problem details; `errors` lists each refused input)"}


def document_problems(app: FastAPI, *, extra: Callable[[dict[str, Any]], None] | None = None,
                      unknown_query_refused: bool = True) -> None:
    """Make `app.openapi()` answer the corrected document; `extra` may change it further.
    `unknown_query_refused`: every route answers 422 to an unknown query parameter."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            conform(document, every_operation_422=unknown_query_refused)
            if extra is not None:
                extra(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def conform(document: dict[str, Any], *, every_operation_422: bool = True) -> dict[str, Any]:
    """Correct a FastAPI document in place (see the module's docstring); returns it."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM_SCHEMA)
    secured_by_default = bool(document.get("security"))
    for operation in operations(document):
        responses = operation.setdefault("responses", {})
        if every_operation_422:
            add_response(responses, 422)
        if operation.get("security", secured_by_default):
            add_response(responses, 401)
        for status, response in responses.items():
            if str(status)[:1] in "45" and isinstance(response, dict):
                _problem_content(response)
    _times_without_zone(document)
    return document


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in document.get("paths", {}).values() for method, op in item.items()
            if method in HTTP_METHODS and isinstance(op, dict)]


def add_response(responses: dict[str, Any], status: int, description: str | None = None
                 ) -> None:
    """List a problem answer for `status` unless the operation documents it already."""
    if str(status) not in responses and status not in responses:
        responses[str(status)] = {"description": description or DESCRIPTIONS[status],
                                  "content": PROBLEM_CONTENT}


def _problem_content(response: dict[str, Any]) -> None:
    """An error answer documented without a body of its own (or as FastAPI's own 422,
    `HTTPValidationError`) is a problem; one that names its own JSON schema keeps it."""
    content = response.get("content") or {}
    if set(content) - {"application/json", MEDIA_TYPE}:
        return
    schema = (content.get("application/json") or {}).get("schema") or {}
    if schema and not schema.get("$ref", "").endswith("/HTTPValidationError"):
        return
    response["content"] = PROBLEM_CONTENT


def _times_without_zone(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node.setdefault("pattern", TIME_PATTERN)
        for value in node.values():
            _times_without_zone(value)
    elif isinstance(node, list):
        for value in node:
            _times_without_zone(value)
