"""One OpenAPI document for staff: the gateway's own routes plus every upstream's, prefixed.

Upstream paths move under `/api/<service>`. Components with the same name and the same
definition are shared; a clashing one is renamed `<service>_<name>` and every `$ref` to it is
rewritten. Operation ids that clash get the same prefix.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import structlog

log = structlog.get_logger(__name__)
TITLE = "Customer-service operations API"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
REF = "$ref"


def merge_openapi(own: dict[str, Any], upstreams: Mapping[str, dict[str, Any]],
                  unavailable: list[str]) -> dict[str, Any]:
    """The gateway's schema with each upstream's paths and components merged in."""
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
    merged["info"] = {**merged.get("info", {}), "title": TITLE,
                      "x-unavailable": sorted(unavailable)}
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


class OpenApiCatalog:
    """Fetches each upstream's `/openapi.json` on demand; a good answer is reused for a while."""

    def __init__(self, http: httpx.AsyncClient, upstreams: Mapping[str, str], *,
                 timeout_s: float, cache_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._http = http
        self._upstreams = dict(upstreams)
        self._timeout_s = timeout_s
        self._cache_s = cache_s
        self._clock = clock
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}

    async def documents(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """The documents that could be read, and the names of the upstreams that could not."""
        names = list(self._upstreams)
        found = await asyncio.gather(*(self._document(name) for name in names))
        documents = {n: d for n, d in zip(names, found, strict=True) if d is not None}
        return documents, [n for n in names if n not in documents]

    async def _document(self, name: str) -> dict[str, Any] | None:
        cached = self._cache.get(name)
        if cached and cached[0] > self._clock():
            return cached[1]
        try:
            answer = await self._http.get(f"{self._upstreams[name]}/openapi.json",
                                          timeout=self._timeout_s)
            answer.raise_for_status()
            document = answer.json()
            if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
                raise ValueError("not an OpenAPI document")
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("openapi.upstream_unavailable", service=name, error=type(exc).__name__)
            return None
        self._cache[name] = (self._clock() + self._cache_s, document)
        return document
