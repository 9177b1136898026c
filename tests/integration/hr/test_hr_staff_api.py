"""H1 and policy routes on the real database: the directory, wage visibility, problem details
for bad input (never a 500)."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration


def _id(prefix: str = "s") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def test_h1_hire_read_change_and_wage_visibility(hr) -> None:
    sup, agent, other = _id("sup"), _id("ag"), _id("ag")
    await hr.hire(sup, "supervisor", team="t1")
    created = await hr.hire(agent, "aftersales", team="t1", supervisor_id=sup, wage_fen=600_000)
    assert created["wage_fen"] == 600_000
    await hr.hire(other, "presales", team="t1", supervisor_id=sup)
    own = await hr.client.get(f"/staff/{agent}", headers=hr.as_(agent, "aftersales"))
    assert own.status_code == 200 and own.json()["wage_fen"] == 600_000
    seen_by_sup = await hr.client.get(f"/staff/{agent}", headers=hr.as_(sup, "supervisor"))
    assert seen_by_sup.status_code == 200 and seen_by_sup.json()["wage_fen"] is None
    colleague = await hr.client.get(f"/staff/{agent}", headers=hr.as_(other, "presales"))
    assert colleague.status_code == 403
    team = await hr.client.get("/staff", headers=hr.as_(sup, "supervisor"))
    assert {p["staff_id"] for p in team.json()} == {sup, agent, other}
    changed = await hr.client.patch(f"/staff/{agent}", json={"active": False, "team": None},
                                    headers=hr.admin)
    assert changed.status_code == 200
    assert (changed.json()["active"], changed.json()["team"]) == (False, None)


@pytest.mark.parametrize(("body", "field"), [
    ({"staff_id": "bad id", "display_name": "x", "role": "presales"}, "staff_id"),
    ({"staff_id": "ok1", "display_name": "x", "role": "pilot"}, "role"),
    ({"staff_id": "ok1", "display_name": "x", "role": "presales", "wage_fen": -1}, "wage_fen"),
    ({"staff_id": "ok1", "display_name": "x", "role": "presales", "extra": 1}, "extra"),
    ({"staff_id": {"$ne": ""}, "display_name": "x", "role": "presales"}, "staff_id"),
])
async def test_h1_bad_input_is_a_problem(hr, body, field) -> None:
    answer = await hr.client.post("/staff", json=body, headers=hr.admin)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert field in answer.text


async def test_h1_refusals(hr) -> None:
    staff_id = _id()
    await hr.hire(staff_id)
    again = await hr.client.post("/staff", json={"staff_id": staff_id, "display_name": "x",
                                                 "role": "presales"}, headers=hr.admin)
    assert again.status_code == 409
    by_agent = await hr.client.post("/staff", json={"staff_id": _id(), "display_name": "x",
                                                    "role": "presales"},
                                    headers=hr.as_("x", "presales"))
    assert by_agent.status_code == 403
    unknown_sup = await hr.client.post("/staff", json={
        "staff_id": _id(), "display_name": "x", "role": "presales", "supervisor_id": "ghost"},
        headers=hr.admin)
    assert unknown_sup.status_code == 404
    assert (await hr.client.get("/staff/ghost", headers=hr.admin)).status_code == 404
    assert (await hr.client.patch(f"/staff/{staff_id}", json={},
                                  headers=hr.admin)).status_code == 422
    assert (await hr.client.patch(f"/staff/{staff_id}", json={"role": None},
                                  headers=hr.admin)).status_code == 422
    assert (await hr.client.get("/staff")).status_code == 401


async def test_policy_read_and_change_by_the_manager(hr) -> None:
    policy = (await hr.client.get("/policy", headers=hr.as_("x", "presales"))).json()
    assert [s["code"] for s in policy["shifts"]] == ["cs_early", "cs_late", "desk_early"]
    assert policy["bands"][0] == {"upper": 100, "lower": 90, "fen_per_point": 1000}
    refused = await hr.client.patch("/policy", json={"pay_day": 5}, headers=hr.admin)
    assert refused.status_code == 403
    bad = await hr.client.patch("/policy", json={"pay_day": 40}, headers=hr.manager)
    assert bad.status_code == 422
    changed = await hr.client.patch("/policy", json={"pay_day": 12}, headers=hr.manager)
    assert changed.status_code == 200 and changed.json()["pay_day"] == 12
    restored = await hr.client.patch("/policy", json={"pay_day": 10}, headers=hr.manager)
    assert restored.json()["version"] == changed.json()["version"] + 1
    # H2: a rotation names shifts that exist; the problem names the entry.
    unknown = await hr.client.patch("/policy", json={"rotation": {
        "presales": ["cs_early", "cs_night"]}}, headers=hr.manager)
    assert unknown.status_code == 422, unknown.text
    assert [e["field"] for e in unknown.json()["errors"]] == ["rotation.presales.1"]
    after = (await hr.client.get("/policy", headers=hr.manager)).json()
    assert after["version"] == restored.json()["version"]
