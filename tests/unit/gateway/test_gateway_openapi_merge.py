"""Merging upstream OpenAPI documents: prefixes, shared and clashing components, ids."""

from __future__ import annotations

from gateway.openapi import merge_openapi


def _doc(paths: dict, schemas: dict | None = None) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas or {}}}


def _post(ref: str, operation_id: str = "create") -> dict:
    return {"post": {"operationId": operation_id, "requestBody": {"content": {
        "application/json": {"schema": {"$ref": ref}}}}}}


OWN = _doc({"/auth/token": {"post": {"operationId": "issue_token"}}},
           {"Error": {"type": "object", "properties": {"detail": {"type": "string"}}}})


def test_upstream_paths_move_under_their_prefix() -> None:
    merged = merge_openapi(OWN, {"tickets": _doc({"/tickets": {"get": {}}})}, [])
    assert set(merged["paths"]) == {"/auth/token", "/api/tickets/tickets"}
    assert merged["paths"]["/api/tickets/tickets"]["get"]["tags"] == ["tickets"]


def test_identical_components_are_shared() -> None:
    upstream = _doc({"/x": _post("#/components/schemas/Error")},
                    {"Error": OWN["components"]["schemas"]["Error"]})
    merged = merge_openapi(OWN, {"hr": upstream}, [])
    assert set(merged["components"]["schemas"]) == {"Error"}


def test_clashing_components_are_prefixed_and_their_refs_follow() -> None:
    upstream = _doc({"/x": _post("#/components/schemas/Wrapper")}, {
        "Error": {"type": "string"},
        "Wrapper": {"properties": {"error": {"$ref": "#/components/schemas/Error"}}},
    })
    merged = merge_openapi(OWN, {"logistics": upstream}, [])
    schemas = merged["components"]["schemas"]
    assert schemas["Error"] == OWN["components"]["schemas"]["Error"]
    assert schemas["logistics_Error"] == {"type": "string"}
    assert schemas["Wrapper"]["properties"]["error"]["$ref"] == (
        "#/components/schemas/logistics_Error")


def test_a_component_that_refers_to_a_renamed_one_is_renamed_too() -> None:
    wrapper = {"properties": {"error": {"$ref": "#/components/schemas/Error"}}}
    own = _doc({}, {**OWN["components"]["schemas"], "Wrapper": wrapper})
    upstream = _doc({"/x": _post("#/components/schemas/Wrapper")},
                    {"Error": {"type": "string"}, "Wrapper": wrapper})
    merged = merge_openapi(own, {"hr": upstream}, [])
    schemas = merged["components"]["schemas"]
    assert schemas["hr_Wrapper"]["properties"]["error"]["$ref"] == "#/components/schemas/hr_Error"
    assert schemas["Wrapper"] == wrapper
    body = merged["paths"]["/api/hr/x"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/hr_Wrapper")


def test_clashing_operation_ids_are_prefixed() -> None:
    upstreams = {name: _doc({"/things": _post("#/components/schemas/T", "create")},
                            {"T": {"title": name}}) for name in ("tickets", "hr")}
    merged = merge_openapi(OWN, upstreams, [])
    assert merged["paths"]["/api/tickets/things"]["post"]["operationId"] == "create"
    assert merged["paths"]["/api/hr/things"]["post"]["operationId"] == "hr_create"


def test_unavailable_upstreams_are_listed_and_inputs_untouched() -> None:
    upstream = _doc({"/x": {"get": {"operationId": "issue_token"}}})
    merged = merge_openapi(OWN, {"tickets": upstream}, ["logistics", "hr"])
    assert merged["info"]["x-unavailable"] == ["hr", "logistics"]
    assert set(OWN["paths"]) == {"/auth/token"}
    assert upstream["paths"]["/x"]["get"]["operationId"] == "issue_token"


def test_operation_ids_stay_unique_when_an_upstream_repeats_one() -> None:
    item = {m: {"operationId": "echo"} for m in ("get", "put", "post")}
    merged = merge_openapi(OWN, {"hr": _doc({"/echo": item})}, [])
    ids = [op["operationId"] for op in merged["paths"]["/api/hr/echo"].values()]
    assert ids == ["echo", "hr_echo", "hr_echo_3"]


def test_every_upstream_operation_lists_what_the_gateway_answers_in_front_of_it() -> None:
    upstream = _doc({"/tickets": {"get": {"responses": {
        "200": {"description": "ok"}, "401": {"description": "the service's own words"}}}}})
    merged = merge_openapi(OWN, {"tickets": upstream}, [])
    responses = merged["paths"]["/api/tickets/tickets"]["get"]["responses"]
    assert set(responses) == {"200", "401", "429", "502", "504"}
    assert responses["401"] == {"description": "the service's own words"}  # kept as written
    assert set(responses["429"]["content"]) == {"application/problem+json"}
    assert "responses" not in merged["paths"]["/auth/token"]["post"]  # the gateway's own: as is
