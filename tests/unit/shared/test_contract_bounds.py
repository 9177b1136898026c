"""Every string and list in every event contract is bounded (issue 7, item 1)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ops_shared.contracts import Envelope, registry
from ops_shared.contracts.hr import StaffChanged


def _unbounded(schema: dict[str, Any], defs: dict[str, Any], path: str) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _unbounded(defs[name], defs, f"{path}<{name}>")
    found: list[str] = []
    for key in ("anyOf", "allOf", "oneOf"):
        for i, option in enumerate(schema.get(key, [])):
            found += _unbounded(option, defs, f"{path}|{i}")
    kind = schema.get("type")
    if kind == "string" and not ({"maxLength", "enum", "const", "format", "pattern"} & set(
            schema)):
        found.append(path)
    if kind == "array":
        if "maxItems" not in schema:
            found.append(path)
        found += _unbounded(schema.get("items", {}), defs, f"{path}[]")
    for name, prop in schema.get("properties", {}).items():
        found += _unbounded(prop, defs, f"{path}.{name}")
    return found


@pytest.mark.parametrize("model", [Envelope, *registry.models()], ids=lambda m: m.__name__)
def test_every_string_and_list_of_a_contract_has_a_bound(model) -> None:
    schema = model.model_json_schema()
    assert _unbounded(schema, schema.get("$defs", {}), model.__name__) == []


def test_a_megabyte_field_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError) as caught:
        StaffChanged(staff_id="s1", display_name="名" * 1_000_000, role="presales")
    assert caught.value.errors()[0]["loc"] == ("display_name",)


def test_staff_changed_may_carry_a_session_version() -> None:
    assert StaffChanged(staff_id="s1", display_name="a", role="presales").session_version is None
    assert StaffChanged(staff_id="s1", display_name="a", role="presales",
                        session_version=3).session_version == 3
