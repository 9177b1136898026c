"""One OpenAPI document for staff: the gateway's own routes plus every upstream's, prefixed.

Upstream paths move under `/api/<service>`. Components with the same name and the same
definition are shared; a clashing one is renamed `<service>_<name>` and every `$ref` to it is
rewritten. Operation ids that clash get the same prefix. Every upstream operation also lists
what the gateway itself may answer in front of it (`GATEWAY_ANSWERS`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ops_shared.web.openapi_docs import add_response

TITLE = "Customer-service operations API"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
REF = "$ref"
RATE_LIMITED = "Too many requests from this staff member (problem details, Retry-After)"
GATEWAY_ANSWERS = {
    401: "No staff token, or an invalid, expired or ended one (problem details)",
    429: RATE_LIMITED,
    502: "The service could not be reached (problem details)",
    504: "The service did not answer in time (problem details)",
}


def merge_openapi(own: dict[str, Any], upstreams: Mapping[str, dict[str, Any]],
                  unavailable: list[str], *, stale: Iterable[str] = (),
                  fetched_at: Mapping[str, datetime] | None = None) -> dict[str, Any]:
    """The gateway's schema with each upstream's paths and components merged in.

    `info` says which services are missing (`x-unavailable`), which are served from their last
    good copy because they did not answer (`x-stale-services`) and when each document was
    read from its service (`x-fetched-at`).
    """
    merged = copy.deepcopy(own)
    merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    operation_ids = {op.get("operationId") for op in _operations(merged["paths"])}
    for service, document in upstreams.items():
        renames = _component_renames(service, document.get("components", {}), components)
        document = _rewrite_refs(document, renames)
        _add_components(components, document.get("components", {}), renames)
        _add_paths(merged["paths"], service, document.get("paths", {}), operation_ids)
        _add_tags(merged, document.get("tags", []))
    merged["info"] = {
        **merged.get("info", {}), "title": TITLE, "x-unavailable": sorted(unavailable),
        "x-stale-services": sorted(stale),
        "x-fetched-at": {name: at.isoformat() for name, at in sorted((fetched_at or {}).items())},
    }
    return merged


def _ref(section: str, name: str) -> str:
    return f"#/components/{section}/{name}"


def _component_renames(service: str, theirs: dict[str, Any], ours: dict[str, Any]
                       ) -> dict[str, str]:
    """Old ref → new ref for every component that clashes, references included."""
    renames: dict[str, str] = {}
    changed = True
    while changed:  # a rename can make a component that refers to it clash in turn
        changed = False
        for section, definitions in theirs.items():
            for name, definition in (definitions or {}).items():
                ref = _ref(section, name)
                existing = ours.get(section, {}).get(name)
                if ref in renames or existing is None:
                    continue
                if existing != _rewrite_refs(definition, renames):
                    renames[ref] = _ref(section, f"{service}_{name}")
                    changed = True
    return renames


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    """A copy of `node` with every renamed `$ref` pointing at its new name."""
    if isinstance(node, dict):
        return {k: renames.get(v, v) if k == REF and isinstance(v, str)
                else _rewrite_refs(v, renames) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    return node


def _add_components(ours: dict[str, Any], theirs: dict[str, Any], renames: Mapping[str, str]
                    ) -> None:
    for section, definitions in theirs.items():
        target = ours.setdefault(section, {})
        for name, definition in (definitions or {}).items():
            new_name = renames.get(_ref(section, name), _ref(section, name)).rsplit("/", 1)[1]
            target.setdefault(new_name, definition)


def _operations(paths: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in paths.values() for method, op in item.items()
            if method in HTTP_METHODS and isinstance(op, dict)]


def _add_paths(ours: dict[str, Any], service: str, theirs: dict[str, Any],
               operation_ids: set[Any]) -> None:
    for path, item in theirs.items():
        item = {k: v for k, v in item.items() if k != "servers"}
        for op in _operations({path: item}):
            if "operationId" in op:
                op["operationId"] = _unique_id(op["operationId"], service, operation_ids)
                operation_ids.add(op["operationId"])
            op["tags"] = op.get("tags") or [service]
            for status, description in GATEWAY_ANSWERS.items():
                add_response(op.setdefault("responses", {}), status, description)
        ours[f"/api/{service}{path}"] = item


def _unique_id(operation_id: str, service: str, taken: set[Any]) -> str:
    """`operation_id`, or `<service>_<id>` (numbered if need be) when it is taken."""
    candidate, n = operation_id, 1
    while candidate in taken:
        n += 1
        candidate = f"{service}_{operation_id}" + (f"_{n}" if n > 2 else "")
    return candidate


def _add_tags(merged: dict[str, Any], tags: list[dict[str, Any]]) -> None:
    known = {t.get("name") for t in merged.get("tags", [])}
    new = [t for t in tags if t.get("name") not in known]
    if new:
        merged["tags"] = [*merged.get("tags", []), *new]
